# "amount" twice in the header. SPEC does not say which one wins; the
# run must pick one (or refuse with a message), not crash.
EXIT="0|3"
