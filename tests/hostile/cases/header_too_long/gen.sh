# A header line longer than max_record_bytes (4096 here).
set -euo pipefail
"$PY" -c '
with open("transactions.csv", "w") as f:
    f.write("account_id,date,amount," + "h" * 10000 + "\nA1,2025-01-01,1.00,x\n")'
