#!/usr/bin/python3
"""init_check.py - compare the configuration `salesfocus init` wrote with
the expect.json of a shape (crm_shapes.py), then fill in what a user would
(the currency rates init asks for).

usage: init_check.py DIR      (DIR holds expect.json, cfg.ini, init.err)

Exits 1 naming every difference.
"""
import json
import re
import sys


def parse_ini(text):
    """Sections of key -> (value, comment); a list's continuation lines
    joined with '\\n'. Comment lines are kept under '#comments'."""
    secs, sec, last = {"#comments": []}, None, None
    for line in text.splitlines():
        if line.startswith(";"):
            secs["#comments"].append(line)
            continue
        m = re.match(r"\[(.+)\]\s*$", line)
        if m:
            sec = secs.setdefault(m.group(1), {})
            continue
        if line.startswith((" ", "\t")) and last:
            v, c = sec[last]
            sec[last] = (v + "\n" + line.strip(), c)
            continue
        m = re.match(r"([a-z_]+) =(.*)$", line)
        if m and sec is not None:
            val, _, com = m.group(2).partition(" ; ")
            sec[m.group(1)] = (val.strip(), com)
            last = m.group(1)
    return secs


def items(v):
    return [x.strip() for x in re.split(r"[,\n]", v) if x.strip()]


def main():
    d = sys.argv[1]
    e = json.load(open(f"{d}/expect.json", encoding="utf-8"))
    text = open(f"{d}/cfg.ini", encoding="utf-8").read()
    ini = parse_ini(text)
    inp = ini.get("input", {})
    bad = []

    def want(cond, msg):
        if not cond:
            bad.append(msg)

    for kind, f in e["kinds"].items():
        want(inp.get(kind, ("",))[0] == f, f"[input] {kind}: want {f}, got {inp.get(kind)}")
    want(inp.get("transactions", ("",))[0] == e["transactions"],
         f"[input] transactions: want {e['transactions']}, got {inp.get('transactions')}")
    comments = "\n".join(ini["#comments"])
    err = open(f"{d}/init.err", encoding="utf-8").read()
    for f in e["not_used"]:
        want(f"{f}: NOT USED:" in comments, f"{f} is not named as not used in the head comment")
        want(f"{f}: not used:" in err, f"{f} is not named as not used on stderr")
    want(inp.get("preset", ("",))[0] == e["preset"], f"preset: want '{e['preset']}', got {inp.get('preset')}")
    if e.get("encoding"):
        want(inp["encoding"][0] == e["encoding"], f"encoding: want {e['encoding']}, got {inp['encoding']}")
    if e.get("date_format"):
        want(inp["date_format"][0] == e["date_format"], f"date_format: want {e['date_format']}, got {inp['date_format']}")
    if e.get("currency"):
        want(ini["run"]["currency"][0] == e["currency"], f"currency: want {e['currency']}, got {ini['run']['currency']}")
    st = ini.get("opportunity_status", {})
    for value, cls in e["status"].items():
        want(value in items(st.get(cls, ("",))[0]), f"[opportunity_status] {cls} lacks '{value}': {st.get(cls)}")
    if e.get("account"):
        opp = ini.get("columns.opportunities", {})
        got = opp.get("account_id", ("",))[0]
        want(got == e["account"] or got.endswith("| " + e["account"]),
             f"[columns.opportunities] account_id: want {e['account']}, got {got}")
    if e.get("act_type"):
        got = ini.get("columns.activities", {}).get("type", ("",))[0]
        want(got == e["act_type"], f"[columns.activities] type: want {e['act_type']}, got {got}")
    if e.get("blank_values"):
        got = items(inp.get("blank_values", ("",))[0])
        want(e["blank_values"] in got, f"[input] blank_values lacks {e['blank_values']}: {got}")
    # every line fits the config reader
    for n, line in enumerate(text.splitlines(), 1):
        want(len(line.encode()) <= 198, f"cfg.ini:{n}: {len(line.encode())} bytes")
    # what a user does with the TO DO: give the rates init asks for
    for cur, rate in e.get("rates", {}).items():
        want(f"; {cur} = ?" in text, f"[currency_rates] does not ask for {cur}")
        want(f"TO DO: " in text and cur in comments, f"no TO DO names {cur}")
        text = text.replace(f"; {cur} = ?", f"{cur} = {rate} ;")
    open(f"{d}/cfg.ini", "w", encoding="utf-8").write(text)
    if bad:
        print("\n".join(bad))
        sys.exit(1)


if __name__ == "__main__":
    main()
