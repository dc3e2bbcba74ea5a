# quantity x unit_price rounded once from the exact product (SPEC §1.1).
EXIT=0
MSG="check: ok"
COUNTS=(transactions "201 201 0 0 0")
post() {
    grep -q '^A2,A2,.*,1\.00,' "$OUT/csv/accounts.csv"
    grep -q '^A1,A1,.*,0\.00,' "$OUT/csv/accounts.csv"
}
