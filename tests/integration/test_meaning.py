#!/usr/bin/env python3
"""Meaning: every page, count, download and search answer says the same
thing about each (measure, scope), for the bundled content and for the
fixture that has every kind of cell.

api/tom.json is read as the truth; each other view is parsed on its own and
compared with it: the category pages, the matrix, the annexes, the product
pages (rows, counts, "Your responsibilities"), the comparisons ("becomes
your job"), tom.csv, the per-product JSON and CSV, and tc-search's JSON and
HTML answers behind a real nginx. The badge a cell must show comes from the
rule in lib/vocab (its status, or "shared"). Servers bind 127.0.0.1 on free
ports and are stopped also when a test fails.

Run from the repository root: python3 tests/integration/test_meaning.py
"""
import csv
import html
import html.parser
import io
import json
import os
import re
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from stack import ROOT, Stack  # noqa: E402

CONTENT = {"bundled": os.path.join(ROOT, "content"),
           "fixture": os.path.join(ROOT, "tests", "fixtures", "mini"),
           # product, site, organisation and internal columns in one table,
           # a single-column level table, prose between tables
           "mixed": os.path.join(ROOT, "tests", "fixtures", "mixed"),
           # written in German: | ID | Maßnahme |, German marks
           "german-first": os.path.join(ROOT, "tests", "fixtures", "german-first")}
# Each site and the language prefix its pages are under: the German
# edition of the bundled content must say what the English one says.
SITES = {"bundled": ("bundled", ""), "fixture": ("fixture", ""),
         "bundled-de": ("bundled", "/de"), "mixed": ("mixed", ""),
         "german-first": ("german-first", "")}
# The language of each site's pages (a German-first site's are German
# without a prefix).
LANG = {"bundled-de": "de", "german-first": "de"}
STATE = {}


def setUpModule():
    try:
        for name, content in CONTENT.items():
            STATE[name] = Stack(content)
    except BaseException:
        tearDownModule()
        raise


def tearDownModule():
    for st in STATE.values():
        st.stop()


def fetch(site, path, accept=None):
    stack, prefix = SITES[site]
    if path.startswith(("/api/search", "/api/export")):
        if prefix:  # tc-search answers in the language asked for
            path += ("&" if "?" in path else "?") + "lang=" + prefix.strip("/")
    elif not path.startswith(prefix + "/"):
        path = prefix + path
    status, _, body = STATE[stack].get(path, accept)
    if status != 200:
        raise AssertionError("%s %s: %d" % (site, path, status))
    return body


def xlsx_cells(site, path):
    """{(measure ID, scope ID)} of a workbook's measures sheet (its second:
    the first is "About"), read from the built site."""
    import openpyxl
    stack, prefix = SITES[site]
    wb = openpyxl.load_workbook(os.path.join(STATE[stack].out, (prefix + path).lstrip("/")))
    rows = list(wb.worksheets[1].iter_rows(values_only=True))
    return {(r[1], r[12]) for r in rows[1:]}


def html_text(s):
    """s as the templates escape it."""
    return html.escape(s, quote=True).replace("&#x27;", "&#39;")


def scope_name(doc, sid):
    return next(s["name"] for s in doc["scopes"] if s["id"] == sid)


def local(url):
    """The site path of a URL of the data (absolute, from base_url)."""
    u = urllib.parse.urlsplit(url)
    return u.path + ("#" + u.fragment if u.fragment else "")


def badge(cell):
    """The badge class a cell must show: the rule of lib/vocab."""
    return "shared" if cell["responsibility"] == "shared" else cell["status"]


RESP_ORDER = ["client", "shared", "provider", "see-product"]


def kinds(doc):
    return {s["id"]: s["kind"] for s in doc["scopes"]}


def role(kind, scope, product):
    """The part a cell plays for a product (README, "Columns that apply to
    every product"): the product's own, every product's (site,
    organisation), internal (shown, never counted) or another product's."""
    if kind[scope] == "product":
        return "own" if scope == product else "other"
    return "internal" if kind[scope] == "internal" else "every"


def answering(measure, product, kind):
    """The cells that answer for the product: its own, the site and
    organisation ones."""
    return {k: c for k, c in measure["cells"].items()
            if role(kind, k, product) in ("own", "every")}


def shown(measure, product, kind):
    """The cells shown for the product: those that answer, and the
    internal ones, labelled."""
    return {k: c for k, c in measure["cells"].items()
            if role(kind, k, product) != "other"}


def every(measure, kind):
    """The badges of the row's site, organisation and internal cells as
    product pages and comparisons show them: cells that show the same are
    one item (their scopes named together), internal ones apart."""
    seen = []
    for k, c in measure["cells"].items():
        if kind[k] == "product":
            continue
        key = (kind[k] == "internal", c["status"], c["responsibility"], c["label"], c["note"])
        if key not in seen:
            seen.append(key)
    return ["shared" if k[2] == "shared" else k[1] for k in seen]


def product_resp(measure, product, kind):
    """A measure's responsibility for a product: the first of client,
    shared, provider, see-product among the cells that answer for it."""
    present = {c["responsibility"] for c in answering(measure, product, kind).values()}
    return next((r for r in RESP_ORDER if r in present), "none")


def concerns(measure, product, kind):
    return bool(answering(measure, product, kind))


class Rows(html.parser.HTMLParser):
    """Badges per table row (tr id=MEASURE), per cell (td), in order, and
    each cell's scope label (td data-scope, what a phone's card and the
    printed annex show beside the badge); the counts list (ul.counts
    li.rs-*), the duties (ul.duties), and rows flagged "to-you"."""

    def __init__(self):
        super().__init__()
        self.rows = []       # (measure id, [[badge classes of one td], ...])
        self.labels = {}     # measure id -> [data-scope of each td, or None]
        self.counts = {}
        self.duties = []
        self.to_you = set()
        self.flags = {}      # measure id -> the text of its strong.flag
        self.flag = None
        self.row = None
        self.td = None
        self.count = None
        self.in_counts = self.in_duties = False
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "tr" and a.get("id"):
            self.row = (a["id"], [])
            self.rows.append(self.row)
            self.labels[a["id"]] = []
            if "to-you" in cls:
                self.to_you.add(a["id"])
        elif tag == "td" and self.row is not None:
            self.td = []
            self.row[1].append(self.td)
            self.labels[self.row[0]].append(a.get("data-scope"))
        elif tag == "span" and "badge" in cls:
            st = [c[3:] for c in cls if c.startswith("st-")]
            if self.td is not None:
                self.td.append(st[0])
        elif tag == "ul" and "counts" in cls:
            self.in_counts = True
        elif tag == "ul" and "duties" in cls:
            self.in_duties = True
        elif tag == "li" and self.in_counts:
            rs = [c[3:] for c in cls if c.startswith("rs-")]
            self.count = rs[0] if rs else None
            self.text = ""
        elif tag == "strong" and "flag" in cls and self.row is not None:
            self.flag = self.row[0]
            self.flags[self.flag] = ""
        elif tag == "a" and self.in_duties and "mid" in cls:
            self.duties.append(a["href"].split("#")[1])

    def handle_endtag(self, tag):
        if tag == "tr":
            self.row = None
            self.td = None
        elif tag == "td":
            self.td = None
        elif tag == "ul":
            self.in_counts = self.in_duties = False
        elif tag == "strong":
            self.flag = None
        elif tag == "li" and self.count:
            self.counts[self.count] = int(self.text.split()[1])
            self.count = None

    def handle_data(self, data):
        if self.flag:
            self.flags[self.flag] += data
        if self.count:
            self.text += data


def parse(text):
    p = Rows()
    p.feed(text)
    return p


def catalogue(site):
    """The site's own words in the site's language (templates/i18n)."""
    lang = LANG.get(site, "en")
    with open(os.path.join(ROOT, "templates", "i18n", lang + ".json"), encoding="utf-8") as f:
        return json.load(f)


class Meaning(unittest.TestCase):
    def each_site(self):
        return [(site, json.loads(fetch(site, "/api/tom.json"))) for site in SITES]

    def measures(self, doc):
        for c in doc["categories"]:
            for m in c["measures"]:
                yield c, m

    def test_tables_show_each_cell_as_the_data_says(self):
        for site, doc in self.each_site():
            truth = {m["id"]: [badge(x) for x in m["cells"].values()]
                     for _, m in self.measures(doc)}
            names = {s["id"]: s["name"] for s in doc["scopes"]}
            scopes = {m["id"]: [names[k] for k in m["cells"]] for _, m in self.measures(doc)}
            pages = ["/matrix/", "/annex/"] + [local(c["url"]) for c in doc["categories"]]
            for path in pages:
                page = parse(fetch(site, path))
                seen = set()
                for mid, tds in page.rows:
                    seen.add(mid)
                    self.assertEqual([td[0] for td in tds[1:]], truth[mid], (site, path, mid))
                    # each badge is labelled with its own scope
                    self.assertEqual(page.labels[mid][1:], scopes[mid], (site, path, mid))
                want = {m["id"] for c, m in self.measures(doc)
                        if path in ("/matrix/", "/annex/") or local(c["url"]) == path}
                self.assertEqual(seen, want, path)

    def test_product_pages_counts_duties_and_downloads(self):
        """A product page, its annex and its downloads show each measure
        whose row has the product's cell or a site or organisation cell:
        the product's cell, then every site, organisation and internal cell
        (an internal one labelled); counts and duties follow the product
        rule; the JSON, CSV, XLSX and OSCAL files hold the same cells."""
        for site, doc in self.each_site():
            kind = kinds(doc)
            t = catalogue(site)
            byid = {m["id"]: m for _, m in self.measures(doc)}
            for sc in doc["scopes"]:
                if sc["kind"] != "product":
                    continue
                pid = sc["id"]
                mine = [m for _, m in self.measures(doc) if concerns(m, pid, kind)]
                for path in (local(sc["url"]), local(sc["url"]) + "annex/"):
                    text = fetch(site, path)
                    page = parse(text)
                    self.assertEqual([r[0] for r in page.rows], [m["id"] for m in mine], path)
                    for mid, tds in page.rows:
                        m = byid[mid]
                        self.assertEqual(page.labels[mid][1], sc["name"], (path, mid))
                        # the product's own cell first, then the others
                        own = [badge(m["cells"][pid])] if pid in m["cells"] else []
                        self.assertEqual(tds[1], own + every(m, kind), (path, mid))
                        for k in m["cells"]:
                            if role(kind, k, pid) == "internal":
                                row = re.search(r'<tr id="%s">.*?</tr>' % mid, text, re.S).group(0)
                                self.assertIn('<li class="internal">%s (%s): ' % (
                                    html_text(scope_name(doc, k)), html_text(t["internal_scope"])),
                                    row, (path, mid))
                    duties = [m["id"] for m in mine
                              if product_resp(m, pid, kind) in ("client", "shared")]
                    # identical generic duties are one item, in the place
                    # of the first (issue 21)
                    items = {}
                    for m in mine:
                        if m["id"] in duties:
                            items.setdefault((product_resp(m, pid, kind), m["text"]),
                                             []).append(m["id"])
                    self.assertEqual(page.duties, [i for g in items.values() for i in g], path)
                    # the home page's card for the product counts the same
                    home = fetch(site, "/")
                    card = re.search(r'<a href="%s"><strong>.*?<em>([^<]*)</em>'
                                     % re.escape(local(sc["url"])), home)
                    self.assertIsNotNone(card, pid)
                    # none is said in words, the catalogue's zero form
                    said = card.group(1)
                    self.assertEqual(0 if said == html_text(t["count.yours.zero"])
                                     else int(said.split()[0]), len(duties), pid)
                    if path == local(sc["url"]):
                        want = {}
                        for m in mine:
                            r = product_resp(m, pid, kind)
                            want[r] = want.get(r, 0) + 1
                        self.assertEqual(page.counts, want, path)
                        self.assertEqual(sum(page.counts.values()), len(page.rows), path)
                # the product's downloads hold the same cells
                one = json.loads(fetch(site, "/api/products/%s.json" % pid))
                got = {m["id"]: m["cells"] for _, m in self.measures(one)}
                self.assertEqual(list(got), [m["id"] for m in mine])
                for mid, cells in got.items():
                    self.assertEqual(cells, shown(byid[mid], pid, kind), mid)
                rows = list(csv.DictReader(io.StringIO(
                    fetch(site, "/api/products/%s.csv" % pid))))
                self.assertEqual(sum(len(c) for c in got.values()), len(rows))
                for r in rows:
                    cell = byid[r["measure_id"]]["cells"][r["scope_id"]]
                    self.assertEqual((r["status"], r["responsibility"], r["scope_kind"]),
                                     (cell["status"], cell["responsibility"],
                                      kind[r["scope_id"]]))
                self.assertEqual(xlsx_cells(site, "/api/products/%s.xlsx" % pid),
                                 {(r["measure_id"], r["scope_id"]) for r in rows}, pid)
                # OSCAL: a requirement per measure, the product rule's
                # responsibility, a status prop per cell shown
                oscal = json.loads(fetch(site, "/api/oscal/products/%s.json" % pid))
                comp = oscal["component-definition"]["components"][0]
                reqs = comp["control-implementations"][0]["implemented-requirements"]
                self.assertEqual([r["control-id"] for r in reqs], [m["id"] for m in mine], pid)
                for r in reqs:
                    m = byid[r["control-id"]]
                    props = {p["name"]: p["value"] for p in r["props"]}
                    self.assertEqual(props["responsibility"], product_resp(m, pid, kind))
                    st = {p["class"]: p["value"] for p in r["statements"][0].get("props", [])
                          if p["name"] == "status"}
                    self.assertEqual(st, {k: c["status"] for k, c in shown(m, pid, kind).items()},
                                     (pid, m["id"]))

    def test_csv_says_what_json_says(self):
        for site, doc in self.each_site():
            byid = {m["id"]: m for _, m in self.measures(doc)}
            rows = list(csv.DictReader(io.StringIO(fetch(site, "/api/tom.csv"))))
            self.assertEqual(len(rows), sum(len(m["cells"]) for m in byid.values()))
            for r in rows:
                cell = byid[r["measure_id"]]["cells"][r["scope_id"]]
                self.assertEqual((r["status"], r["responsibility"], r["label"], r["note"]),
                                 (cell["status"], cell["responsibility"], cell["label"],
                                  cell["note"]))

    def test_comparisons_flag_exactly_the_moves_to_and_from_the_client(self):
        """How much of a measure is the client's (none, a shared part, all)
        going up or down is flagged, in the words of the changes feed; a
        provider -> shared move is the client's too (IAC-1 colocation ->
        cloud servers must not say "No longer your job")."""
        share = {"client": 2, "shared": 1}
        moves = {(0, 2): "to-client", (1, 2): "to-client", (0, 1): "partly-to-client",
                 (2, 0): "from-client", (1, 0): "from-client", (2, 1): "partly-from-client"}
        for site, doc in self.each_site():
            kind = kinds(doc)
            t = catalogue(site)
            words = {k: t["move." + v] for k, v in moves.items()}
            prods = [s["id"] for s in doc["scopes"] if s["kind"] == "product"]
            for a in prods:
                for b in prods:
                    if a == b:
                        continue
                    page = parse(fetch(site, "/compare/%s/%s/" % (a, b)))
                    for _, m in self.measures(doc):
                        ca, cb = m["cells"].get(a), m["cells"].get(b)
                        if ca is None and cb is None:
                            continue
                        # what the row says for each: the product rule
                        was = share.get(product_resp(m, a, kind), 0)
                        now = share.get(product_resp(m, b, kind), 0)
                        flag = words.get((was, now))
                        if not concerns(m, a, kind) or not concerns(m, b, kind):
                            # a row that says nothing of one of them:
                            # never "no longer your job"
                            was = now = 0
                            flag = t["move.not-listed"]
                        elif now < was and product_resp(m, b, kind) == "none" and any(
                                c["status"] == "not-provided"
                                for c in answering(m, b, kind).values()):
                            # an X is provided by nobody (issue 21: a
                            # backup that is no backup)
                            was = now
                            flag = t["move.not-provided"]
                        self.assertEqual(m["id"] in page.to_you, now > was,
                                         (a, b, m["id"]))
                        self.assertEqual(page.flags.get(m["id"]), flag, (a, b, m["id"]))
                    names = {s["id"]: s["name"] for s in doc["scopes"]}
                    for mid, tds in page.rows:
                        self.assertEqual(page.labels[mid][1:], [names[a], names[b]], (a, b, mid))
                        m = next(x for _, x in self.measures(doc) if x["id"] == mid)
                        # the row's site, organisation and internal cells
                        # under the measure, the same for both
                        self.assertEqual(tds[0], every(m, kind), (a, b, mid))
                        for td, p in ((tds[1], a), (tds[2], b)):
                            want = [badge(m["cells"][p])] if p in m["cells"] else ["not-applicable"]
                            self.assertEqual(td, want, (a, b, mid))

    def test_a_backup_that_is_none_is_not_taken_off_your_hands(self):
        """Issue 21: Colocation -> Storage Shares said "No longer your job"
        for backups (AVR-11), whose cell read "RAID-based storage backend"."""
        page = parse(fetch("bundled", "/compare/colocation/storage-shares/"))
        self.assertEqual(page.flags.get("AVR-11"), catalogue("bundled")["move.not-provided"])
        self.assertNotIn("AVR-11", page.to_you)

    def test_search_answers_say_the_same(self):
        for site, doc in self.each_site():
            for _, m in self.measures(doc):
                q = urllib.parse.quote(m["id"])
                res = json.loads(fetch(site, "/api/search?q=%s&limit=100" % q))
                hit = [r for r in res["results"] if r["id"] == m["id"]]
                self.assertEqual(len(hit), 1, m["id"])
                self.assertEqual(hit[0]["cells"], m["cells"], m["id"])
                text = fetch(site, "/api/search?q=%s&limit=100" % q, accept="text/html")
                self.assertIn('href="%s"' % local(m["url"]), text)
                # the results downloaded as filtered hold the same cells
                exp = json.loads(fetch(site, "/api/export?q=%s" % q))
                got = {x["id"]: x["cells"] for c in exp["categories"] for x in c["measures"]}
                self.assertEqual(got[m["id"]], m["cells"], m["id"])
            # a product filter keeps what the product rule shows for it:
            # the same as the product's own download
            kind = kinds(doc)
            for prod in [s["id"] for s in doc["scopes"] if s["kind"] == "product"]:
                exp = json.loads(fetch(site, "/api/export?product=" + prod))
                self.assertEqual(exp, json.loads(fetch(site, "/api/products/%s.json" % prod)))
                # the client's part of it: the duties of the product page
                exp = json.loads(fetch(site, "/api/export?product=%s&responsibility=client,shared"
                                       % prod))
                got = [x["id"] for c in exp["categories"] for x in c["measures"]]
                self.assertEqual(got, [m["id"] for _, m in self.measures(doc)
                                       if product_resp(m, prod, kind) in ("client", "shared")],
                                 (site, prod))

    def test_search_with_a_product_answers_by_the_product_rule(self):
        """tc-search's answers with product= hold the cells the product's
        download holds (its own, the site and organisation cells, the
        internal ones): format 12 kept a product's own cell only where the
        table has product columns (/api/search?q=MIX-1&product=box answered
        Box's X alone, and MIX-1 was not found for Vm); format 13's filters
        hold the site and organisation cells' answer (issue 21 item 5)."""
        for site in ("mixed", "german-first", "bundled"):
            doc = json.loads(fetch(site, "/api/tom.json"))
            kind = kinds(doc)
            for sc in doc["scopes"]:
                if sc["kind"] != "product":
                    continue
                for _, m in self.measures(doc):
                    if not concerns(m, sc["id"], kind):
                        continue
                    res = json.loads(fetch(site, "/api/search?q=%s&product=%s&limit=100"
                                           % (urllib.parse.quote(m["id"]), sc["id"])))
                    hit = [r for r in res["results"] if r["id"] == m["id"]]
                    self.assertEqual(len(hit), 1, (site, sc["id"], m["id"]))
                    self.assertEqual(hit[0]["cells"], shown(m, sc["id"], kind),
                                     (site, sc["id"], m["id"]))

    def test_columns_for_every_product_are_never_hidden(self):
        """Issue 21: a "Documented cryptography policy" with ✓ in its
        organisation-wide column read "Not provided" on every product page,
        a measure whose only ✓ is organisation-wide was missing from a
        product's page, and an internal system's ✓ must never count as a
        product's answer (tests/fixtures/mixed, German: german-first)."""
        for site, pid, mid, want in (
                ("mixed", "box", "MIX-1", "provider"),   # X, General ✓
                ("mixed", "rack", "MIX-1", "provider"),
                ("mixed", "vm", "MIX-2", "provider"),    # no Vm column
                ("mixed", "box", "MIX-3", "client"),     # client's, General ✓
                ("mixed", "box", "MIX-4", "none"),       # only the internal ✓
                ("mixed", "vm", "LEV-1", "none"),
                ("german-first", "server", "ZUG-1", "provider"),
                ("german-first", "server", "ZUG-3", "none")):
            one = json.loads(fetch(site, "/api/oscal/products/%s.json" % pid))
            reqs = one["component-definition"]["components"][0][
                "control-implementations"][0]["implemented-requirements"]
            req = next((r for r in reqs if r["control-id"] == mid), None)
            self.assertIsNotNone(req, (site, pid, mid))
            props = {p["name"]: p["value"] for p in req["props"]}
            self.assertEqual(props["responsibility"], want, (site, pid, mid))
            page = parse(fetch(site, "/products/%s/" % pid))
            self.assertIn(mid, [r[0] for r in page.rows], (site, pid, mid))
        # the firewall (EAC-7) of dedicated and cloud servers is shared: we
        # provide it, the client configures its rules
        tom = json.loads(fetch("bundled", "/api/tom.json"))
        eac7 = next(m for _, m in self.measures(tom) if m["id"] == "EAC-7")
        for pid in ("dedicated-servers", "cloud-servers"):
            self.assertEqual(eac7["cells"][pid]["responsibility"], "shared", pid)
            self.assertEqual(eac7["cells"][pid]["note"],
                             "we provide the firewall, you configure its rules", pid)
        # the internal system's note is shown on the product page, labelled
        page = fetch("mixed", "/products/box/")
        self.assertIn('<li class="internal">Admin systems (%s): ' % html_text(
            catalogue("mixed")["internal_scope"]), page)
        self.assertIn("daily, kept for a year", page)
        # and in the product's PDF annex, whose column is labelled too
        import subprocess
        pdf = os.path.join(STATE["mixed"].out, "products", "box", "annex", "annex.pdf")
        text = " ".join(subprocess.run(["pdftotext", "-raw", pdf, "-"], check=True,
                                       capture_output=True, text=True).stdout.split())
        self.assertIn("Admin systems (%s)" % catalogue("mixed")["internal_scope"], text)
        # Box -> Vm: MIX-1's General ✓ is both products', so nothing moves
        page = parse(fetch("mixed", "/compare/box/vm/"))
        self.assertIsNone(page.flags.get("MIX-1"))
        self.assertNotIn("MIX-1", page.to_you)

    def test_answers_that_lead_somewhere(self):
        """Issue 21: "See product description" linked nowhere, and Cloud
        servers' "Your responsibilities" opened with "(Additional) measures
        the responsibility of the Client" four times. A product's
        description (scopes.md url, url_title, url_as_of) is linked, named
        and dated; identical generic duties are one item naming the
        categories they cover."""
        page = fetch("german-first", "/products/server/")
        self.assertIn('<a class="doc" href="https://example.test/produkte/server.pdf">'
                      '„Server – Leistungsbeschreibung“</a>, Stand 01.03.2026', page)
        page = fetch("fixture", "/products/rack/")
        self.assertIn('<a class="doc" href="https://example.test/products/rack.pdf">'
                      '“Rack – service description”</a>, as of 2026-01-15', page)
        row = re.search(r'<tr id="AVR-14">.*?</tr>', fetch("bundled", "/products/cloud-servers/"),
                        re.S).group(0)
        self.assertIn('<a class="doc" href="https://progressiverobot.example/products/'
                      'cloud-servers/">the product description</a>', row)
        # the per-product level column's ✓ (CON-3, encryption in transit):
        # on a product's page, that product's description
        row = re.search(r'<tr id="CON-3">.*?</tr>', fetch("bundled", "/products/web-hosting/"),
                        re.S).group(0)
        self.assertIn('href="https://progressiverobot.example/products/web-hosting/">', row)
        # the category page links each product's own
        cat = fetch("bundled", "/categories/availability-and-resilience/")
        row = re.search(r'<tr id="AVR-14">.*?</tr>', cat, re.S).group(0)
        self.assertEqual(row.count('class="doc"'), 8)
        page = fetch("bundled", "/products/cloud-servers/")
        duties = page[page.index('<ul class="duties">'):]
        duties = duties[:duties.index("</ul>")]
        item = [li for li in duties.split("<li>") if "EAC-10" in li]
        self.assertEqual(len(item), 1)
        for mid in ("IAC-4", "ISO-3", "INT-3"):
            self.assertIn(">%s</a>" % mid, item[0])
        self.assertEqual(duties.count("(Additional) measures the responsibility of the Client"), 1)
        self.assertIn('<span class="cat">Electronic access control, Internal access control, '
                      'Isolation control, Integrity</span>', item[0])

    def test_prose_stays_between_its_tables(self):
        """Issue 21 item 6: a heading and a paragraph between two tables of
        one category stand between them on the category page, in the matrix
        and in the annex (tests/fixtures/mixed)."""
        for path in ("/categories/mixed/", "/matrix/", "/annex/"):
            page = fetch("mixed", path)
            at = [page.index(w) for w in ('id="MIX-4"', "Middle-heading", "Middle-prose",
                                           'id="MIX-5"', "After-prose")]
            self.assertEqual(at, sorted(at), path)

    def test_languages_agree_on_every_mark(self):
        """Each language's data has the same measures, scopes and cells
        with the same status and responsibility: marks are data, kept once;
        only the words differ, and its URLs lead to its own pages."""
        docs = dict(self.each_site())
        for site, (stack, prefix) in SITES.items():
            if not prefix:
                continue
            en, tr = docs[stack], docs[site]
            self.assertEqual([s["id"] for s in tr["scopes"]], [s["id"] for s in en["scopes"]])
            pairs = list(zip(self.measures(en), self.measures(tr)))
            self.assertEqual(len(pairs), len(list(self.measures(en))))
            differ = 0
            for (_, a), (_, b) in pairs:
                self.assertEqual(a["id"], b["id"])
                self.assertEqual(list(a["cells"]), list(b["cells"]), a["id"])
                for k in a["cells"]:
                    for f in ("status", "responsibility"):
                        self.assertEqual(a["cells"][k][f], b["cells"][k][f], (a["id"], k))
                self.assertTrue(local(b["url"]).startswith(prefix + "/"), b["url"])
                differ += a["text"] != b["text"]
            # translated, not copied (a name such as "Monitoring" may stay)
            self.assertGreater(differ, 0.9 * len(pairs), site)

    def test_no_client_duty_or_level_x_misread(self):
        for site, doc in self.each_site():
            for _, m in self.measures(doc):
                for scope, cell in m["cells"].items():
                    if cell["responsibility"] == "client":
                        self.assertNotEqual(cell["status"], "provided", (m["id"], scope))
                    if m["table"] == "level":
                        self.assertNotEqual(cell["status"], "not-provided", (m["id"], scope))
                    elif len(m["cells"]) == 1 and cell["label"] in ("X", "nein"):
                        # a single-column level table: no other level
                        self.assertEqual(cell["status"], "not-provided", (m["id"], scope))


if __name__ == "__main__":
    unittest.main(verbosity=2)
