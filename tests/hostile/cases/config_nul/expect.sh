# A NUL byte inside a value: an error, not a silently shortened value.
EXIT=2
MSG="config.ini:5:"
