# A 1 MB value in the config: an error naming the line (inih would
# otherwise split it), never a crash.
EXIT="2"
MSG="config.ini:4"
