#!/usr/bin/env bash
# check-layers.sh [ROOT] - the house rules that a compiler does not check:
#
#  1. Layers. Every #include "layer/..." of src/*/*.c and include/*/*.h
#     names a layer its folder may use (docs/architecture.md):
#       base: base            config: base          data: config, base
#       input: data, config, base                   draw: base
#       analysis: data, config, base
#       history: analysis, data, config, base
#       output: analysis, data, config, draw, base, and of its own folder
#               only the shared services: a header named after an out_X.c
#               (output/sf_X.h) is that output's own, usable by out_X.c and
#               the files of its wing (X.c, X_*.c, out_X_*.c) only
#       cli: everything
#     A quoted include without a layer, or a folder that is not a layer, is
#     an error too (a new layer needs its rule here first).
#  2. Size. No file of src/ over 1,000 lines; no function over 120 lines
#     (from the line of its name to its closing brace).
#
# Prints one line per violation (FILE:LINE: rule) and exits 1 if any is not
# on the allow-lists below, which only exist while other work splits those
# files; they must shrink to empty. An allow-list entry that no longer
# matches is reported as "stale" so that it gets removed.
# SF_CHECK_NO_KNOWN=1 ignores the allow-lists; SF_CHECK_KNOWN=FILE replaces
# them (tests).
set -euo pipefail
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
exec /usr/bin/python3 - "$ROOT" <<'PY'
import os, re, sys

root = sys.argv[1]
no_known = os.environ.get("SF_CHECK_NO_KNOWN") == "1"

# Known violations, being fixed elsewhere. MUST SHRINK TO EMPTY: remove an
# entry as soon as the file stops needing it.
KNOWN_INCLUDES = set()   # (file, layer it may not include)
KNOWN_FILE_SIZE = set()  # files
KNOWN_FUNCTION_SIZE = set()  # (file, function)
if no_known:
    KNOWN_INCLUDES, KNOWN_FILE_SIZE, KNOWN_FUNCTION_SIZE = set(), set(), set()
# SF_CHECK_KNOWN=FILE replaces the lists (tests): lines "include FILE LAYER",
# "size FILE", "function FILE NAME".
if os.environ.get("SF_CHECK_KNOWN"):
    KNOWN_INCLUDES, KNOWN_FILE_SIZE, KNOWN_FUNCTION_SIZE = set(), set(), set()
    for entry in open(os.environ["SF_CHECK_KNOWN"], encoding="utf-8").read().split("\n"):
        w = entry.split()
        if w and w[0] == "include" and len(w) == 3:
            KNOWN_INCLUDES.add((w[1], w[2]))
        elif w and w[0] == "size" and len(w) == 2:
            KNOWN_FILE_SIZE.add(w[1])
        elif w and w[0] == "function" and len(w) == 3:
            KNOWN_FUNCTION_SIZE.add((w[1], w[2]))
        elif w:
            sys.exit(f"SF_CHECK_KNOWN: bad entry: {entry}")

MAX_FILE_LINES = 1000
MAX_FUNCTION_LINES = 120

ALLOWED = {
    "base": {"base"},
    "config": {"config", "base"},
    "data": {"data", "config", "base"},
    "input": {"input", "data", "config", "base"},
    "analysis": {"analysis", "data", "config", "base"},
    "history": {"history", "analysis", "data", "config", "base"},
    "draw": {"draw", "base"},
    "output": {"output", "analysis", "data", "config", "draw", "base"},
    "cli": {"cli", "output", "history", "analysis", "draw", "input", "data", "config", "base"},
}

errors, known, used_known = [], [], set()

def report(path, line, rule, key=None, allow=()):
    msg = f"{path}:{line}: {rule}"
    if key is not None and key in allow:
        used_known.add(key)
        known.append(msg)
    else:
        errors.append(msg)

def sources():
    out = []
    for top, ext in (("src", ".c"), ("include", (".h", ".def"))):
        base = os.path.join(root, top)
        if not os.path.isdir(base):
            continue
        for layer in sorted(os.listdir(base)):
            d = os.path.join(base, layer)
            if not os.path.isdir(d):
                continue
            for f in sorted(os.listdir(d)):
                if f.endswith(ext):
                    out.append((f"{top}/{layer}/{f}", layer, f))
        for f in sorted(os.listdir(base)):
            if os.path.isfile(os.path.join(base, f)) and f.endswith(ext):
                out.append((f"{top}/{f}", None, f))
    return out

def output_wing(fname):
    """The X of out_X.c / X.c / X_*.c / out_X_*.c / sf_X.h."""
    stem = re.sub(r"\.(c|h|def)$", "", fname)
    stem = re.sub(r"^(out_|sf_)", "", stem)
    return stem

def private_output_headers():
    d = os.path.join(root, "src", "output")
    outs = set()
    if os.path.isdir(d):
        for f in os.listdir(d):
            m = re.fullmatch(r"out_([a-z0-9]+)(_[a-z0-9_]+)?\.c", f)
            if m:
                outs.add(m.group(1))
    return outs

private = private_output_headers()
INC = re.compile(r'^\s*#\s*include\s*"([^"]+)"')

for rel, layer, fname in sources():
    if layer is None:
        report(rel, 1, "file outside a layer folder")
        continue
    if layer not in ALLOWED:
        report(rel, 1, f"'{layer}' is not a layer (add its rule to tools/check-layers.sh)")
        continue
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as fh:
        lines = fh.read().split("\n")
    for no, text in enumerate(lines, 1):
        m = INC.match(text)
        if not m:
            continue
        inc = m.group(1)
        parts = inc.split("/")
        if len(parts) != 2:
            report(rel, no, f'#include "{inc}" does not name its layer ("layer/sf_x.h")')
            continue
        target, hname = parts
        if target not in ALLOWED[layer]:
            report(rel, no, f"{layer} may not include {target} (#include \"{inc}\"; {layer} may use: "
                   f"{', '.join(sorted(ALLOWED[layer] - {layer})) or 'nothing else'})",
                   (rel, target), KNOWN_INCLUDES)
            continue
        if layer == "output" and target == "output":
            wing = output_wing(hname)
            mine = output_wing(fname)
            own = wing == mine or mine.startswith(wing + "_")
            if wing in private and not own:
                report(rel, no, f"output/{hname} is the private header of out_{wing}.c; "
                       "outputs share only the output-wing services", (rel, target), KNOWN_INCLUDES)

# -- sizes -------------------------------------------------------------------

def strip_code(text):
    """Comments, strings, char literals and preprocessor lines blanked out,
    line breaks kept, so that braces can be counted."""
    out, i, n = [], 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == "#":
            # a directive, with its continuation lines
            while i < n and not (text[i] == "\n" and text[i - 1] != "\\"):
                out.append("\n" if text[i] == "\n" else " ")
                i += 1
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if c == "/" and text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        out.append(c)
        if c == "\n":
            at_line_start = True
        elif not c.isspace():
            at_line_start = False
        i += 1
    return "".join(out)

FUNC_HEAD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\([^;{}]*\)\s*$", re.S)

def functions(code):
    """(name, first line, last line) of every function definition."""
    res, depth, start = [], 0, 0
    for i, c in enumerate(code):
        if c == "{":
            if depth == 0:
                head = code[start:i]
                m = FUNC_HEAD.search(head)
                if m and not re.search(r"=\s*$|\b(struct|union|enum)\b[^()]*$", head):
                    name_pos = start + m.start(1)
                    res.append([m.group(1), code.count("\n", 0, name_pos) + 1, i])
                else:
                    res.append(None)
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                f = res[-1] if res else None
                if f is not None and len(f) == 3:
                    f[2] = code.count("\n", 0, i) + 1
                    f.append(True)
                start = i + 1
        elif c == ";" and depth == 0:
            start = i + 1
    return [(f[0], f[1], f[2]) for f in res if f is not None and len(f) == 4]

for rel, layer, fname in sources():
    if not rel.startswith("src/"):
        continue
    with open(os.path.join(root, rel), encoding="utf-8", errors="replace") as fh:
        text = fh.read()
    nlines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if nlines > MAX_FILE_LINES:
        report(rel, nlines, f"file has {nlines} lines (at most {MAX_FILE_LINES})", rel, KNOWN_FILE_SIZE)
    for name, first, last in functions(strip_code(text)):
        length = last - first + 1
        if length > MAX_FUNCTION_LINES:
            report(rel, first, f"function {name}() has {length} lines (at most {MAX_FUNCTION_LINES})",
                   (rel, name), KNOWN_FUNCTION_SIZE)

for msg in known:
    print(f"known: {msg} (being fixed)")
for key in sorted(map(str, (KNOWN_INCLUDES | KNOWN_FILE_SIZE | KNOWN_FUNCTION_SIZE) - used_known)):
    print(f"stale allow-list entry in tools/check-layers.sh, remove it: {key}")
for msg in errors:
    print(msg)
print(f"check-layers: {len(errors)} violation(s), {len(known)} known")
sys.exit(1 if errors else 0)
PY
