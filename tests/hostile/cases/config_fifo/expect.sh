# A FIFO as the config: refused (exit 2), no hang.
EXIT=2
CFG=fifo.ini
MSG="fifo.ini: cannot open config file: is a FIFO (named pipe), not a regular file"
