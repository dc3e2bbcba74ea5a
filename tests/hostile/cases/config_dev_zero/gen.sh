# The config is /dev/zero.
set -euo pipefail
ln -s /dev/zero zero.ini
