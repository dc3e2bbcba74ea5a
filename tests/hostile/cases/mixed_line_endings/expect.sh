# CRLF, LF and a lone CR in one file. Whether a lone CR ends a line is
# not specified; the counts must add up either way, and the CRLF and LF
# records on either side are accepted.
EXIT=0
MSG="check: ok"
