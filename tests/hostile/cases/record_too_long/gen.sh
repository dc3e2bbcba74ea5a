# Records longer than max_record_bytes (4096 here): a 1 MB quoted field
# with four line breaks inside (lines 3-7) and 5 MB on one line (line 9),
# each between good records; and one of exactly 4096 bytes (line 11),
# which is not too long.
set -euo pipefail
"$PY" - <<'PYEOF'
with open("transactions.csv", "w", newline="") as f:
    f.write("account_id,date,amount\n")
    f.write("A1,2025-01-01,1.00\n")
    f.write('"' + ("q" * 250000 + "\n") * 4 + 'x",2025-01-02,2.00\n')
    f.write("A2,2025-01-03,3.00\n")
    f.write("Ä" * (5 * 1024 * 1024 // 2) + ",2025-01-04,4.00\n")
    f.write("A3,2025-01-05,5.00\n")
    tail = ",2025-01-06,6.00"
    f.write("B" * (4096 - len(tail)) + tail + "\n")
PYEOF
