# /dev/zero as an input: refused (exit 3), memory never grows.
EXIT=3
MSG="transactions.csv': is a device, not a regular file"
