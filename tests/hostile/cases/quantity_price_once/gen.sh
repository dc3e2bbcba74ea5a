# 200 sales of 1 x 0.004999999999 (0.00 each when the exact product is
# rounded once; 0.01 each when the price was first rounded to 0.005) and
# one of 3 x 0.3333 (0.9999, so 1.00).
set -euo pipefail
{
    echo "account_id,date,quantity,unit_price"
    for i in $(seq 200); do echo "A1,2025-05-01,1,0.004999999999"; done
    echo "A2,2025-05-01,3,0.3333"
} >transactions.csv
