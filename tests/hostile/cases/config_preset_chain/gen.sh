# Builds the large or binary inputs of this case at test time.
set -euo pipefail
mkdir -p share/config/crm
printf '[input]\npreset = y\n' > share/config/crm/x.ini
printf '[input]\npreset = x\n' > share/config/crm/y.ini
