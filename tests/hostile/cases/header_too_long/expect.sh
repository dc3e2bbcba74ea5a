# A header longer than the limit: the file cannot be read (exit 3), named.
EXIT=3
MSG="transactions.csv:1: the header line is longer than 4096 bytes ([input] max_record_bytes)"
