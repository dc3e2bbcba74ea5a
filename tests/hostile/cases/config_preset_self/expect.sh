# A config that is itself the preset it names: config/crm/x.ini says
# preset = x. Must be refused (exit 2), not loop.
EXIT=2
MSG="is this file itself"
CFG=share/config/crm/x.ini
SHARE=share
