# Builds the large or binary inputs of this case at test time.
set -euo pipefail
"$PY" -c 'import random,sys; r=random.Random(42); sys.stdout.buffer.write(bytes(r.randrange(256) for _ in range(65536)))' > transactions.csv
