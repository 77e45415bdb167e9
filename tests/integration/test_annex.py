"""A customer's annex over nginx (issue 26): /dpa/ in both languages, POST
/api/annex with two products and a released version, a company with
umlauts; the PDF read back with pdftotext holds the details, every measure
ID of those products and none of the others, the version's digest and the
document ID (recomputed here as the README defines it); the same input
twice gives the same bytes; hostile forms (each field at and over its
limit, invalid UTF-8, control characters, a 10 MB body, 1,000 products)
give 4xx and never a 5xx; and nothing of the form is in nginx's access
log, tc-search's log or any temporary file afterwards."""
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from stack import ROOT, Stack  # noqa: E402

STATE = {}
NAME = "Müller & Söhne Präzisionsmechanik GmbH"
ADDRESS = "Hauptstraße 12\n80331 München"
CONTACT = "Jürgen Weiß"
EMAIL = "jürgen.weiss@müller-söhne.example"
NUMBER = "K-2026-ÄÖÜ-0042"
PRODUCTS = ["managed-servers", "cloud-servers"]  # the data set's order differs


def setUpModule():
    # serve.sh makes its run folder (nginx's logs and temporary files)
    # under $TMPDIR: ours, to read them afterwards
    STATE["tmp"] = tempfile.mkdtemp(prefix="tc-annex-")
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = STATE["tmp"]
    try:
        STATE["s"] = Stack(os.path.join(ROOT, "content"), workers=2)
    finally:
        if old is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = old


def tearDownModule():
    if "s" in STATE:
        STATE["s"].stop()
    shutil.rmtree(STATE["tmp"], ignore_errors=True)


def post(fields, raw=None, ctype="application/x-www-form-urlencoded", accept="application/json"):
    s = STATE["s"]
    body = raw if raw is not None else urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(s.base + "/api/annex", data=body, method="POST",
                                 headers={"Content-Type": ctype, "Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def form(**over):
    f = [("product", p) for p in PRODUCTS] + [
        ("version", "2026.1"), ("name", NAME), ("address", ADDRESS.replace("\n", "\r\n")),
        ("contact", CONTACT), ("email", EMAIL), ("number", NUMBER), ("lang", "en")]
    f = [(k, v) for k, v in f if k not in over]
    for k, v in over.items():
        if v is not None:
            f.append((k, v))
    return f


def pdftext(pdf, raw=False):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as t:
        t.write(pdf)
        t.flush()
        args = ["pdftotext"] + (["-raw"] if raw else []) + [t.name, "-"]
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def doc_id(sha, version, lang, date, products, fields):
    """The README's definition, written again here."""
    text = "tc-annex-id 1\n"
    for k, v in [("sha256", sha), ("version", version), ("lang", lang), ("date", date),
                 ("products", products)] + fields:
        text += "%s %d:%s\n" % (k, len(v.encode()), v)
    return hashlib.sha256(text.encode()).hexdigest()


def published(path):
    with open(os.path.join(STATE["s"].out, path), encoding="utf-8") as f:
        return json.load(f)


class Page(unittest.TestCase):
    def test_reached_from_home_in_both_languages(self):
        s = STATE["s"]
        for home, page in (("/", "/dpa/"), ("/de/", "/de/dpa/")):
            st, _, body = s.get(home)
            self.assertEqual(st, 200)
            self.assertIn('href="%s"' % page, body)
            st, _, body = s.get(page)
            self.assertEqual(st, 200)
            self.assertIn('action="/api/annex" method="post"', body)
            for p in PRODUCTS:
                self.assertIn('name="product" value="%s"' % p, body)
            self.assertIn('<option value="2026.1">', body)
            self.assertIn('maxlength="200"', body)


class Annex(unittest.TestCase):
    def test_pdf_of_two_products_and_a_release(self):
        st, h, pdf = post(form())
        self.assertEqual(st, 200, pdf[:300])
        self.assertEqual(h["Content-Type"], "application/pdf")
        self.assertEqual(h["Cache-Control"], "no-store")
        self.assertTrue(pdf.startswith(b"%PDF-"))
        st2, _, pdf2 = post(form())
        self.assertEqual(pdf, pdf2, "the same input must give the same bytes")
        text = pdftext(pdf)
        flat = " ".join(text.split())
        for v in (NAME, CONTACT, EMAIL, NUMBER, "Hauptstraße 12", "80331 München"):
            self.assertIn(v, flat)
        release = [v for v in published("api/versions.json")["versions"]
                   if v["version"] == "2026.1"][0]
        self.assertIn(release["sha256"], flat)
        self.assertIn("2026.1 of " + release["date"], flat)
        # the document ID, recomputed: products in the data set's order,
        # the date of generation defaults to the version's
        tom = published("api/versions/2026.1/tom.json")
        order = [s["id"] for s in tom["scopes"] if s["id"] in PRODUCTS]
        want = doc_id(release["sha256"], "2026.1", "en", release["date"], ",".join(order),
                      [("name", NAME), ("address", ADDRESS), ("contact", CONTACT),
                       ("email", EMAIL), ("number", NUMBER)])
        self.assertIn("Document ID " + want, flat)
        pages = int(re.search(r"Page 1 of (\d+)", flat).group(1))
        self.assertEqual(flat.count("Document ID " + want), pages + 1)  # cover + footers
        # every measure of those products, none of the others': a row
        # begins with its ID (-raw keeps the reading order)
        rows = set(re.findall(r"^([A-Z]+-\d+)\b", pdftext(pdf, raw=True), re.M))
        mine, others = set(), set()
        for c in tom["categories"]:
            for m in c["measures"]:
                concerns = m["table"] != "product" or any(p in m["cells"] for p in PRODUCTS)
                (mine if concerns else others).add(m["id"])
        self.assertEqual(mine - rows, set())
        self.assertEqual(others & rows, set())
        # in the bundled content every product table has every product's
        # column: what is not theirs is the other products' columns
        names = {s["id"]: s["name"] for s in tom["scopes"]}
        for p in PRODUCTS:
            self.assertIn(names[p], flat)
        for s in tom["scopes"]:
            if s["kind"] == "product" and s["id"] not in PRODUCTS:
                self.assertNotIn(s["name"], flat)

    def test_in_german_with_a_date(self):
        st, _, pdf = post(form(lang="de", date="2026-12-24", version="current"))
        self.assertEqual(st, 200, pdf[:300])
        flat = " ".join(pdftext(pdf).split())
        self.assertIn("Verantwortlicher " + NAME, flat)
        self.assertIn("Erstellungsdatum 24.12.2026", flat)
        # the governing language version, as the site's annexes name it
        self.assertIn("Maßgebliche Sprachfassung Englisch (en)", flat)
        self.assertIn("geht die maßgebliche Sprachfassung vor", flat)
        self.assertIn("Ihre Verantwortung", flat)
        self.assertIn(b"/CreationDate (20261224", pdf)
        # an AVV annex names its legal basis and how the measures change
        self.assertIn("Technische und organisatorische Maßnahmen gemäß Art. 32 DSGVO i. V. m. Art. 28 Abs. 3 "
                      "lit. c DSGVO", flat)
        self.assertIn("Änderungen der Maßnahmen Der Auftragsverarbeiter veröffentlicht jede Änderung", flat)
        self.assertIn("Verzeichnis der Änderungen: https://trust.progressiverobot.example/de/changes/",
                      flat.replace("https:// ", "https://"))

    def test_in_german_of_a_release_that_froze_its_translation(self):
        # 2026.2 froze its German data set: the annex names the German
        # file with its digest, and the English one, which governs, with
        # its own, as /de/versions/2026.2/annex/ does (DPO third read R1)
        st, _, pdf = post(form(lang="de", version="2026.2"))
        self.assertEqual(st, 200, pdf[:300])
        flat = " ".join(pdftext(pdf).split()).replace("https:// ", "https://")
        with open(os.path.join(STATE["s"].out, "de/api/versions/2026.2/tom.json"), "rb") as f:
            de_sha = hashlib.sha256(f.read()).hexdigest()
        en_sha = [v for v in published("api/versions.json")["versions"]
                  if v["version"] == "2026.2"][0]["sha256"]
        self.assertNotEqual(de_sha, en_sha)
        base = "https://trust.progressiverobot.example/"
        self.assertIn("Datensatz %sde/api/versions/2026.2/tom.json SHA-256 %s" % (base, de_sha), flat)
        self.assertIn("Maßgebliche Sprachfassung Englisch (en) Datensatz %sapi/versions/2026.2/tom.json "
                      "SHA-256 %s" % (base, en_sha), flat)
        # one clause on which words bind, not a second one on today's
        # translation
        self.assertEqual(flat.count("geht die maßgebliche Sprachfassung vor"), 1)
        self.assertNotIn("Stand der Übersetzung", flat)
        # the document ID names the German file it was made of
        tom = published("de/api/versions/2026.2/tom.json")
        order = [s["id"] for s in tom["scopes"] if s["id"] in PRODUCTS]
        date = [v for v in published("api/versions.json")["versions"]
                if v["version"] == "2026.2"][0]["date"]
        want = doc_id(de_sha, "2026.2", "de", date, ",".join(order),
                      [("name", NAME), ("address", ADDRESS), ("contact", CONTACT),
                       ("email", EMAIL), ("number", NUMBER)])
        self.assertIn("Dokument-ID " + want, flat)

    def test_in_german_of_a_release_that_froze_no_translation(self):
        # 2026.1 froze no German: its words are today's translation, which
        # the translation note says once, as /de/versions/2026.1/annex/ does
        st, _, pdf = post(form(lang="de"))
        self.assertEqual(st, 200, pdf[:300])
        flat = " ".join(pdftext(pdf).split())
        self.assertIn("Maßgebliche Sprachfassung Englisch (en)", flat)
        self.assertEqual(flat.count("Stand der Übersetzung: diese Fassung des Trust Centers"), 1)
        self.assertNotIn("geht die maßgebliche Sprachfassung vor", flat)

    def test_errors_name_the_field_in_the_language(self):
        st, h, body = post(form(name=None, lang="de"), accept="text/html")
        self.assertEqual(st, 400)
        self.assertIn("Name des Verantwortlichen: Dieses Feld ist erforderlich.",
                      body.decode())
        st, h, body = post(form(name=None))
        self.assertEqual(json.loads(body)["error"]["message"],
                         "Name of the controller: this field is required.")


class Hostile(unittest.TestCase):
    LIMITS = {"name": 200, "address": 500, "contact": 200, "email": 254, "number": 64}

    def check(self, st, body, want=400):
        self.assertLess(st, 500, body[:200])
        self.assertEqual(st, want, body[:200])

    def test_each_field_at_and_over_its_limit(self):
        for field, n in self.LIMITS.items():
            for letter in ("x", "ä"):
                at = letter * (n // len(letter.encode()))
                if field == "email":
                    at = "e" * (n - 10) + "@x.example"
                st, _, body = post(form(**{field: at}))
                self.check(st, body, 200)
                st, _, body = post(form(**{field: at + "xx"}))
                self.check(st, body)
                self.assertIn(b"longer than %d bytes" % n, body)

    def test_bad_text(self):
        for raw in (b"name=M%FCller", b"name=%C3%28", b"name=a%00b", b"name=a%1Bb",
                    b"name=a%E2%80%AEb", b"contact=a%0Ab", b"address=a%0Bb", b"name=%"):
            st, _, body = post(None, raw=raw + b"&product=cloud-servers")
            self.check(st, body)

    def test_sizes_and_counts(self):
        # 10 MB: nginx refuses it by its length, before reading it
        st, _, body = post(None, raw=b"name=" + b"x" * (10 << 20) + b"&product=cloud-servers")
        self.check(st, body, 413)
        # over tc-search's 32 KiB, under nginx's 64k: tc-search refuses it unread
        st, _, body = post(None, raw=b"name=A&product=cloud-servers&contact=" + b"x" * 40000)
        self.check(st, body, 413)
        self.assertIn(b"larger than 32768 bytes", body)
        st, _, body = post([("name", "A")] + [("product", "p%d" % i) for i in range(1000)])
        self.check(st, body)
        st, _, body = post([("name", "A")] + [("product", "cloud-servers")] * 1000)
        self.check(st, body)
        st, _, body = post(form(version="0.0"))
        self.check(st, body)
        st, _, body = post(form(product=None))
        self.check(st, body)
        st, _, body = post(None, raw=b"name=A&product=cloud-servers", ctype="text/plain")
        self.check(st, body)
        st, h, body = STATE["s"].get("/api/annex")
        self.assertEqual(st, 405)
        st, _, body = STATE["s"].get("/api/health")
        self.assertEqual(st, 200)


class ZNothingKept(unittest.TestCase):
    """Last (names sort): after every request above."""

    def test_logs_and_temporary_files(self):
        runs = glob.glob(os.path.join(STATE["tmp"], "tc-serve-*"))
        self.assertEqual(len(runs), 1)
        logs = [os.path.join(runs[0], "access.log"), os.path.join(runs[0], "error.log"),
                os.path.join(STATE["s"].tmp, "serve.log")]
        text = b""
        for p in logs:
            with open(p, "rb") as f:
                text += f.read()
        self.assertIn(b"POST /api/annex", text)
        for secret in (NAME, "Müller", "M%C3%BCller", "Hauptstra", CONTACT, "weiss", NUMBER, "2026-ÄÖÜ"):
            for enc in (secret.encode(), urllib.parse.quote_plus(secret).encode()):
                self.assertNotIn(enc, text, secret)
        # nginx kept neither a body nor an answer in a file
        for sub in ("body", "fastcgi"):
            left = [f for f in glob.glob(os.path.join(runs[0], sub, "**"), recursive=True)
                    if os.path.isfile(f)]
            self.assertEqual(left, [], sub)


if __name__ == "__main__":
    unittest.main(verbosity=2)
