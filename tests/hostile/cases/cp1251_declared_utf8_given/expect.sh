# encoding = CP1251 but the file is UTF-8. Every UTF-8 byte pair of "Йога"
# maps to some CP1251 letters (mojibake, accepted), but the 0x98 in the
# UTF-8 of "И" (D0 98) is undefined in CP1251: that record is bad_encoding.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "3 2 1 0 0")
REJECTS=("transactions 4 bad_encoding")
