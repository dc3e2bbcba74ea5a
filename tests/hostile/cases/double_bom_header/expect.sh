# Two BOMs before the header (a file saved twice by a BOM-adding editor).
# The second is part of the first header, so 'account_id' may be missing
# (exit 3 naming it) or accepted after trimming; no crash either way.
EXIT="0|3"
