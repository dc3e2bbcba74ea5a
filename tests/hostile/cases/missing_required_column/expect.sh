# The date column is called "when": exit 3 naming the file, the canonical
# field, the header looked for and the headers found.
EXIT=3
MSG="transactions.csv: missing required column for 'date': looked for header 'date'; found: 'account_id', 'when', 'amount'"
