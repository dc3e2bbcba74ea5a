# Builds the large or binary inputs of this case at test time.
set -euo pipefail
"$PY" -c '
with open("transactions.csv", "w") as f:
    f.write("account_id,date,amount\nA1,2025-01-01,1.00\n\"" + "\"" * 1000000 + "\",2025-01-02,2.00\n")'
