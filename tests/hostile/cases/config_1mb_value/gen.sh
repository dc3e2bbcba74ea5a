# Builds the large or binary inputs of this case at test time.
set -euo pipefail
"$PY" -c '
with open("config.ini", "w") as f:
    f.write("[run]\nas_of = 2025-06-30\n[input]\nend_marker = " + "m" * (1024 * 1024) + "\ntransactions = transactions.csv\n")'
