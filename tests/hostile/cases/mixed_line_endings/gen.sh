# Builds the large or binary inputs of this case at test time.
set -euo pipefail
printf 'account_id,date,amount\r\nA1,2025-01-01,1.00\nA2,2025-01-02,2.00\rA3,2025-01-03,3.00\r\nA4,2025-01-04,4.00\n' > transactions.csv
