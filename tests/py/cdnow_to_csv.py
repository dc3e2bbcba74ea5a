#!/usr/bin/python3
"""cdnow_to_csv.py - the CDNOW sample (tests/data/cdnow/CDNOW_sample.txt) as a
salesfocus book: OUT/transactions.csv and OUT/config.ini.

usage: cdnow_to_csv.py CDNOW_sample.txt OUT [--as-of 1997-09-30] [--horizon-days 273]

The conventions (tests/data/cdnow/README.md):
- one CDNOW line (a purchase of one or more CDs) is one transaction;
  account_id is the sample's customer id (0001-2357), transaction_id the
  line number, the date as given, the amount the dollar value;
- several purchases on one day are one purchase day (salesfocus sums a day's
  transactions, SPEC §11), as in the published data set;
- the eight purchases of $0.00 (one CD each, each a customer's only
  purchase) are written as 0.01: a purchase day needs a sum above 0, and
  the paper counts these customers (2,357) with no repeat purchase. A cent
  cannot move a repeat buyer's mean order value: none of them repeat.
- no accounts file (the accounts are derived from the transactions), no
  activities, no opportunities; currency USD; only the CSV lists.
"""
import argparse
import csv
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--as-of", default="1997-09-30")
    ap.add_argument("--horizon-days", type=int, default=365)
    ap.add_argument("--min-accounts", type=int, default=100)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    zero = 0
    with open(a.src, encoding="ascii", newline="") as f, \
            open(os.path.join(a.out, "transactions.csv"), "w", encoding="utf-8", newline="") as o:
        w = csv.writer(o, lineterminator="\n")
        w.writerow(["transaction_id", "account_id", "date", "amount"])
        for n, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 5:
                sys.exit(f"{a.src}:{n}: expected 5 fields, got {len(fields)}")
            _master, cust, ymd, _cds, dollars = fields
            amount = dollars
            if float(dollars) <= 0:
                amount = "0.01"
                zero += 1
            w.writerow([f"L{n:05d}", cust, f"{ymd[:4]}-{ymd[4:6]}-{ymd[6:]}", amount])
    with open(os.path.join(a.out, "config.ini"), "w", encoding="utf-8") as c:
        c.write(f"""; the CDNOW sample as a salesfocus book (tests/py/cdnow_to_csv.py)
[run]
as_of = {a.as_of}
currency = USD
[input]
transactions = transactions.csv
[clv]
horizon_days = {a.horizon_days}
time_unit_days = 7
min_accounts = {a.min_accounts}
[outputs]
pdf = no
xlsx = no
""")
    print(f"{zero} purchases of $0.00 written as 0.01")


if __name__ == "__main__":
    main()
