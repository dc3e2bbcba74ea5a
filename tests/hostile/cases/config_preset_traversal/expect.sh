# A preset name with a path in it must not read files outside config/crm.
EXIT=2
MSG="is not a preset name"
