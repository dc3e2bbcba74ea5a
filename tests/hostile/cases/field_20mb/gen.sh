# Builds the large or binary inputs of this case at test time.
set -euo pipefail
"$PY" - <<'PYEOF'
big = "x" * (20 * 1024 * 1024)
with open("transactions.csv", "w") as f:
    f.write("account_id,date,amount\n")
    f.write(big + ",2025-01-01,1.00\n")
    f.write('"' + big.replace("x", "y") + '",2025-01-02,2.00\n')
PYEOF
