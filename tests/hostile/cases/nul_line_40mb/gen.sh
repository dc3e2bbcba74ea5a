# 40 MB of NUL bytes after the header, no line break: a regular file that
# is all one record, longer than the default limit (16 MiB).
set -euo pipefail
printf 'account_id,date,amount\n' >transactions.csv
head -c 41943040 /dev/zero >>transactions.csv
