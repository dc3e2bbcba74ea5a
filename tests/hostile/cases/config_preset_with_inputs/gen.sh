# Builds the large or binary inputs of this case at test time.
set -euo pipefail
mkdir -p share/config/crm
printf '[input]\naccounts = /etc/passwd\n' > share/config/crm/evil.ini
