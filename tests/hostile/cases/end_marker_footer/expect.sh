# A Salesforce-style footer after the end marker: footer, not rejects;
# blank lines before it are blank.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "7 2 0 2 3")
