# The config is a FIFO that nobody writes.
set -euo pipefail
mkfifo fifo.ini
