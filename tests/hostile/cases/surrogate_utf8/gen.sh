# Builds the large or binary inputs of this case at test time.
set -euo pipefail
printf 'account_id,date,amount\nA1,2025-01-01,1.00\nA\xed\xa0\x80,2025-01-02,2.00\nA\xed\xbf\xbf,2025-01-03,3.00\nA\xf4\x90\x80\x80,2025-01-04,4.00\n' > transactions.csv
