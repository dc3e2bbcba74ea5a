#!/usr/bin/python3
"""xlsx_prep.py - copy an input set (config.ini + CSV files) for the
workbook tests and adjust its config: [run] language = LANG when --lang is
given, and [outputs] pdf = no and email = no so that the workbook tests
exercise the workbook alone (and stay fast); [history] path = a store of
its own beside the copy's config (a store belongs to one config, and the
tests put several copies' outputs side by side).

usage: xlsx_prep.py SRC_DIR DEST_DIR [--lang ru]
"""
import argparse
import os
import re
import shutil


def set_key(lines, section, key, value):
    """Set key in [section] (right under its header, dropping any other
    value of it there); add the section at the end when it is missing."""
    out, in_sec, done = [], False, False
    for line in lines:
        m = re.match(r"\s*\[([^\]]+)\]", line)
        if m:
            in_sec = m.group(1).strip() == section
            out.append(line)
            if in_sec and not done:
                out.append(f"{key} = {value}\n")
                done = True
            continue
        if in_sec and re.match(rf"\s*{re.escape(key)}\s*=", line):
            continue
        out.append(line)
    if not done:
        out.append(f"\n[{section}]\n{key} = {value}\n")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("dest")
    ap.add_argument("--lang")
    args = ap.parse_args()
    shutil.copytree(args.src, args.dest, ignore=shutil.ignore_patterns("expected", "out"))
    path = f"{args.dest}/config.ini"
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if args.lang:
        lines = set_key(lines, "run", "language", args.lang)
    lines = set_key(lines, "outputs", "pdf", "no")
    lines = set_key(lines, "outputs", "email", "no")
    lines = set_key(lines, "history", "path", os.path.join(os.path.abspath(args.dest), "history.sqlite"))
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(lines)


if __name__ == "__main__":
    main()
