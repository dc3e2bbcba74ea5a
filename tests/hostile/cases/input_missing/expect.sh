# transactions names a file that does not exist: exit 3 naming it.
EXIT=3
MSG="nope.csv"
