# Builds the large or binary inputs of this case at test time.
set -euo pipefail
"$PY" -c '
with open("transactions.csv", "wb") as f:
    f.write(b"account_id,date,amount\n" + b"\n\r\n" * 500000 + b"A1,2025-02-30,1.00\n")'
