#!/usr/bin/python3
"""Check the HTML side of one weekly mail written by salesfocus.

usage: email_html_check.py FILE.eml --csv DIR [--owner NAME] [--lacks TEXT]...
         [--unsubscribe VALUE] [--extract DIR] [--dom FILE] [--screenshot PNG]

- structure: multipart/mixed > multipart/alternative > (text/plain,
  multipart/related > (text/html, image/png...)), attachments after;
  every <img src="cid:..."> names an image part and every image part is
  named; each image a PNG of twice the <img> size (sharp on dense screens);
- headers: Auto-Submitted, List-Unsubscribe (--unsubscribe), Message-ID;
- mail-safe: no script, no external URL, no <link>, no url(...);
- the tables are the lists: for cadence_due, decline_alerts,
  fire_candidates and reorder_due the account names of the table's rows
  are the first rows of DIR/<list>.csv (the owner's with --owner), in
  order; every figure of a row (a cell that holds a digit) is in the
  text part on the line of that account: text and HTML give the same
  figures; the cards' figures are in the text too;
- --lacks TEXT: neither part holds TEXT (another rep's account);
- --extract DIR: DIR/body.html with the images as files beside it, and
  DIR/probe.html, the same with a script that records, once loaded, each
  image's natural width and the width of a wide and a narrow Cyrillic
  string (equal widths would be missing glyphs);
- --dom FILE: Chromium's --dump-dom of probe.html: every image loaded,
  Cyrillic drawn with real glyphs, and the tables' text as the browser
  parsed it equal to the lists as above;
- --screenshot PNG: Chromium's screenshot is 800 px wide, not blank
  (more than 2% of its pixels are not the page background, many colours).
Exit 0 when everything holds, else 1 with the reasons on stderr.
"""
import argparse
import csv
import email
import email.policy
import html.parser
import os
import re
import struct
import sys
import zlib

LISTS = {"cadence_due": "name", "decline_alerts": "name", "fire_candidates": "name", "reorder_due": "name"}
TOP_N = 10


class Tables(html.parser.HTMLParser):
    """The data-list tables (their body rows' cell texts), the data-card
    figures, the images and the probe attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.cards, self.imgs, self.probe = {}, {}, [], None
        self.cur = self.row = self.cell = None
        self.card = None
        self.in_body = False
        self.bad = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("data-probe-script") is None:
            self.bad.append("a <script> in the HTML")
        if tag == "link":
            self.bad.append("a <link> in the HTML")
        for k in ("src", "href", "background"):
            v = a.get(k) or ""
            if re.match(r"(?i)(https?:|//)", v):
                self.bad.append("an external URL %s=%s" % (k, v))
        if "url(" in (a.get("style") or ""):
            self.bad.append("url(...) in a style")
        if tag == "body" and a.get("data-probe"):
            self.probe = a["data-probe"]
        if tag == "img":
            self.imgs.append(a)
        if tag == "table" and a.get("data-list"):
            self.cur = self.tables.setdefault((a["data-list"], a.get("data-kind", "")), [])
        if self.cur is not None:
            if tag == "tbody":
                self.in_body = True
            elif tag == "tr" and self.in_body:
                self.row = []
                self.cur.append(self.row)
            elif tag == "td" and self.row is not None:
                self.cell = []
        if a.get("data-card"):
            self.card = [a["data-card"], tag, [[]]]
        elif self.card and tag == "div":
            self.card[2].append([])

    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table" and self.cur is not None and not self.in_body:
            self.cur = self.row = None
        if self.card and tag == self.card[1]:
            # a card's figure is its second block (label, figure, note)
            parts = [" ".join("".join(p).split()) for p in self.card[2]]
            self.cards[self.card[0]] = parts[2] if len(parts) > 2 else parts[0]
            self.card = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)
        if self.card:
            self.card[2][-1].append(data)


def sp(s):
    """Spaces of any width as one kind (thousands separators)."""
    return re.sub("[\u00a0\u202f]", " ", s)


def read_list(d, name, owner):
    with open(os.path.join(d, name + ".csv"), encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r for r in rows if owner is None or r["owner"] == owner]


def check_tables(t, lists_dir, owner, text, where, bad):
    """The tables' rows against the lists; their figures against the text."""
    lines = text.splitlines()
    for name, col in LISTS.items():
        rows = [r for (lst, _), v in t.tables.items() if lst == name for r in v]
        want = [r[col] for r in read_list(lists_dir, name, owner)][:TOP_N]
        got = [r[0] for r in rows]
        if got != want:
            bad.append("%s: table %s lists %s, the CSV %s" % (where, name, got, want))
            continue
        for r in rows:
            # the account's lines (one per list it is in): one holds every figure
            mine = [sp(ln) for ln in lines if ("- %s (" % r[0]) in ln or ("] %s (" % r[0]) in ln]
            figs = [sp(c) for c in r[1:] if re.search(r"\d", c)]
            if not any(all(f in ln for f in figs) for ln in mine):
                bad.append("%s: %s: no text line holds %s: %s" % (where, r[0], figs, mine))


def png_pixels(data):
    """Width, height and rows of RGB(A) pixels of an 8-bit PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), (depth, ctype)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, bpp)])
        prev = line
    return w, h, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--csv", required=True)
    ap.add_argument("--owner")
    ap.add_argument("--lacks", action="append", default=[])
    ap.add_argument("--unsubscribe")
    ap.add_argument("--extract")
    ap.add_argument("--dom")
    ap.add_argument("--screenshot")
    a = ap.parse_args()
    bad = []
    msg = email.message_from_bytes(open(a.file, "rb").read(), policy=email.policy.default)

    # structure
    kids = list(msg.iter_parts())
    alt = kids[0] if kids else None
    if msg.get_content_type() != "multipart/mixed" or alt is None or alt.get_content_type() != "multipart/alternative":
        sys.exit("%s: not mixed > alternative" % a.file)
    akids = list(alt.iter_parts())
    if [k.get_content_type() for k in akids] != ["text/plain", "multipart/related"]:
        bad.append("alternative holds %s" % [k.get_content_type() for k in akids])
    rel = list(akids[1].iter_parts())
    if rel[0].get_content_type() != "text/html" or any(k.get_content_type() != "image/png" for k in rel[1:]):
        bad.append("related holds %s" % [k.get_content_type() for k in rel])
    if not 2 <= len(rel) - 1 <= 3:
        bad.append("%d images, not two or three" % (len(rel) - 1))
    if akids[1].get_param("type") != "text/html":
        bad.append("multipart/related without type=text/html")
    text, page = akids[0].get_content(), rel[0].get_content()
    images = {str(k["Content-ID"]).strip("<>"): k for k in rel[1:]}

    # headers
    if str(msg["Auto-Submitted"]) != "auto-generated":
        bad.append("Auto-Submitted: %s" % msg["Auto-Submitted"])
    if a.unsubscribe is not None and str(msg["List-Unsubscribe"]) != a.unsubscribe:
        bad.append("List-Unsubscribe: %s != %s" % (msg["List-Unsubscribe"], a.unsubscribe))

    t = Tables()
    t.feed(page)
    bad += t.bad
    used = set()
    for img in t.imgs:
        src = img.get("src", "")
        if not src.startswith("cid:") or src[4:] not in images:
            bad.append("img %s names no image part" % src)
            continue
        used.add(src[4:])
        w, h, _ = png_pixels(images[src[4:]].get_payload(decode=True))
        if (w, h) != (2 * int(img["width"]), 2 * int(img["height"])):
            bad.append("%s is %dx%d, the img %sx%s" % (src, w, h, img["width"], img["height"]))
        if not img.get("alt"):
            bad.append("img %s without alt" % src)
    if used != set(images):
        bad.append("image parts not shown: %s" % sorted(set(images) - used))

    check_tables(t, a.csv, a.owner, text, "html", bad)
    for k, v in t.cards.items():
        if sp(v) not in sp(text):
            bad.append("card %s: %r not in the text" % (k, v))
    for s in a.lacks:
        if s in text or s in page:
            bad.append("the mail holds %r" % s)

    if a.extract:
        os.makedirs(a.extract, exist_ok=True)
        out = page
        for cid, part in images.items():
            fn = part.get_filename()
            open(os.path.join(a.extract, fn), "wb").write(part.get_payload(decode=True))
            out = out.replace("cid:" + cid, fn)
        open(os.path.join(a.extract, "body.html"), "w", encoding="utf-8").write(out)
        probe = ("<script data-probe-script>window.addEventListener('load', function () {"
                 "var w = [].map.call(document.images, function (i) { return i.naturalWidth; });"
                 "function wd(s) { var e = document.createElement('span'); e.style.font = '16px Arial, sans-serif';"
                 "e.textContent = s; document.body.appendChild(e); var r = e.getBoundingClientRect().width;"
                 "e.remove(); return r; }"
                 "document.body.setAttribute('data-probe', w.join(',') + '|' + wd('шшшшшшшшшш') + '|'"
                 " + wd('гггггггггг')); });</script></body>")
        open(os.path.join(a.extract, "probe.html"), "w", encoding="utf-8").write(out.replace("</body>", probe))

    if a.dom:
        d = Tables()
        d.feed(open(a.dom, encoding="utf-8").read())
        if not d.probe:
            bad.append("the DOM has no probe (the page did not load)")
        else:
            widths, wide, narrow = d.probe.split("|")
            if not widths or any(int(x) == 0 for x in widths.split(",")):
                bad.append("an image did not load: natural widths %s" % widths)
            if abs(float(wide) - float(narrow)) < 1:
                bad.append("Cyrillic drawn without glyphs: widths %s, %s" % (wide, narrow))
        check_tables(d, a.csv, a.owner, text, "dom", bad)
        for (k, kind), rows in t.tables.items():
            if d.tables.get((k, kind)) != rows:
                bad.append("dom: table %s/%s differs from the mail's" % (k, kind))

    if a.screenshot:
        w, h, rows = png_pixels(open(a.screenshot, "rb").read())
        bg = rows[0][0]
        ink = sum(1 for r in rows for p in r if p != bg)
        colours = len({p for r in rows[::4] for p in r[::4]})
        if w != 800 or ink < 0.02 * w * h or colours < 20:
            bad.append("screenshot %dx%d: %d pixels not background, %d colours" % (w, h, ink, colours))

    if bad:
        for b in bad:
            print(a.file + ": " + b, file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
