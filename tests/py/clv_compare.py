#!/usr/bin/python3
"""clv_compare.py - compare an expected-value list with its golden copy the way
SPEC §11 checks an estimate: not byte for byte, since the last digits of a
fitted parameter depend on the floating-point path (another CPU, another
libm), but with the spec's tolerances.

usage: clv_compare.py GOT WANT      (both clv.csv, or both clv_model.csv)

clv_model.csv: the same rows (model, param) in the same order; every value
within 1 % (counts exactly). clv.csv: the same header, the same accounts
with the same texts and whole numbers; p_alive, expected_purchases,
expected_order_value and clv within 0.5 % (or the list's rounding); the
rows in clv order (descending, ties by account_id).
Exit 0 when they agree; otherwise each difference is printed, exit 1.
"""
import csv
import sys


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def close(got, want, rel, absolute):
    return abs(got - want) <= rel * abs(want) + absolute


def compare_model(hg, g, hw, w):
    bad = []
    if hg != hw or [r[:2] for r in g] != [r[:2] for r in w]:
        return [f"rows differ: {[r[:2] for r in g]} != {[r[:2] for r in w]}"]
    for a, b in zip(g, w):
        if a[1] == "accounts":
            if a[2] != b[2]:
                bad.append(f"{a[0]} accounts {a[2]} != {b[2]}")
        elif (a[2] == "") != (b[2] == "") or (a[2] and not close(float(a[2]), float(b[2]), 0.01, 0)):
            bad.append(f"{a[0]} {a[1]} {a[2]} != {b[2]} (1 %)")
    return bad


FIGURES = {"p_alive": 0.00005, "expected_purchases": 0.00005, "expected_order_value": 0.005, "clv": 0.005}


def compare_clv(hg, g, hw, w):
    if hg != hw:
        return [f"header {hg} != {hw}"]
    key = hg.index("account_id")
    gw = {r[key]: r for r in w}
    bad = []
    if sorted(r[key] for r in g) != sorted(gw):
        return ["not the same accounts"]
    for r in g:
        s = gw[r[key]]
        for j, col in enumerate(hg):
            if col in FIGURES:
                if not close(float(r[j]), float(s[j]), 0.005, FIGURES[col]):
                    bad.append(f"{r[key]} {col} {r[j]} != {s[j]} (0.5 %)")
            elif r[j] != s[j]:
                bad.append(f"{r[key]} {col} {r[j]!r} != {s[j]!r}")
    c = hg.index("clv")
    for a, b in zip(g, g[1:]):
        if float(a[c]) < float(b[c]) or (a[c] == b[c] and a[key] > b[key]):
            bad.append(f"order: {a[key]} before {b[key]}")
    return bad


def main():
    hg, g = read(sys.argv[1])
    hw, w = read(sys.argv[2])
    bad = (compare_model if hg[:2] == ["model", "param"] else compare_clv)(hg, g, hw, w)
    for b in bad[:20]:
        print(b)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
