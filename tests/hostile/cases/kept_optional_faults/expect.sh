# Bad values in optional fields keep the record with the field emptied
# and write an action=kept line each: employees 12a and -5, probability
# "high" and 150, next_step_date 31.02.2025. A record that is rejected
# later (O4: bad created date) keeps only its rejection line.
EXIT=0
MSG="check: ok"
COUNTS=(accounts "3 3 0 0 0" opportunities "4 3 1 0 0")
REJECTS=("accounts 2 bad_number" "accounts 3 bad_number" "opportunities 2 bad_number" "opportunities 3 bad_number" "opportunities 4 bad_date" "opportunities 5 bad_date")
post() {
    # rejects.csv: 2 + 3 kept lines, 1 rejected line (O4's kept
    # probability line is replaced by its rejection).
    [ "$(grep -c ',kept,' "$OUT/csv/rejects.csv")" = 5 ]
    [ "$(grep -c ',rejected,' "$OUT/csv/rejects.csv")" = 1 ]
}
