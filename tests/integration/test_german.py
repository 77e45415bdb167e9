"""The German site as a contract appendix (issue 28): every German message
pattern puts a product name where its case does not change (quoted, or in
apposition after "Produkt"), no German page puts a name after a word that
would need another case, and no German page, download or tc-search answer
carries the English catalogue's words.

Run by `make check-integration` (TC_BIN: the folder of tc-gen and
tc-search)."""
import html
import json
import os
import re
import sys
import unittest
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
            self.assertIn("Maßgebliche Sprachfassung English (en): %s , SHA-256 %s" % (url, digest),
                          page)
            self.assertIn("Der Wortlaut dieser Anlage ist eine Übersetzung.", page)
            pdf = subprocess.run(["pdftotext", "-l", "1", os.path.join(out, "de", annex, "annex.pdf"),
                                  "-"], check=True, capture_output=True, text=True).stdout
            words = " ".join(pdf.split())
            self.assertIn("Maßgebliche Sprachfassung English (en): %s SHA-256 %s" % (url, digest),
                          words)
            self.assertIn("vom 26.11.2026", words)

    def test_dates_as_german_writes_them(self):
        with open(os.path.join(STATE["s"].out, "de", "index.html"), encoding="utf-8") as f:
            page = visible(f.read())
        self.assertIn("TOM-Version 2026.1 vom 26.11.2026", page)
        self.assertNotIn("vom 2026-11-26", page)


if __name__ == "__main__":
    unittest.main()
