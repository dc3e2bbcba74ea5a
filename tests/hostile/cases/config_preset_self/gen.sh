# Builds the large or binary inputs of this case at test time.
set -euo pipefail
mkdir -p share/config/crm
printf '[run]\nas_of = 2025-06-30\n[input]\npreset = x\ntransactions = ../../../transactions.csv\n' > share/config/crm/x.ini
printf 'account_id,date,amount\nA1,2025-01-01,1.00\n' > transactions.csv
