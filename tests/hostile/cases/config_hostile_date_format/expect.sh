# A date_format with no day, or with an unknown conversion: refused at
# load time (exit 2) rather than accepting every date or none.
EXIT=2
MSG="date_format"
