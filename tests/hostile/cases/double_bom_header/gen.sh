# Builds the large or binary inputs of this case at test time.
set -euo pipefail
printf '\xef\xbb\xbf\xef\xbb\xbfaccount_id,date,amount\nA1,2025-01-01,1.00\n' > transactions.csv
