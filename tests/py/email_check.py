#!/usr/bin/python3
"""Check one RFC 5322 message written or sent by salesfocus.

usage: email_check.py FILE.eml [--subject TEXT] [--to ADDR]... [--cc ADDR]...
         [--attach NAME=PATH]... [--attachments A,B] [--no-attach] [--body-has TEXT]...
         [--body-lacks TEXT]... [--html-has TEXT]... [--html-lacks TEXT]...
         [--from-name TEXT] [--to-name TEXT]

Structure checks are always made: CRLF line ends, no line over 78
characters outside base64 and 998 anywhere, MIME-Version, a Date that
parses, a Message-ID, encoded words of at most 75 characters that hold
whole UTF-8 characters, a quoted-printable UTF-8 text part, base64
attachments in lines of 76. Exit 0 when everything holds, else 1 with
the reasons on stderr.
"""
import argparse
import email
import email.header
import email.policy
import email.utils
import html
import re
import sys


def check_text(text, has, lacks, what, bad):
    """Each of `has` in text and none of `lacks`; what is wrong into bad."""
    for t in has:
        if t not in text:
            bad.append("%s lacks %r" % (what, t))
    for t in lacks:
        if t in text:
            bad.append("%s has %r" % (what, t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--subject")
    ap.add_argument("--to", action="append", default=[])
    ap.add_argument("--cc", action="append", default=[])
    ap.add_argument("--attach", action="append", default=[])
    ap.add_argument("--no-attach", action="store_true")
    ap.add_argument("--attachments", help="the attachments' names, exactly (comma-separated)")
    ap.add_argument("--body-has", action="append", default=[])
    ap.add_argument("--body-lacks", action="append", default=[])
    ap.add_argument("--html-has", action="append", default=[],
                    help="text the HTML part shows (its tags dropped, entities decoded)")
    ap.add_argument("--html-lacks", action="append", default=[])
    ap.add_argument("--from-name")
    ap.add_argument("--to-name")
    a = ap.parse_args()
    raw = open(a.file, "rb").read()
    bad = []

    # raw form: CRLF everywhere (a sink may hand back LF-only)
    text = raw.decode("ascii")  # 7-bit only: any 8-bit byte raises
    crlf = "\r\n" in text
    lines = text.split("\r\n") if crlf else text.split("\n")
    for i, line in enumerate(lines):
        if len(line) > 998:
            bad.append("line %d longer than 998" % (i + 1))
        if len(line) > 78:
            bad.append("line %d longer than 78: %r" % (i + 1, line[:90]))
    for w in re.findall(r"=\?[^?]+\?[BbQq]\?[^?]*\?=", text):
        if len(w) > 75:
            bad.append("encoded word longer than 75: %s" % w)
        try:
            email.header.decode_header(w)[0][0].decode("utf-8")
        except Exception as e:  # a word that splits a character
            bad.append("encoded word %s is not whole UTF-8: %s" % (w, e))

    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for h in ("From", "Date", "Message-ID", "MIME-Version", "Subject"):
        if msg[h] is None:
            bad.append("missing header " + h)
    if msg["MIME-Version"] and str(msg["MIME-Version"]).strip() != "1.0":
        bad.append("MIME-Version is not 1.0")
    if msg["Date"]:
        try:
            email.utils.parsedate_to_datetime(str(msg["Date"]))
        except Exception:
            bad.append("Date does not parse: %s" % msg["Date"])
    if msg["Message-ID"] and not re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", str(msg["Message-ID"]).strip()):
        bad.append("bad Message-ID %s" % msg["Message-ID"])
    if msg.get_content_type() != "multipart/mixed":
        bad.append("not multipart/mixed: " + msg.get_content_type())
    if a.subject is not None and str(msg["Subject"]) != a.subject:
        bad.append("subject %r != %r" % (str(msg["Subject"]), a.subject))

    def addrs(h):
        return [ad.addr_spec for ad in msg[h].addresses] if msg[h] else []

    def names(h):
        return [ad.display_name for ad in msg[h].addresses] if msg[h] else []

    if a.to and sorted(addrs("To")) != sorted(a.to):
        bad.append("To %s != %s" % (addrs("To"), a.to))
    if a.cc and sorted(addrs("Cc")) != sorted(a.cc):
        bad.append("Cc %s != %s" % (addrs("Cc"), a.cc))
    if a.from_name is not None and names("From") != [a.from_name]:
        bad.append("From name %s != %r" % (names("From"), a.from_name))
    if a.to_name is not None and a.to_name not in names("To"):
        bad.append("To names %s lack %r" % (names("To"), a.to_name))

    body = msg.get_body(preferencelist=("plain",))
    if body is None:
        bad.append("no text/plain part")
        body_text = ""
    else:
        if body["Content-Transfer-Encoding"] != "quoted-printable":
            bad.append("text part is not quoted-printable")
        if body.get_content_charset() != "utf-8":
            bad.append("text part charset is not utf-8")
        body_text = body.get_content()
    check_text(body_text, a.body_has, a.body_lacks, "body", bad)

    if a.html_has or a.html_lacks:
        hp = msg.get_body(preferencelist=("html",))
        shown = ""
        if hp is None:
            bad.append("no text/html part")
        else:
            # what a reader sees: a tag ends a run of text, entities decoded
            shown = html.unescape(re.sub(r"<[^>]*>", "\n", hp.get_content()))
        check_text(shown, a.html_has, a.html_lacks, "HTML", bad)

    atts = {p.get_filename(): p for p in msg.iter_attachments()}
    if a.attachments is not None and sorted(atts) != sorted(a.attachments.split(",")):
        bad.append("attachments %s != %s" % (sorted(atts), a.attachments))
    if a.no_attach and atts:
        bad.append("unexpected attachments %s" % list(atts))
    for spec in a.attach:
        name, path = spec.split("=", 1)
        p = atts.get(name)
        if p is None:
            bad.append("no attachment " + name)
            continue
        if p["Content-Transfer-Encoding"] != "base64":
            bad.append(name + " is not base64")
        want = {"report.pdf": "application/pdf",
                "workbook.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        if name in want and p.get_content_type() != want[name]:
            bad.append("%s has type %s" % (name, p.get_content_type()))
        if p.get_payload(decode=True) != open(path, "rb").read():
            bad.append(name + " differs from " + path)
    if bad:
        for b in bad:
            print(a.file + ": " + b, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
