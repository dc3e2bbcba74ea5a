# A preset that names input files (it may carry only mappings): refused.
EXIT=2
MSG="a preset cannot name input files"
SHARE=share
