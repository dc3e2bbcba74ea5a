# transactions names a directory: an input error, not a crash or a hang.
EXIT=3
MSG="Is a directory"
