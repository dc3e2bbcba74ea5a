#!/usr/bin/env bash
# Every language has exactly the keys of English, in every section, none
# empty, with the same {placeholders} (a translation may reorder them,
# never drop or invent one) and its language's number of plural forms; the
# mail body templates of every language use the placeholders of the
# English one. Parsed like src/lang.c does.
set -euo pipefail
"$PY" - "$ROOT" <<'PYEOF'
import re, sys, os
root = sys.argv[1]
PH = re.compile(r"(?<!\{)\{([A-Za-z0-9_]+)\}(?!\})")

def load(path):
    keys, section, bad = {}, "", []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            s = line.lstrip("\ufeff").strip(" \t\r\n")
            if not s or s[0] in ";#":
                continue
            if s[0] == "[":
                if not s.endswith("]"):
                    bad.append("%s:%d: malformed section" % (path, n))
                section = s[1:-1].strip()
                continue
            if "=" not in s:
                bad.append("%s:%d: expected 'key = text'" % (path, n))
                continue
            k, v = s.split("=", 1)
            k = section + "." + k.strip()
            if k in keys:
                bad.append("%s:%d: duplicate key %s" % (path, n, k))
            keys[k] = (v.strip(" \t"), n)
    return keys, bad

langs = ["en", "ru", "pl", "id"]
d = os.path.join(root, "templates", "lang")
data, problems = {}, []
for code in langs:
    data[code], bad = load(os.path.join(d, code + ".ini"))
    problems += bad
en = data["en"]
if len(en) < 50:
    problems.append("en.ini has only %d keys" % len(en))
for code in langs:
    path = os.path.join(d, code + ".ini")
    for k, (v, n) in data[code].items():
        if v == "":
            problems.append("%s:%d: %s is empty" % (path, n, k))
    if code == "en":
        continue
    for k in sorted(set(en) - set(data[code])):
        problems.append("%s: lacks %s (en.ini line %d)" % (path, k, en[k][1]))
    for k in sorted(set(data[code]) - set(en)):
        problems.append("%s:%d: %s is not in en.ini" % (path, data[code][k][1], k))
    for k in sorted(set(en) & set(data[code])):
        a, b = set(PH.findall(en[k][0])), set(PH.findall(data[code][k][0]))
        if a != b:
            problems.append("%s:%d: %s placeholders %s, en.ini has %s" % (path, data[code][k][1], k, sorted(b), sorted(a)))
    # a real translation: the language's own name differs, and most texts
    # of the mail differ from English
    mail = [k for k in en if k.startswith("email.") and PH.sub("", en[k][0]).strip(" .:()-") != ""]
    same = [k for k in mail if k in data[code] and data[code][k][0] == en[k][0]]
    if len(same) > len(mail) // 5:
        problems.append("%s: %d of %d [email] texts are the English ones: %s" % (path, len(same), len(mail), same[:8]))

# plural forms ("{n} day|{n} days"): a label with '|' has exactly the
# forms of its language (sf_lang_plural_form: en one/other, ru and pl
# one/few/many, id one), and a key is plural in every language or in none
# but Indonesian
FORMS = {"en": 2, "ru": 3, "pl": 3, "id": 1}
for code in langs:
    path = os.path.join(d, code + ".ini")
    for k, (v, n) in data[code].items():
        forms = v.count("|") + 1
        if "|" in v and forms != FORMS[code]:
            problems.append("%s:%d: %s has %d plural forms, %s has %d" % (path, n, k, forms, code, FORMS[code]))
        if code != "id" and k in en and ("|" in en[k][0]) != ("|" in v):
            problems.append("%s:%d: %s is plural in one of en.ini and %s.ini only" % (path, n, k, code))

# mail body templates
t = os.path.join(root, "templates", "email")
def phs(p):
    return set(PH.findall(open(p, encoding="utf-8").read()))
want = phs(os.path.join(t, "en.txt"))
for code in langs:
    p = os.path.join(t, code + ".txt")
    if not os.path.exists(p):
        problems.append("%s is missing" % p)
        continue
    got = phs(p)
    if got != want:
        problems.append("%s: placeholders %s differ from en.txt %s" % (p, sorted(got ^ want), sorted(want)))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PYEOF
echo ok
