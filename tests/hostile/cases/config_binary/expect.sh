# A config file of binary garbage: a config error (exit 2) with a line.
EXIT=2
MSG="config.ini:1:"
