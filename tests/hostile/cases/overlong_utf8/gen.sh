# Builds the large or binary inputs of this case at test time.
set -euo pipefail
printf 'account_id,name\nA1,Good\nA2,bad\xc0\xafname\nA3,bad\xe0\x80\xafname\n' > accounts.csv
