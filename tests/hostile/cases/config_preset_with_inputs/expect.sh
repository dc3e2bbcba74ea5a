# A preset that names input files (it may carry only mappings): refused.
EXIT=2
MSG="preset"
SHARE=share
