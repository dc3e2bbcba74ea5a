#!/usr/bin/env bash
# File names made from owner names (review packs, per-owner mails): a
# right-to-left override, invisible characters, slash and dot look-alikes
# and path tricks never reach a file name; names that collide get -2, -3
# ...; every pack stays inside the output folder, one per owner.
set -euo pipefail
. "$ROOT/tests/py/email_lib.bash"
D="$TMP/d"
mkdir -p "$D"
"$PY" - "$D" <<'PYEOF'
import sys
d = sys.argv[1]
owners = [
    "Eve\u202efdp.exe",          # RLO: would show as "Eveexe.pdf"
    "Bob\u200b",                 # zero width space
    "Bob",                       # ... then the same as this one
    "A\u2215B", "A\uff0fB", "A/B", "A B", "A_B",   # slash look-alikes, one safe form
    "x\u2066y\u2069",            # isolates
    "Ann\u00a0Lee", "Ann\u3000Lee",
    "Z\u2024pdf", "..", "/etc/passwd", "\u200d\u200d",
    "Ольга Сидорова",            # letters of any script stay
]
with open(f"{d}/accounts.csv", "w", encoding="utf-8") as f:
    f.write("account_id,name,owner\n")
    for i, o in enumerate(owners):
        f.write(f'A{i:02},Client {i},"{o}"\n')
with open(f"{d}/transactions.csv", "w") as f:
    f.write("account_id,date,amount\n")
    for i in range(len(owners)):
        f.write(f"A{i:02},2025-05-01,{100 + i}.00\n")
with open(f"{d}/owners.txt", "w", encoding="utf-8") as f:
    f.write("\n".join(owners) + "\n")
with open(f"{d}/cfg.ini", "w", encoding="utf-8") as f:
    f.write("[run]\nas_of = 2025-06-30\n[input]\naccounts = accounts.csv\ntransactions = transactions.csv\n")
    f.write("[outputs]\nemail = yes\npdf = no\nxlsx = no\n[email]\nto = boss@example.com\nper_owner = yes\n[owners]\n")
    for i, o in enumerate(owners):
        if o.strip() and "=" not in o and "[" not in o:
            f.write(f"{o} = rep{i}@example.com\n")
PYEOF
"$SF" review -q -c "$D/cfg.ini" --all-owners --out "$TMP/out"
"$SF" run -q -c "$D/cfg.ini" --out "$TMP/out"
"$PY" - "$TMP/out" "$D/owners.txt" <<'PYEOF'
import os, re, sys, unicodedata
out, owners = sys.argv[1], open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
names = sorted(os.listdir(out))
packs = [n for n in names if n.startswith("review-")]
mails = [n for n in names if n.startswith("email-")]
bad = set("\u202e\u200b\u2215\uff0f\u2066\u2069\u00a0\u3000\u2024\u200d/\\")
for n in packs + mails:
    assert not (set(n) & bad), "misleading character in %r" % n
    for ch in n:
        assert unicodedata.category(ch) not in ("Cf", "Cc", "Zs", "Zl", "Zp"), (n, hex(ord(ch)))
    assert ".." not in n and not n.startswith("."), n
    assert re.fullmatch(r"(review|email)-.+\.(pdf|eml)", n), n
# one pack per owner, none lost to a collision
assert len(packs) == len(set(owners)), (len(packs), len(owners), packs)
for want in ("review-A_B.pdf", "review-A_B-2.pdf", "review-A_B-3.pdf", "review-A_B-4.pdf", "review-A_B-5.pdf",
             "review-Bob.pdf", "review-Bob-2.pdf", "review-Eve_fdp.exe.pdf", "review-Ольга_Сидорова.pdf"):
    assert want in packs, (want, packs)
assert "review-Eve_fdp.exe.pdf" in packs
assert len(mails) >= 10, mails
# nothing was written outside the folder
assert not os.path.exists("/etc/passwd.pdf")
print(len(packs), "packs,", len(mails), "mails")
PYEOF
echo ok
