# A FIFO as an input: refused with a clear message (exit 3), no hang.
EXIT=3
MSG="transactions.csv': is a FIFO (named pipe), not a regular file"
