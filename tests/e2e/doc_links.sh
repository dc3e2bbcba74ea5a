#!/usr/bin/env bash
# The repository stands alone: every link of README.md, docs/*.md and the
# other Markdown documents resolves inside the repository (file and, for
# #anchors, heading); no file names the shared folder beside the checkout;
# README and docs link nowhere outside (only CHANGELOG.md may cite the Keep
# a Changelog and SemVer pages).
set -euo pipefail
cd "$ROOT"
# nothing names the folder beside the repository (the pattern is split so
# that this line does not match itself)
shared='\.\./'"shared"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    hits=$(git grep -nE "$shared" || true)
else
    hits=$(grep -rnE --exclude-dir=.git --exclude-dir=tmp --exclude-dir='build*' "$shared" . || true)
fi
[ -z "$hits" ] || { echo "$hits"; exit 1; }

$PY - "$ROOT" README.md CHANGELOG.md docs/*.md tests/data/mini/README.md <<'PYEOF'
import os, re, sys
root, docs = sys.argv[1], sys.argv[2:]

def slug(text):
    t = re.sub(r"<[^>]+>", "", text).strip().lower()
    t = re.sub(r"[^\w\- ]", "", t)
    return t.replace(" ", "-")

def anchors(path):
    found, seen = set(), {}
    in_code = False
    for line in open(path, encoding="utf-8"):
        if line.startswith("```"):
            in_code = not in_code
        if in_code:
            continue
        m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            s = slug(m.group(1))
            n = seen.get(s, 0)
            seen[s] = n + 1
            found.add(s if n == 0 else f"{s}-{n}")
        found.update(re.findall(r'<a id="([^"]+)"', line))
    return found

bad = 0
for doc in docs:
    path = os.path.join(root, doc)
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    links = re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r"^\[[^\]]+\]:\s*(\S+)", text, re.M)
    for link in links:
        if re.match(r"[a-z]+:", link):
            if doc == "CHANGELOG.md" and link.startswith("https://"):
                continue
            print(f"{doc}: link outside the repository: {link}"); bad += 1; continue
        target, _, frag = link.partition("#")
        tpath = os.path.normpath(os.path.join(os.path.dirname(path), target)) if target else path
        if os.path.commonpath([tpath, root]) != root:
            print(f"{doc}: link leaves the repository: {link}"); bad += 1; continue
        if not os.path.exists(tpath):
            print(f"{doc}: no such file: {link}"); bad += 1; continue
        if frag and tpath.endswith(".md") and frag not in anchors(tpath):
            print(f"{doc}: no heading #{frag} in {os.path.relpath(tpath, root)}"); bad += 1
print(f"{len(docs)} documents checked")
sys.exit(1 if bad else 0)
PYEOF
