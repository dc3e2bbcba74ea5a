# A typo'd key, a fraction with seven decimals, an impossible date: the
# first error names the file, the line and the key (exit 2).
EXIT=2
MSG="config.ini:4"
