# transactions = @won needs opportunities: a config error (exit 2).
EXIT=2
MSG="@won"
