# Builds the large or binary inputs of this case at test time.
set -euo pipefail
printf 'account_id,date,amount\r\nA1,2025-01-01,1.00\r\n"A\r\n2\nx",2025-01-02,2.00\r\nA3,2025-13-01,3.00\r\n' > transactions.csv
