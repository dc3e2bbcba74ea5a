# Builds the large or binary inputs of this case at test time.
set -euo pipefail
printf 'account_id,date,amount\nA1,2025-01-01,1.00\nA2,2025-01-02,5\00000\nA\0003,2025-01-03,2\n' > transactions.csv
