# Builds the large or binary inputs of this case at test time.
set -euo pipefail
printf '\n%.0s' $(seq 1000) > transactions.csv
