# The transactions "file" is /dev/zero: endless bytes.
set -euo pipefail
ln -s /dev/zero transactions.csv
