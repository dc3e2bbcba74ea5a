# Builds the large or binary inputs of this case at test time.
set -euo pipefail
"$PY" - <<'PYEOF'
n = 19997
with open("transactions.csv", "w") as f:
    f.write(",".join("c%d" % i for i in range(n)) + ",account_id,date,amount\n")
    for i in range(3):
        f.write(",".join(["v"] * n) + ",A%d,2025-01-0%d,%d.00\n" % (i, i + 1, i + 1))
PYEOF
