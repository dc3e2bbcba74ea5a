# Builds the large or binary inputs of this case at test time.
set -euo pipefail
: > transactions.csv
