# Builds the large or binary inputs of this case at test time.
set -euo pipefail
printf '[run]\nas_of = 2025-06-30\n[input]\ntransactions = transactions.csv\ndate_format = %%Y-%%m-%%d\0junk\n' > config.ini
