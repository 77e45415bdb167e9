"""The site in each of its languages, served by a real nginx: every page has
its twin in every other language, the switch and the hreflang alternates on
each page lead to it, each language has its sitemap, 404 page and data, and
/en/... leads to the root, where the default language lives.

Run by `make check-integration` (TC_BIN: the folder of tc-gen and
tc-search)."""
import html.parser
import http.client
import json
import os
import re
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from stack import ROOT, Stack  # noqa: E402

STATE = {}
LANGS = {"en": "", "de": "/de"}


def setUpModule():
    STATE["s"] = Stack(os.path.join(ROOT, "content"))


def tearDownModule():
    if "s" in STATE:
        STATE["s"].stop()


def get(path):
    return STATE["s"].get(path)


def ok(path):
    status, _, body = get(path)
    if status != 200:
        raise AssertionError("%s: %d" % (path, status))
    return body


class Head(html.parser.HTMLParser):
    """The html lang, the hreflang alternates, the language switch."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.alternates = {}
        self.switch = {}
        self.current = None
        self.in_switch = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "nav" and "langs" in (a.get("class") or ""):
            self.in_switch = True
        elif tag == "a" and self.in_switch:
            self.switch[a["hreflang"]] = a["href"]
            if a.get("aria-current"):
                self.current = a["hreflang"]

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_switch = False


def head(text):
    h = Head()
    h.feed(text)
    return h


def sitemap(prefix):
    text = ok(prefix + "/sitemap.xml")
    return [urllib.parse.urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", text)]


class Languages(unittest.TestCase):
    def test_every_page_has_its_twin_and_links_to_it(self):
        en = sitemap("")
        de = sitemap("/de")
        self.assertEqual(de, ["/de" + p for p in en])
        base = json.loads(ok("/api/tom.json"))["base_url"]
        for lang, prefix in LANGS.items():
            for path in (prefix + p for p in en):
                h = head(ok(path))
                self.assertEqual(h.lang, lang, path)
                self.assertEqual(h.current, lang, path)
                rest = path[len(prefix):]
                want = {code: p + rest for code, p in LANGS.items()}
                self.assertEqual(h.switch, want, path)
                alt = {code: base + u for code, u in want.items()}
                alt["x-default"] = base + rest
                self.assertEqual(h.alternates, alt, path)
        # the switch leads to a page that exists (sampled: every kind)
        for p in en:
            ok("/de" + p)

    def test_robots_names_each_language_sitemap(self):
        text = ok("/robots.txt")
        self.assertIn("/sitemap.xml", text)
        self.assertIn("/de/sitemap.xml", text)

    def test_each_language_has_its_404_page(self):
        status, _, body = get("/de/nowhere/")
        self.assertEqual(status, 404)
        self.assertEqual(head(body).lang, "de")
        status, _, body = get("/nowhere/")
        self.assertEqual(status, 404)
        self.assertEqual(head(body).lang, "en")

    def test_the_default_language_path_leads_to_the_root(self):
        conn = http.client.HTTPConnection(urllib.parse.urlsplit(STATE["s"].base).netloc)
        for path, want in (("/en/categories/integrity/", "/categories/integrity/"),
                           ("/en", "/")):
            conn.request("GET", path)
            r = conn.getresponse()
            r.read()
            self.assertEqual(r.status, 301, path)
            self.assertEqual(urllib.parse.urlsplit(r.getheader("Location")).path, want, path)
        conn.close()

    def test_data_per_language_with_the_same_ids(self):
        en = json.loads(ok("/api/tom.json"))
        de = json.loads(ok("/de/api/tom.json"))
        ids = lambda d: [m["id"] for c in d["categories"] for m in c["measures"]]  # noqa: E731
        self.assertEqual(ids(de), ids(en))
        self.assertTrue(all("/de/" in m["url"] for c in de["categories"] for m in c["measures"]))
        # the German words arrive as written in content/de
        eac = next(c for c in de["categories"] if c["id"] == "electronic-access-control")
        self.assertEqual(eac["title"], "Zugangskontrolle")
        import urllib.request
        with urllib.request.urlopen(STATE["s"].base + "/de/api/tom.xlsx", timeout=10) as r:
            self.assertEqual(r.read(2), b"PK")
        for path in ("/de/api/tom.csv", "/de/changes.atom",
                     "/de/api/oscal/catalog.json", "/de/api/products/cloud-servers.json"):
            self.assertEqual(get(path)[0], 200, path)
        status, headers, _ = get("/de/api/tom.csv")
        self.assertIn("text/csv", headers.get("Content-Type", ""))
        self.assertEqual(headers.get("Access-Control-Allow-Origin"), "*")

    def test_german_search_stems_and_folds(self):
        """Snowball German with umlauts folded: the forms of a word, its
        transliteration, a prefix as typed and a phrase."""
        def ids(q, lang="de"):
            body = ok("/api/search?lang=%s&q=%s" % (lang, urllib.parse.quote(q)))
            return [r["id"] for r in json.loads(body)["results"]]
        enc = ids("Verschlüsselung")
        self.assertIn("CON-3", enc)
        for q in ("verschlüsselt", "Verschluesselung", "verschluesselt", "VERSCHLÜSSELUNG"):
            self.assertEqual(ids(q), enc, q)
        self.assertEqual(sorted(ids("Zutritt")), ["PAC-%d" % i for i in range(1, 7)])
        self.assertEqual(ids("Schluessel"), ids("Schlüssel"))
        phrase = ids('"regelmäßige Schulungen"')
        self.assertTrue(phrase and phrase == ids('"regelmaessige Schulungen"'), phrase)
        # the results are the German measures, linked to the German pages
        res = json.loads(ok("/api/search?lang=de&q=Firewall"))["results"]
        self.assertTrue(res and all(r["url"].startswith("/de/categories/") for r in res), res)
        # English stays as it was: porter stemming on the English text
        self.assertIn("CON-3", ids("encrypted", "en"))
        status, _, body = get("/api/search?lang=fr&q=x")
        self.assertEqual(status, 400)
        self.assertIn("'fr' is not a language of this trust center (en, de)", body)

    def test_german_search_page(self):
        status, headers, body = STATE["s"].get("/api/search?lang=de&q=Zutritt", "text/html")
        self.assertEqual(status, 200)
        h = head(body)
        self.assertEqual(h.lang, "de")
        # the switch leads to the same search in English, and back
        self.assertEqual(h.switch, {"en": "/api/search?q=Zutritt&limit=20",
                                    "de": "/api/search?q=Zutritt&lang=de&limit=20"})
        self.assertEqual(h.current, "de")
        self.assertIn('href="/de/categories/physical-access-control/#PAC-1"', body)
        self.assertIn('name="lang" value="de"', body)
        # its downloads and pages stay German, and so does its filter form
        self.assertIn("/api/export?q=Zutritt&amp;lang=de", body)
        self.assertEqual(body.count('name="lang" value="de"'), 2, body)
        # what is mine: a choice of the form, selected when asked for
        status, _, body = STATE["s"].get(
            "/api/search?lang=de&q=Zugriff&product=cloud-servers&responsibility=client,shared",
            "text/html")
        self.assertEqual(status, 200)
        self.assertIn('<option value="client,shared" selected>Ihre Verantwortung, ganz oder teilweise</option>', body)
        self.assertIn("IAC-1", body)

    def test_released_versions_in_german(self):
        """An old annex on the German site shows the release in German as
        far as its words are still today's; the release's data file is the
        one published, byte for byte, so its digest holds."""
        text = ok("/de/versions/2026.1/annex/")
        self.assertEqual(head(text).lang, "de")
        self.assertIn("Elektronisches Zutrittskontrollsystem mit Protokollierung", text)
        self.assertNotIn("Electronic physical entry control system", text)
        self.assertEqual(ok("/de/api/versions/2026.1/tom.json"), ok("/api/versions/2026.1/tom.json"))
        versions = json.loads(ok("/de/api/versions.json"))
        self.assertTrue(versions["versions"])

    def test_every_annex_digest_is_on_its_versions_page(self):
        """What a customer does with a signed annex, in each language: read
        the data file and SHA-256 printed on it, download that file and hash
        it, and find the digest on the language's /versions/ page next to
        that same file (and in its api/versions.json). Printed, every sheet
        of the annex names its version, that file and that digest (its
        print stylesheet's page margins)."""
        import hashlib
        import urllib.request

        def raw(path):
            with urllib.request.urlopen(STATE["s"].base + path, timeout=10) as r:
                return r.read()

        meta = re.compile(r'<dl class="annex-meta">.*?<dd><a href="([^"]+)">([^<]+)</a>, '
                          r'SHA-256 <code class="digest">([0-9a-f]{64})</code>', re.S)
        row = re.compile(r'<a href="([^"]+)" download>([^<]+)</a> '
                         r'<code class="digest">([0-9a-f]{64})</code>')
        en = sitemap("")
        seen = 0
        for lang, prefix in LANGS.items():
            listed = set(row.findall(ok(prefix + "/versions/")))
            vjson = json.loads(ok(prefix + "/api/versions.json"))["versions"]
            in_json = set()
            for v in vjson:
                in_json.add((v["tom_url"], v["sha256"]))
                if "current_data" in v:
                    in_json.add((v["current_data"]["tom_url"], v["current_data"]["sha256"]))
            current, base = (json.loads(ok(prefix + "/api/tom.json"))[k] for k in ("version", "base_url"))
            annexes = [(prefix + p, current) for p in en if p.endswith("/annex/")]
            for v in vjson:
                if not v["released"]:
                    continue
                annexes.append(("%s/versions/%s/annex/" % (prefix, v["version"]), v["version"]))
                tom = json.loads(raw(v["tom_url"]))
                for sc in tom["scopes"]:
                    if sc.get("kind") == "product":
                        annexes.append(("%s/versions/%s/products/%s/annex/"
                                        % (prefix, v["version"], sc["id"]), v["version"]))
            for path, version in annexes:
                text = ok(path)
                m = meta.search(text)
                self.assertTrue(m, path)
                url, label, digest = m.groups()
                # the label names the file linked, in this language, by its
                # absolute URL: a printout leaves the site
                self.assertEqual(label, base + url, path)
                self.assertTrue(url.startswith(prefix + "/api/"), (path, url))
                self.assertEqual(hashlib.sha256(raw(url)).hexdigest(), digest, (path, url))
                # listed on this language's versions page next to a file
                # of these bytes (the current annex of a released version
                # may link api/tom.json, the list the release file): each
                # such link names its file and the file hashes to it
                there = [(u, n) for u, n, d in listed if d == digest]
                self.assertTrue(there, (path, lang, url, digest))
                for u, n in there:
                    self.assertEqual(n, u.lstrip("/"), (path, u))
                    self.assertTrue(u.startswith(prefix + "/api/"), (path, u))
                    self.assertEqual(hashlib.sha256(raw(u)).hexdigest(), digest, (path, u))
                self.assertIn(digest, {d for _, d in in_json}, (path, lang))
                # on paper: the version at the top, the file and digest at
                # the bottom of every sheet, in this language's words
                sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)" media="print">', text)
                self.assertEqual(len(sheets), 1, path)
                css = ok(sheets[0])
                top = re.search(r'@top-left \{ content: "([^"]*)"', css)
                bottom = re.search(r'@bottom-left \{ content: "([^"]*)"', css)
                self.assertTrue(top and bottom, (path, sheets[0]))
                self.assertIn(" %s " % version, top.group(1), (path, sheets[0]))
                self.assertTrue(bottom.group(1).endswith(" %s, SHA-256 %s" % (label, digest)),
                                (path, sheets[0], bottom.group(1)))
                self.assertIn("counter(pages)", css, path)
                seen += 1
        self.assertGreaterEqual(seen, 2 * (2 + 2 * 8), seen)

    def test_german_annex_is_complete(self):
        en = json.loads(ok("/api/tom.json"))
        text = ok("/de/annex/")
        for c in en["categories"]:
            for m in c["measures"]:
                self.assertIn('id="%s"' % m["id"], text, m["id"])
        self.assertIn("Zutrittskontrolle", text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
