# The transactions "file" is a FIFO that nobody writes: refused at once,
# never waited on.
set -euo pipefail
mkfifo transactions.csv
