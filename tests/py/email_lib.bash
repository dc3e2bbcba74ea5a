# Shared setup of the e-mail, lock and atomicity end-to-end tests (sourced,
# not run: tests/e2e/*.sh are the tests). Needs $ROOT, $TMP, $PY, $SF.

MINI="$ROOT/tests/data/mini"

# write_config FILE [EXTRA]: the mini example's config with absolute input
# paths, as-of 2025-06-30, output to $TMP/out, lock in $TMP; EXTRA (INI
# text) is appended and may add [outputs], [email], [owners] sections.
write_config() {
    local file=$1 extra=${2:-} accounts=${ACCOUNTS:-$MINI/accounts.csv}
    {
        printf '[run]\nas_of = 2025-06-30\ncurrency = EUR\nlanguage = %s\n' "${LANGUAGE:-en}"
        printf 'output_dir = %s\nlock_file = %s\n\n' "${OUT_DIR:-$TMP/out}" "${LOCK_FILE:-$TMP/salesfocus.lock}"
        printf '[input]\naccounts = %s\ntransactions = %s\n' "$accounts" "$MINI/transactions.csv"
        printf 'activities = %s\nopportunities = %s\nmax_reject_share = 0.10\n\n' \
            "$MINI/activities.csv" "$MINI/opportunities.csv"
        printf '[ideal_client]\nindustries = Retail, Logistics\nmin_employees = 20\n\n'
        printf '[potential]\nsegment_by = industry, size_band\nmin_peers = 2\n\n'
        printf '%s\n' "$extra"
    } >"$file"
}

# start_sink: a local SMTP server (tests/py/smtp_sink.py) saving mails in
# $TMP/sink, and $TMP/msmtprc pointing msmtp at it. Sets SINK_PID and
# SENDMAIL; the caller's EXIT trap must call stop_sink.
start_sink() {
    rm -rf "$TMP/sink" "$TMP/port"
    "$PY" "$ROOT/tests/py/smtp_sink.py" "$TMP/sink" "$TMP/port" >"$TMP/sink.log" 2>&1 &
    SINK_PID=$!
    local i
    for i in $(seq 100); do
        [ -s "$TMP/port" ] && break
        kill -0 "$SINK_PID" 2>/dev/null || { cat "$TMP/sink.log"; return 1; }
        sleep 0.1
    done
    [ -s "$TMP/port" ] || { echo "smtp sink did not start"; cat "$TMP/sink.log"; return 1; }
    printf 'defaults\nauth off\ntls off\nlogfile %s\n\naccount default\nhost 127.0.0.1\nport %s\nfrom sales@example.com\n' \
        "$TMP/msmtp.log" "$(cat "$TMP/port")" >"$TMP/msmtprc"
    chmod 600 "$TMP/msmtprc"
    SENDMAIL="msmtp -C $TMP/msmtprc -t"
}

stop_sink() {
    if [ -n "${SINK_PID:-}" ]; then
        kill "$SINK_PID" 2>/dev/null || true
        wait "$SINK_PID" 2>/dev/null || true
        SINK_PID=
    fi
}

# wait_mails N: until the sink holds N messages (10 s at most).
wait_mails() {
    local n=$1 i
    for i in $(seq 100); do
        [ "$(find "$TMP/sink" -name '*.eml' 2>/dev/null | wc -l)" -ge "$n" ] && return 0
        sleep 0.1
    done
    echo "expected $n mails, sink has: $(ls "$TMP/sink" 2>/dev/null)"
    return 1
}

# mail_to ADDR: the sink file whose envelope recipients include ADDR.
mail_to() {
    local r
    for r in "$TMP"/sink/*.rcpt; do
        grep -qx "$1" "$r" && { echo "${r%.rcpt}.eml"; return 0; }
    done
    echo "no mail to $1" >&2
    return 1
}

# expect_exit CODE CMD...: run CMD, its stderr in $TMP/err, and fail
# unless it exits with CODE.
expect_exit() {
    local want=$1 rc=0
    shift
    "$@" 2>"$TMP/err" || rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "expected exit $want, got $rc: $*"
        cat "$TMP/err"
        return 1
    fi
}

# refute CMD...: fail when CMD succeeds (a plain "! cmd" does not stop a
# set -e script).
refute() {
    if "$@"; then
        echo "unexpected success: $*"
        return 1
    fi
}
