"""The German site as a contract appendix (issue 28): every German message
pattern puts a product name where its case does not change (quoted, or in
apposition after "Produkt"), no German page puts a name after a word that
would need another case, and no German page, download or tc-search answer
carries the English catalogue's words.

Run by `make check-integration` (TC_BIN: the folder of tc-gen and
tc-search)."""
import hashlib
import html
import json
import os
import re
import sys
import unittest
import urllib.parse
import urllib.request
import zipfile

sys.path.insert(0, os.path.dirname(__file__))
from stack import ROOT, Stack  # noqa: E402

STATE = {}
PLACEHOLDERS = ("{product}", "{a}", "{b}")
# the words after which a German noun phrase takes the dative or genitive
# (or an article that fixes its case): a name there would have to inflect
CASE_WORDS = ("mit", "von", "bei", "für", "zu", "aus", "nach", "seit", "gegenüber", "vom", "zum",
              "beim", "im", "am", "dem", "den", "des", "der", "einem", "eines")


def setUpModule():
    STATE["s"] = Stack(os.path.join(ROOT, "content"))
    with open(os.path.join(ROOT, "templates", "i18n", "de.json"), encoding="utf-8") as f:
        STATE["de"] = json.load(f)
    with open(os.path.join(ROOT, "templates", "i18n", "en.json"), encoding="utf-8") as f:
        STATE["en"] = json.load(f)
    with open(os.path.join(STATE["s"].out, "de", "api", "tom.json"), encoding="utf-8") as f:
        tom = json.load(f)
    STATE["products"] = [s["name"] for s in tom["scopes"] if s["kind"] == "product"]


def tearDownModule():
    if "s" in STATE:
        STATE["s"].stop()


def visible(text):
    """A page's words as read: tags dropped, entities decoded, one space."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def german_files(kinds):
    out = os.path.join(STATE["s"].out, "de")
    for root, _, files in os.walk(out):
        for f in sorted(files):
            if f.endswith(kinds):
                yield os.path.join(root, f)


def inflected(text, names):
    """Each place where a name follows a word that fixes another case."""
    alt = "|".join(re.escape(n) for n in names)
    pat = re.compile(r"\b(%s) (%s)\b" % ("|".join(CASE_WORDS), alt))
    return [text[max(0, m.start() - 40):m.end() + 10] for m in pat.finditer(text)]


# A word of the English catalogue is one of at least this many letters: shorter
# ones ("for", "and", "all") are also parts of names and codes.
MIN_WORD = 5
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+(?:'s)?")


def catalogue_words(text):
    text = re.sub(r"<[^>]+>|\{[a-z_]+\}|&[a-z]+;", " ", text)
    return WORD.findall(text)


def english_words():
    """The English catalogue's words that German never writes: those of each
    word of en.json that differs from de.json, MIN_WORD letters or more, and
    in neither the German catalogue nor the German content (whose own words
    include names and terms it quotes, "Privacy by Default", "Cluster")."""
    if "english" in STATE:
        return STATE["english"]
    german = set(w.lower() for v in STATE["de"].values() for w in catalogue_words(v))
    folder = os.path.join(ROOT, "content", "de")
    for root, _, files in os.walk(folder):
        for f in files:
            with open(os.path.join(root, f), encoding="utf-8") as fh:
                german.update(w.lower() for w in WORD.findall(fh.read()))
    eng = set()
    for key, word in STATE["en"].items():
        if STATE["de"].get(key) == word:
            continue
        eng.update(w.lower() for w in catalogue_words(word)
                   if len(w) >= MIN_WORD and w.lower() not in german)
    STATE["english"] = eng
    return eng


# a link, a host name or a path is an address, not a word
# ("trust.progressiverobot.example", "api/oscal/catalog.json", "/api/search")
ADDRESS = re.compile(r"\S*(?:://|\.example|@|/|\.(?:json|csv|md|xlsx|atom|pdf)\b)\S*")


# German words that are English words too
GERMAN_TOO = {"links", "person", "absolute"}


def schema_words():
    """The data's own words, which the German text quotes as they are: the
    schemas' property names and enum values, and each part of a
    hyphenated value ("subprocessor-added", "not-applicable")."""
    if "schema_words" in STATE:
        return STATE["schema_words"]
    out = set()

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k == "properties" and isinstance(v, dict):
                    out.update(x.lower() for name in v for x in re.split(r"[_\-]", name))
                if k in ("enum", "const"):
                    for e in (v if isinstance(v, list) else [v]):
                        if isinstance(e, str):
                            out.update(x.lower() for x in re.split(r"[_\-]", e))
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    # the published schemas: tc-gen fills in the vocabulary's IDs
    folder = os.path.join(STATE["s"].out, "api", "schema")
    for f in os.listdir(folder):
        with open(os.path.join(folder, f), encoding="utf-8") as fh:
            walk(json.load(fh))
    STATE["schema_words"] = out
    return out


def english_in(text, data=()):
    """The English catalogue's words in text, but for those in data (words
    of the data that the text quotes)."""
    eng = english_words()
    return sorted(set(w for w in WORD.findall(ADDRESS.sub(" ", text))
                      if w.lower() in eng and w.lower() not in GERMAN_TOO
                      and w.lower() not in data))


def json_prose(doc, keys, skip=lambda o: False):
    """The strings of doc under the keys in keys (words for people), not
    those of an object skip says is data (a mark as written, an ID)."""
    if isinstance(doc, dict):
        if skip(doc):
            return
        for k, v in doc.items():
            if isinstance(v, str) and k in keys:
                yield v
            else:
                yield from json_prose(v, keys, skip)
    elif isinstance(doc, list):
        for v in doc:
            yield from json_prose(v, keys, skip)


class Names(unittest.TestCase):
    def test_every_pattern_quotes_its_name(self):
        bad = []
        for key, pattern in STATE["de"].items():
            for ph in PLACEHOLDERS:
                if ph not in pattern:
                    continue
                for name in STATE["products"]:
                    text = pattern.replace(ph, name)
                    for m in re.finditer(re.escape(name), text):
                        before, after = text[:m.start()], text[m.end():]
                        quoted = before.endswith("„") and after.startswith("“")
                        if not quoted:
                            bad.append("%s: %s" % (key, text))
        self.assertEqual(bad, [])

    def test_no_german_page_inflects_a_name(self):
        bad = []
        for path in german_files((".html", ".atom", ".xml")):
            with open(path, encoding="utf-8") as f:
                for hit in inflected(visible(f.read()), STATE["products"]):
                    bad.append("%s: %s" % (os.path.relpath(path, STATE["s"].out), hit))
        self.assertEqual(bad, [])


class Oscal(unittest.TestCase):
    """G31: the German OSCAL files are German: titles, roles, each
    requirement's sentence and each statement's text come from the
    catalogue; the props keep the mark as written and the IDs."""

    def test_oscal_prose_is_german(self):
        folder = os.path.join(STATE["s"].out, "de", "api", "oscal")
        bad, seen = [], 0
        for root, _, files in os.walk(folder):
            for f in sorted(files):
                with open(os.path.join(root, f), encoding="utf-8") as fh:
                    doc = json.load(fh)
                # a prop's value is data (an ID, the mark as written), but
                # the note is the translation's text
                texts = list(json_prose(doc, ("title", "description", "prose", "value"),
                                        lambda o: "value" in o and o.get("name") != "note"))
                seen += len(texts)
                for t in texts:
                    words = english_in(t)
                    if words:
                        bad.append("%s: %s (%s)" % (f, t[:90], ", ".join(words)))
        self.assertGreater(seen, 400)
        self.assertEqual(bad, [])

    def test_requirement_names_the_product_as_the_glossary_does(self):
        path = os.path.join(STATE["s"].out, "de", "api", "oscal", "products", "cloud-servers.json")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertFalse("For Cloud Server" in text)
        self.assertIn("Für das Produkt „Cloud Server“: von uns bereitgestellt.", text)
        self.assertIn("Progressiverobot, Produkt „Cloud Server“: technische und organisatorische "
                      "Maßnahmen", text)
        doc = json.loads(text)
        roles = doc["component-definition"]["metadata"]["roles"]
        self.assertEqual([r["id"] for r in roles], ["provider", "customer"])
        self.assertEqual(roles[0]["title"], "Auftragsverarbeiter")
        # a word mark is its status's icon in the sentence, beside the word
        self.assertIn("◆ (Verantwortung des Kunden; Ihre Verantwortung)", text)
        self.assertFalse("Client's responsibility (" in text)


def read_csv(rel, sep=","):
    import csv
    with open(os.path.join(STATE["s"].out, rel), encoding="utf-8", newline="") as f:
        text = f.read()
    STATE.setdefault("bom", {})[rel] = text.startswith("\ufeff")
    return list(csv.reader(text.lstrip("\ufeff").splitlines(), delimiter=sep))


# the CSV columns that hold data (IDs, the mark as written, addresses): the
# same in every language
CSV_DATA = ("category_id", "measure_id", "scope_id", "scope_kind", "status", "responsibility",
            "label", "url", "mappings")


class Csv(unittest.TestCase):
    """G30/F5 and F4: the German CSV has the status and responsibility in
    German beside the mark as written, and a semicolon file German Excel
    opens in columns; the English CSV keeps its columns."""

    def test_english_columns_unchanged(self):
        head = read_csv("api/tom.csv")[0]
        self.assertEqual(head, ["category_id", "category_title", "measure_id", "measure_text",
                                "scope_id", "scope_name", "scope_kind", "status",
                                "responsibility", "label", "note", "url", "mappings"])

    def test_german_words_beside_the_mark(self):
        rows = read_csv("de/api/tom.csv")
        head = rows[0]
        self.assertEqual(head[9:12], ["label", "status_text", "responsibility_text"])
        col = {h: i for i, h in enumerate(head)}
        de = STATE["de"]
        marks = {}
        for r in rows[1:]:
            self.assertEqual(len(r), len(head))
            self.assertEqual(r[col["status_text"]], de["status." + r[col["status"]]])
            self.assertEqual(r[col["responsibility_text"]],
                             de["resp." + r[col["responsibility"]]])
            marks.setdefault(r[col["label"]], set()).add(r[col["status_text"]])
        # a bare X is never alone: "Nicht angeboten" or "Nicht auf dieser Ebene" beside it
        self.assertEqual(marks["X"], {"Nicht angeboten", "Nicht auf dieser Ebene"})
        self.assertEqual(marks["Client's responsibility"], {"Verantwortung des Kunden"})
        self.assertEqual(marks["NA"], {"Nicht anwendbar"})

    def test_semicolon_csv_for_german_excel(self):
        comma = read_csv("de/api/tom.csv")
        semi = read_csv("de/api/tom.semicolon.csv", ";")
        self.assertTrue(STATE["bom"]["de/api/tom.semicolon.csv"])
        self.assertEqual(semi, comma)
        self.assertEqual(read_csv("api/tom.semicolon.csv", ";"), read_csv("api/tom.csv"))
        for page in ("de/api/index.html", "de/index.html"):
            with open(os.path.join(STATE["s"].out, page), encoding="utf-8") as f:
                self.assertIn('href="/de/api/tom.semicolon.csv"', f.read(), page)
        # each product's too, linked on its page
        self.assertEqual(read_csv("de/api/products/cloud-servers.semicolon.csv", ";"),
                         read_csv("de/api/products/cloud-servers.csv"))
        with open(os.path.join(STATE["s"].out, "de/products/cloud-servers/index.html"),
                  encoding="utf-8") as f:
            self.assertIn('href="/de/api/products/cloud-servers.semicolon.csv" download>'
                          'CSV für Excel (;)</a>', f.read())

    def test_german_csv_text_is_german(self):
        bad = []
        for rel in ("de/api/tom.csv", "de/api/products/cloud-servers.csv"):
            rows = read_csv(rel)
            data = [i for i, h in enumerate(rows[0]) if h in CSV_DATA]
            for r in rows[1:]:
                for i, v in enumerate(r):
                    if i not in data and english_in(v):
                        bad.append("%s: %s (%s)" % (rel, v, english_in(v)))
        self.assertEqual(bad, [])


def xlsx_cells(rel):
    """{sheet: [(column letter, text)]} of a workbook's inline strings."""
    with zipfile.ZipFile(os.path.join(STATE["s"].out, rel)) as z:
        out = {}
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet"):
                xml = z.read(n).decode("utf-8")
                out[n] = [(c, html.unescape(t)) for c, t in re.findall(
                    r'<c r="([A-Z]+)\d+"[^>]*><is><t[^>]*>(.*?)</t></is></c>', xml, re.S)]
        return out


class Workbook(unittest.TestCase):
    def test_german_workbook_text_is_german(self):
        """The German workbook's words are German; its data columns (the
        measure ID B, the mark as written H, mappings J, URL K, IDs L, M)
        and the cover's IDs and addresses stay as the data has them."""
        bad = []
        for rel in ("de/api/tom.xlsx", "de/api/products/cloud-servers.xlsx"):
            sheets = xlsx_cells(rel)
            measures = sheets["xl/worksheets/sheet2.xml"]
            self.assertIn(("E", "Produkt"), measures)
            self.assertNotIn(("E", "product"), measures)
            for sheet, cells in sheets.items():
                for col, text in cells:
                    if sheet.endswith("sheet2.xml") and col in "BHJKLM":
                        continue
                    if sheet.endswith("sheet1.xml") and col == "C":
                        continue  # the legend's "ID in JSON und CSV" column
                    if english_in(text):
                        bad.append("%s %s: %s (%s)" % (rel, col, text[:80], english_in(text)))
        self.assertEqual(bad, [])

    def test_the_export_is_the_download_in_every_language(self):
        """tc-search's workbook of a filter is the static one's bytes, in
        German too (its helper wrote English sheets, headers and words),
        and both name the governing language version with its digest."""
        with open(os.path.join(STATE["s"].out, "api", "tom.json"), "rb") as f:
            en_sha = hashlib.sha256(f.read()).hexdigest()
        for prefix, lang in (("", ""), ("de/", "&lang=de")):
            with urllib.request.urlopen(
                    STATE["s"].base + "/api/export?format=xlsx&product=cloud-servers" + lang,
                    timeout=30) as r:
                body = r.read()
            with open(os.path.join(STATE["s"].out, prefix + "api", "products",
                                   "cloud-servers.xlsx"), "rb") as f:
                self.assertEqual(body, f.read(), prefix)
            cover = " ".join(t for _, t in xlsx_cells(prefix + "api/tom.xlsx")[
                "xl/worksheets/sheet1.xml"])
            self.assertIn(en_sha, cover, prefix)
        cover = " ".join(t for _, t in xlsx_cells("de/api/tom.xlsx")["xl/worksheets/sheet1.xml"])
        self.assertIn(STATE["de"]["governing"], cover)
        self.assertIn(STATE["de"]["xlsx.governing_other"], cover)


def field_rows(rel):
    """(schema title, [(path, type, description)]) of an /api/ page's field
    reference, in order."""
    with open(os.path.join(STATE["s"].out, rel), encoding="utf-8") as f:
        page = f.read()
    sec = page[page.index('id="schema-h"'):]
    parts = re.split(r'<h3 id="schema-\w+">', sec)[1:]
    out = []
    for body in parts:
        title = html.unescape(re.match(r"(.*?):", body).group(1))
        rows = [tuple(html.unescape(c) for c in r) for r in re.findall(
            r'<tr><th scope="row"><code>(.*?)</code></th><td>(.*?)</td><td>(.*?)</td></tr>', body)]
        out.append((title, rows))
    return out


class ApiFields(unittest.TestCase):
    """G29: the German /api/ page's field reference is German: each schema's
    title and each field's description from templates/i18n/de.schemas.json,
    "one of"/"always" from the catalogue; paths and JSON types stay."""

    def test_every_description_translated(self):
        en, de = field_rows("api/index.html"), field_rows("de/api/index.html")
        self.assertEqual(len(en), len(de))
        bad, n = [], 0
        for (te, re_), (td, rd) in zip(en, de):
            if td == te:
                bad.append("title: " + te)
            self.assertEqual([r[0] for r in re_], [r[0] for r in rd])
            for (path, _, de_en), (_, typ, de_de) in zip(re_, rd):
                if de_en:
                    n += 1
                    if de_de == de_en or english_in(de_de, schema_words()):
                        bad.append("%s: %s" % (path, de_de))
                if english_in(typ, schema_words()) or typ.startswith(("one of", "always")):
                    bad.append("%s type: %s" % (path, typ))
        self.assertGreater(n, 60)
        self.assertEqual(bad, [])


class ApiExamples(unittest.TestCase):
    def test_german_examples_fetch_german_files(self):
        """F3: the German /api/ page's curl examples fetch the German files
        (whose digest the German annex prints) and ask for German answers."""
        with open(os.path.join(STATE["s"].out, "de", "api", "index.html"), encoding="utf-8") as f:
            page = html.unescape(f.read())
        base = "https://trust.progressiverobot.example"
        self.assertIn("curl -O '%s/de/api/tom.json'" % base, page)
        self.assertIn("'%s/de/api/tom.xlsx'" % base, page)
        self.assertIn("'%s/api/search?q=firewall&limit=5&lang=de'" % base, page)
        self.assertNotIn("'%s/api/tom.json'" % base, page)


class SearchErrors(unittest.TestCase):
    """G32: tc-search's HTML error pages are in the request's language, the
    page around them too; the JSON message stays English."""
    CASES = (
        ("/api/search?q=&lang=de", 400,
         "Der Suchbegriff („q“) muss mindestens einen Buchstaben oder eine Ziffer enthalten."),
        ("/api/search?q=firewall&limit=0&lang=de", 400,
         "Der Parameter „limit“ muss eine ganze Zahl von 1 bis 100 sein."),
        ("/api/search?q=firewall&product=nope&lang=de", 400,
         "Der Parameter „product“ nennt kein Produkt dieses Trust Centers."),
        ("/api/search?q=firewall&status=yes&lang=de", 400,
         "Der Parameter „status“ muss einen dieser Werte haben: provided, not-provided,"),
        ("/api/search?q=firewall&color=red&lang=de", 400, "Unbekannter Parameter „color“."),
        ("/api/search?lang=de", 400, "Der Parameter „q“ fehlt."),
    )

    def test_german_error_pages(self):
        s = STATE["s"]
        for path, status, message in self.CASES:
            code, headers, body = s.get(path, accept="text/html")
            self.assertEqual(code, status, path)
            self.assertIn('lang="de"', body, path)
            page = visible(body)
            self.assertIn(message, page, path)
            self.assertIn(str(status) + " ", page, path)
            self.assertEqual(english_in(page, schema_words()), [], path)

    def test_english_and_json_unchanged(self):
        s = STATE["s"]
        code, _, body = s.get("/api/search?q=&lang=en", accept="text/html")
        self.assertEqual(code, 400)
        self.assertIn("parameter &#39;q&#39; must contain at least one letter or digit", body)
        code, _, body = s.get("/api/search?q=&lang=de")
        self.assertEqual(json.loads(body)["error"]["message"],
                         "parameter 'q' must contain at least one letter or digit")


def read_as_german(page):
    """The words of an HTML page or feed a German reader reads as the
    site's German: code and preformatted text (field names, commands) and
    whatever the page marks as another language (lang="en": the language
    switcher's "English") are left out."""
    # a feed's entries carry their HTML escaped: read it as the reader shows it
    page = re.sub(r'(<content type="html"[^>]*>)(.*?)(</content>)',
                  lambda m: m.group(1) + html.unescape(m.group(2)) + m.group(3), page, flags=re.S)
    page = re.sub(r"<(code|pre)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'<(\w+)\b[^>]*\blang="(?!de)[a-z-]+"[^>]*>.*?</\1>', " ", page, flags=re.S)
    return visible(page)


class NoEnglish(unittest.TestCase):
    """Item 5 of issue 28: no German page, feed or tc-search HTML answer
    carries a word of the English catalogue (en.json's words that differ
    from de.json, MIN_WORD letters or more, not German too, not a name or
    term the German content quotes, not the data's own IDs). The
    downloads are scanned by Csv, Workbook and Oscal; the field reference
    by ApiFields."""

    def scan(self, name, text, bad):
        words = english_in(text, schema_words())
        if words:
            bad.append("%s: %s" % (name, ", ".join(words)))

    def test_every_german_page_and_feed(self):
        bad, n = [], 0
        for path in german_files((".html", ".atom")):
            with open(path, encoding="utf-8") as f:
                self.scan(os.path.relpath(path, STATE["s"].out), read_as_german(f.read()), bad)
            n += 1
        self.assertGreater(n, 100)
        self.assertEqual(bad, [])

    def test_tc_search_html_answers(self):
        s = STATE["s"]
        bad = []
        for path in ("/api/search?q=firewall&lang=de", "/api/search?q=verschl&lang=de",
                     "/api/search?q=zzzzqqq&lang=de",
                     "/api/search?q=backup&product=cloud-servers&lang=de",
                     "/api/changes?since=2026.1&lang=de", "/api/search?q=&lang=de",
                     "/api/search?q=x&limit=500&lang=de"):
            code, _, body = s.get(path, accept="text/html")
            self.assertIn(code, (200, 400), path)
            self.assertIn('<html lang="de"', body, path)
            self.scan(path, read_as_german(body), bad)
        self.assertEqual(bad, [])


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def dated_words(page):
    """A page's or feed's words as read, without addresses and the feed's
    machine elements (its updated, published and id are RFC 3339)."""
    page = re.sub(r"<(updated|published|id)>.*?</\1>", " ", page, flags=re.S)
    return ADDRESS.sub(" ", visible(page))


class Dates(unittest.TestCase):
    """F1: dates on the German changes page, the versions table, the
    certificate and subprocessor entries and their feed as German writes
    them (26.11.2026); the data (JSON, CSV, datetime attributes) keep ISO.
    The certificates and subprocessors are the fictional example's (the
    bundled content has none)."""

    @classmethod
    def setUpClass(cls):
        import subprocess
        import tempfile
        from stack import BIN
        cls.tmp = tempfile.mkdtemp(prefix="tc-de-dates-")
        cls.fic = os.path.join(cls.tmp, "public")
        subprocess.run([os.path.join(BIN, "tc-gen"), "--content",
                        os.path.join(ROOT, "examples", "fictional"), "--templates",
                        os.path.join(ROOT, "templates"), "--output", cls.fic, "--index", ""],
                       check=True, stdout=subprocess.DEVNULL)

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def read(self, root, rel):
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            return f.read()

    def test_no_iso_date_in_german_words(self):
        out = STATE["s"].out
        pages = [(out, "de/changes/index.html"), (out, "de/versions/index.html"),
                 (out, "de/products/cloud-servers/changes/index.html"),
                 (self.fic, "de/certificates/index.html"),
                 (self.fic, "de/subprocessors/index.html"), (self.fic, "de/subprocessors.atom"),
                 (self.fic, "de/changes/index.html"), (self.fic, "de/versions/index.html")]
        bad = []
        for root, rel in pages:
            words = dated_words(self.read(root, rel))
            for m in ISO_DATE.finditer(words):
                bad.append("%s: %s" % (rel, words[max(0, m.start() - 40):m.end()]))
        self.assertEqual(bad, [])

    def test_german_dates_where_they_are_read(self):
        self.assertIn("Version 2026.1 vom 26.11.2026",
                      visible(self.read(STATE["s"].out, "de/changes/index.html")))
        certs = visible(self.read(self.fic, "de/certificates/index.html"))
        self.assertIn("Gültigkeit 01.03.2025 – 28.02.2028", certs)
        self.assertIn("Erneuerung fällig: gültig bis 10.01.2027", certs)
        subs = self.read(self.fic, "de/subprocessors/index.html")
        self.assertIn("Im Einsatz seit 01.01.2024", visible(subs))
        # the machine-readable date stays ISO
        self.assertRegex(subs, r'<time datetime="\d{4}-\d{2}-\d{2}">\d{2}\.\d{2}\.\d{4}</time>')
        # English as it was: ISO
        self.assertIn("2026-11-26", visible(self.read(STATE["s"].out, "changes/index.html")))


class Governing(unittest.TestCase):
    """Which language's data set binds, on the German annexes as on paper."""

    def test_annexes_name_the_governing_data_set(self):
        import hashlib
        import subprocess
        out = STATE["s"].out
        with open(os.path.join(out, "api", "tom.json"), "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        url = "https://trust.progressiverobot.example/api/tom.json"
        for annex in ("annex", "products/cloud-servers/annex"):
            with open(os.path.join(out, "de", annex, "index.html"), encoding="utf-8") as f:
                page = visible(f.read())
            self.assertIn("Maßgebliche Sprachfassung Englisch (en): %s , SHA-256 %s" % (url, digest),
                          page)
            self.assertIn("Der Wortlaut dieser Anlage ist eine Übersetzung.", page)
            pdf = subprocess.run(["pdftotext", "-l", "1", os.path.join(out, "de", annex, "annex.pdf"),
                                  "-"], check=True, capture_output=True, text=True).stdout
            words = " ".join(pdf.split())
            self.assertIn("Maßgebliche Sprachfassung Englisch (en): %s SHA-256 %s" % (url, digest),
                          words)
            self.assertIn("vom 07.12.2026", words)

    def test_a_frozen_translation_says_the_original_governs(self):
        """A fresh DPO read (N2): the annex of a release that froze its German
        words named the governing English file but not the sentence that it
        prevails, which the current annex of the same version says."""
        import subprocess
        out = STATE["s"].out
        sentence = "Der Wortlaut dieser Anlage ist eine Übersetzung. Verbindlich ist die oben genannte"
        for annex in ("versions/2026.2/annex", "versions/2026.2/products/cloud-servers/annex"):
            with open(os.path.join(out, "de", annex, "index.html"), encoding="utf-8") as f:
                self.assertIn(sentence, visible(f.read()), annex)
            pdf = subprocess.run(["pdftotext", os.path.join(out, "de", annex, "annex.pdf"), "-"],
                                 check=True, capture_output=True, text=True).stdout
            self.assertIn(sentence, " ".join(pdf.split()), annex)

    def test_the_annex_form_dates_its_versions_in_german(self):
        """F1 came back on /de/dpa/: the version list said "vom 2026-12-07"."""
        with open(os.path.join(STATE["s"].out, "de", "dpa", "index.html"), encoding="utf-8") as f:
            page = f.read()
        self.assertIn("2026.1 vom 26.11.2026", page)
        self.assertNotRegex(page, r"vom \d{4}-\d{2}-\d{2}")

    def test_annexes_are_ready_for_an_avv(self):
        """Review F7/F8: legal basis, the AVV it belongs to, how the measures change, mappings as
        non-binding; on every German annex page and PDF."""
        import subprocess
        out = STATE["s"].out
        changes = "https://trust.progressiverobot.example/de/changes/"
        for annex in ("annex", "products/cloud-servers/annex", "versions/2026.1/annex"):
            with open(os.path.join(out, "de", annex, "index.html"), encoding="utf-8") as f:
                page = visible(f.read())
            self.assertIn("Technische und organisatorische Maßnahmen", page)
            self.assertIn("gemäß Art. 32 DSGVO i. V. m. Art. 28 Abs. 3 lit. c DSGVO", page)
            self.assertIn("AVV Datum und Nummer des AVV, zu dem diese Anlage gehört", page)
            self.assertIn("Änderungen der Maßnahmen Der Auftragsverarbeiter veröffentlicht jede Änderung", page)
            self.assertIn("Verzeichnis der Änderungen: " + changes, page)
            if "versions" not in annex:  # a release's data set keeps no mappings
                self.assertIn("Unverbindliche Zuordnung: ISO/IEC 27001:2022 A.", page)
            self.assertIn("sichern keine Konformität mit der Norm zu", page)
            self.assertNotIn("iso27001-2022", page)
            pdf = subprocess.run(["pdftotext", os.path.join(out, "de", annex, "annex.pdf"), "-"],
                                 check=True, capture_output=True, text=True).stdout
            words = " ".join(pdf.split()).replace("https:// ", "https://")
            self.assertIn("gemäß Art. 32 DSGVO i. V. m. Art. 28 Abs. 3 lit. c DSGVO", words)
            self.assertIn("Datum und Nummer des AVV, zu dem diese Anlage gehört", words)
            self.assertIn("Änderungen der Maßnahmen Der Auftragsverarbeiter veröffentlicht", words)
            self.assertIn("Verzeichnis der Änderungen: " + changes, words)

    def test_dates_as_german_writes_them(self):
        with open(os.path.join(STATE["s"].out, "de", "index.html"), encoding="utf-8") as f:
            page = visible(f.read())
        self.assertIn("TOM-Version 2026.2 vom 07.12.2026", page)
        self.assertNotIn("vom 2026-12-07", page)


class Counts(unittest.TestCase):
    """Review G2 again (a fresh read): "0 Maßnahmen liegen beim Produkt …" on the comparison pages. A
    count of none is said in words, from the catalogue's zero form; and N7: the product page says
    plainly that a site's or the organisation's column applies to every product there."""

    def test_no_count_of_none_as_a_number(self):
        out, n = STATE["s"].out, 0
        for root, _, files in os.walk(out):
            for f in files:
                if not f.endswith(".html"):
                    continue
                with open(os.path.join(root, f), encoding="utf-8") as fh:
                    page = visible(fh.read())
                rel = os.path.relpath(os.path.join(root, f), out)
                self.assertNotRegex(page, r"(?<![\d.,])0 (Maßnahmen|measures?) ", rel)
                n += 1
        self.assertGreater(n, 200)
        with open(os.path.join(out, "de", "compare", "storage-boxes", "web-hosting", "index.html"),
                  encoding="utf-8") as fh:
            page = visible(fh.read())
        self.assertIn("Keine Maßnahme liegt beim Produkt „Webhosting“ stärker bei Ihnen", page)
        with open(os.path.join(out, "compare", "storage-boxes", "web-hosting", "index.html"),
                  encoding="utf-8") as fh:
            self.assertIn("No measure becomes more of your job with Web hosting", visible(fh.read()))

    def test_every_product_columns_said_plainly(self):
        out = STATE["s"].out
        for lang, words in (("de", ("keine eigene Spalte für das Produkt „Cloud Server“",
                                    "gilt für jedes Produkt an diesem Standort bzw. in der gesamten "
                                    "Organisation, also auch für das Produkt „Cloud Server“")),
                            ("", ("have no column of their own for Cloud servers",
                                  "applies to every product at that site or throughout the "
                                  "organisation, Cloud servers included"))):
            with open(os.path.join(out, lang, "products", "cloud-servers", "index.html"),
                      encoding="utf-8") as fh:
                page = visible(fh.read())
            for w in words:
                self.assertIn(w, page)
            self.assertNotIn("Ihre standort- oder organisationsweiten Spalten", page)


class PrintHeader(unittest.TestCase):
    """Review F7 (a fresh read): a printed page of a product's annex names the product, its version
    and date in the running header, in the print view (its pages named for the product in the
    language's print sheet) as in the PDF (test_pdf)."""

    def test_product_annex_pages_name_the_product(self):
        out = STATE["s"].out
        for annex, css, head in (
                ("de/products/storage-shares/annex", "de/assets/print.css",
                 "Progressiverobot: TOM für das Produkt „Storage Shares“, Version 2026.2 vom 07.12.2026"),
                ("de/versions/2026.1/products/colocation/annex", "de/versions/2026.1/print.css",
                 "Progressiverobot: TOM für das Produkt „Colocation“, Version 2026.1 vom 26.11.2026"),
                ("products/storage-shares/annex", "assets/print.css",
                 "Progressiverobot: TOMs for Storage Shares, version 2026.2 of 2026-12-07")):
            with open(os.path.join(out, annex, "index.html"), encoding="utf-8") as f:
                body = re.search(r"<body[^>]*>", f.read()).group(0)
            page = re.search(r'class="(print-p-[a-z0-9-]+)"', body).group(1)
            with open(os.path.join(out, css), encoding="utf-8") as f:
                sheet = f.read()
            self.assertIn("@page %s {\n  @top-left { content: \"%s\"; }" % (page, head), sheet)
            self.assertIn("body.%s { page: %s; }" % (page, page), sheet)
        # the whole set's annex keeps the unnamed pages
        with open(os.path.join(out, "de", "annex", "index.html"), encoding="utf-8") as f:
            self.assertNotIn("print-p-", re.search(r"<body[^>]*>", f.read()).group(0))


class OldReleaseWords(unittest.TestCase):
    """Review G17/N3 of a fresh read: 2026.1 froze no German, and the words it kept in English (its
    free-text marks, which the original has changed since) were quoted in English on the German
    changes page and 2026.1 annex. content/de/releases.md's `words` give them in German for the
    pages, stated as a translation; the release file and its download keep the English."""

    def test_german_words_of_2026_1(self):
        out = STATE["s"].out
        for rel in ("de/changes/index.html", "de/versions/2026.1/annex/index.html",
                    "de/products/storage-shares/changes/index.html"):
            with open(os.path.join(out, rel), encoding="utf-8") as f:
                page = f.read()
            # lang="en" is left only on the language switcher's "English"
            self.assertEqual(re.findall(r'<(?!a )[^>]*\blang="en"', page), [], rel)
            words = visible(page)
            self.assertIn("Rootkit-Tests", words, rel)
            self.assertNotIn("rootkit tests", words, rel)
            self.assertIn("ist eine Übersetzung", words, rel)
        with open(os.path.join(out, "de", "versions", "2026.1", "annex", "index.html"),
                  encoding="utf-8") as f:
            self.assertIn("Redundante Speicherung innerhalb des Cluster-Systems", visible(f.read()))
        with open(os.path.join(out, "de", "api", "versions", "2026.1", "tom.json"), encoding="utf-8") as f:
            tom = f.read()
        with open(os.path.join(ROOT, "content", "releases", "2026.1.json"), encoding="utf-8") as f:
            self.assertEqual(json.loads(tom), json.load(f)["tom"])
        self.assertIn('"rootkit tests"', tom)


def pdf_words(path):
    import subprocess
    text = subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True,
                          text=True).stdout
    return " ".join(text.split()).replace("https:// ", "https://")


class ThirdRead(unittest.TestCase):
    """The DPO's third read (docs/translation-review-de.md, R2-R6), in both
    languages where it applies."""

    def read(self, rel):
        with open(os.path.join(STATE["s"].out, rel), encoding="utf-8") as f:
            return f.read()

    def test_who_does_a_free_text_mark_is_a_phrase(self):
        """R2 (G17): a free-text mark was followed by the badge word in
        parentheses, capitalised mid-sentence: "Rootkit-Tests (Von uns
        bereitgestellt)"; it is the responsibility's phrase."""
        for prefix, want, wrong in (("de/", "Rootkit-Tests (von uns bereitgestellt)", "(Von uns"),
                                    ("", "rootkit tests (provided by us)", "(Provided by us)")):
            for rel in ("changes/index.html", "products/storage-shares/changes/index.html",
                        "versions/2026.1/annex/index.html", "changes.atom"):
                words = visible(html.unescape(self.read(prefix + rel)))
                self.assertIn(want, words, prefix + rel)
                self.assertNotIn(wrong, words, prefix + rel)
            # the whole set's PDF is too narrow for who does it: a product's
            words = pdf_words(os.path.join(STATE["s"].out, prefix + "versions/2026.1/products/"
                                           "storage-shares/annex/annex.pdf"))
            self.assertIn(want, words, prefix)
            self.assertNotIn(wrong, words, prefix)
            lang = "&lang=de" if prefix else ""
            st, _, body = STATE["s"].get("/api/changes?since=2026.1" + lang, accept="text/html")
            self.assertEqual(st, 200)
            self.assertIn(want, visible(body), prefix)
            self.assertNotIn(wrong, visible(body), prefix)

    def test_the_workbook_does_not_call_itself_the_annex(self):
        """R3: every German workbook's cover said "Der Wortlaut dieser Anlage
        ist eine Übersetzung"."""
        for prefix, lang in (("de/", "de"), ("", "en")):
            for rel in ("api/tom.xlsx", "api/products/cloud-servers.xlsx"):
                cover = " ".join(t for _, t in xlsx_cells(prefix + rel)["xl/worksheets/sheet1.xml"])
                if lang == "de":
                    self.assertIn("Der Wortlaut dieser Arbeitsmappe ist eine Übersetzung.", cover)
                    self.assertNotIn("Anlage", cover)
                else:
                    self.assertIn(STATE["en"]["governing_this"], cover)
                    self.assertNotIn("annex", cover)

    def test_the_date_field_placeholder_is_the_languages(self):
        """R5: /de/dpa/'s date field showed "YYYY-MM-DD" above the hint
        "JJJJ-MM-TT"."""
        self.assertIn('placeholder="JJJJ-MM-TT"', self.read("de/dpa/index.html"))
        self.assertNotIn("YYYY", self.read("de/dpa/index.html"))
        self.assertIn('placeholder="YYYY-MM-DD"', self.read("dpa/index.html"))

    def test_tc_search_changes_say_they_are_a_translation(self):
        """R6: /de/changes/ says its words are a translation; tc-search's
        German changes page did not."""
        note = "Der Wortlaut dieser Seite ist eine Übersetzung: Maßgeblich ist"
        self.assertIn(note, visible(self.read("de/changes/index.html")))
        for q in ("/api/changes?since=2026.1&lang=de",
                  "/api/changes?since=2026.1&lang=de&product=storage-shares"):
            st, _, body = STATE["s"].get(q, accept="text/html")
            self.assertEqual(st, 200)
            self.assertIn(note + " der veröffentlichte Datensatz jeder Version in der maßgeblichen "
                          "Sprache (Englisch).", visible(body), q)
        st, _, body = STATE["s"].get("/api/changes?since=2026.1", accept="text/html")
        self.assertEqual(st, 200)
        self.assertNotIn("is a translation", visible(body))
        self.assertNotIn("Übersetzung", body)

    def test_annexes_say_who_we_and_you_are(self):
        """R4: the parties are processor and controller, the measures speak of
        "wir", "Sie" and "der Kunde": one sentence near the parties says who
        they are, on every annex page, its print sheet (the same page) and
        PDF, and the customer's own annex."""
        sentences = {"de/": "In dieser Anlage sind „wir“ der Auftragsverarbeiter und „Sie“ bzw. „der "
                            "Kunde“ der Verantwortliche.",
                     "": "In this annex, “we” are the processor and “you” or “the client” the "
                         "controller."}
        for prefix, sentence in sentences.items():
            for annex in ("annex", "products/cloud-servers/annex", "versions/2026.1/annex",
                          "versions/2026.2/products/cloud-servers/annex"):
                page = visible(self.read(prefix + annex + "/index.html"))
                self.assertEqual(page.count(sentence), 1, prefix + annex)
                words = pdf_words(os.path.join(STATE["s"].out, prefix + annex, "annex.pdf"))
                self.assertEqual(words.count(sentence), 1, prefix + annex)
            lang = "de" if prefix else "en"
            body = urllib.parse.urlencode([("product", "cloud-servers"), ("name", "A GmbH"),
                                           ("lang", lang)]).encode()
            req = urllib.request.Request(STATE["s"].base + "/api/annex", data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            with urllib.request.urlopen(req, timeout=30) as r:
                pdf = r.read()
            import tempfile
            with tempfile.NamedTemporaryFile(suffix=".pdf") as t:
                t.write(pdf)
                t.flush()
                self.assertEqual(pdf_words(t.name).count(sentence), 1, lang)


class Imprint(unittest.TestCase):
    """Review F10: a German site without an Impressum or a privacy notice is
    told so at build time (the footer links both once site.md gives them)."""

    def build(self, content):
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory() as out:
            tcgen = os.path.join(os.environ.get("TC_BIN", os.path.join(ROOT, "build")), "tc-gen")
            r = subprocess.run([tcgen, "--content", os.path.join(ROOT, content), "--templates",
                                os.path.join(ROOT, "templates"), "--output", out],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            return r.stderr

    def test_bundled_content_is_told(self):
        err = self.build("content")
        self.assertIn("content/site.md: warning: contact gives no privacy notice (privacy: "
                      "https://...)", err)
        self.assertIn("content/site.md: warning: contact gives no imprint (imprint: https://...): "
                      "a German business website needs an Impressum (§ 5 DDG)", err)
        self.assertEqual(err.count("warning: contact gives no"), 2)  # once, not per language

    def test_a_site_that_gives_them_is_not(self):
        err = self.build("examples/fictional")
        self.assertNotIn("warning: contact", err)
        with open(os.path.join(ROOT, "examples", "fictional", "site.md"), encoding="utf-8") as f:
            site = f.read()
        self.assertIn("imprint:", site)
        self.assertIn("privacy:", site)


if __name__ == "__main__":
    unittest.main()
