# Builds the large or binary inputs of this case at test time.
set -euo pipefail
printf 'account_id,date,amount\nA1,2025-01-01,1.00\n' > transactions.csv
"$PY" -c 'import random,sys; r=random.Random(7); sys.stdout.buffer.write(bytes(b for b in (r.randrange(1,256) for _ in range(65536)) if b != 34))' >> transactions.csv
