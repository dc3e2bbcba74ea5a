# An empty config names no transactions file: a config error (exit 2).
EXIT=2
MSG="transactions"
