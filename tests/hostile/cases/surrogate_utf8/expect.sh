# UTF-16 surrogates encoded as UTF-8 (ED A0 80, ED BF BF - CESU-8) and a
# code point above U+10FFFF (F4 90 80 80): bad_encoding, never passed on.
EXIT=0
MSG="check: ok"
COUNTS=(transactions "4 1 3 0 0")
REJECTS=("transactions 3 bad_encoding" "transactions 4 bad_encoding" "transactions 5 bad_encoding")
