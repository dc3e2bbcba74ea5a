# A good header, one good record, then 64 KiB of pseudo-random bytes
# (no NUL, no quote): whatever they split into is rejected, never a crash.
EXIT=0
MSG="check: ok"
