# /dev/zero as the config: refused (exit 2), memory never grows.
EXIT=2
CFG=zero.ini
MSG="zero.ini: cannot open config file: is a device, not a regular file"
