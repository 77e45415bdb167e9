"""Search finds what else customers come for (issue 23): certificates,
subprocessors, the contact page, the data locations and the DPA annex, in
both languages, over a real nginx and tc-search; and the bundled content,
which publishes none of them, answers as before except where intended.

Run by `make check-integration` (TC_BIN: the folder of tc-gen and
tc-search)."""
import json
import os
import sys
import unittest
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from stack import ROOT, Stack  # noqa: E402

STATE = {}


def setUpModule():
    STATE["fict"] = Stack(os.path.join(ROOT, "examples", "fictional"))
    STATE["bundled"] = Stack(os.path.join(ROOT, "content"))


def tearDownModule():
    for s in STATE.values():
        s.stop()


def search(site, q, **args):
    query = urllib.parse.urlencode(dict(q=q, limit=100, **args))
    status, headers, body = STATE[site].get("/api/search?" + query,
                                            accept="application/json")
    assert status == 200, (q, args, status, body)
    return json.loads(body)


def found(site, q, **args):
    """kind:id of each result (a measure's bare ID), in order."""
    return [("%s:%s" % (r["kind"], r["id"])) if "kind" in r else r["id"]
            for r in search(site, q, **args)["results"]]


def entries(site, q, **args):
    return [x for x in found(site, q, **args) if ":" in x]


class Fictional(unittest.TestCase):
    def test_certificates(self):
        for q in ("ISO27001", "ISO 27001", "27001"):
            self.assertEqual(entries("fict", q),
                             ["certificate:iso27001-2019", "certificate:iso27001"], q)
        for q, lang in (("certificate", None), ("Zertifikat", "de"), ("Prüfbericht", "de")):
            got = entries("fict", q, **({"lang": lang} if lang else {}))
            self.assertEqual(got[0], "page:certificates", q)
            self.assertEqual(sorted(got[1:]),
                             ["certificate:bsi-c5", "certificate:iso27001",
                              "certificate:iso27001-2019", "certificate:soc2-type2"], q)
        res = search("fict", "ISO 27001")
        cert = [r for r in res["results"] if r.get("id") == "iso27001"][0]
        self.assertEqual(cert["url"], "/certificates/#iso27001")
        self.assertEqual(cert["file"], "/certificates/iso27001.pdf")
        self.assertEqual(cert["cells"], {})
        # the file is there, and the anchor is the certificate's
        status, _, page = STATE["fict"].get("/certificates/")
        self.assertIn('id="iso27001"', page)
        self.assertEqual(STATE["fict"].get(cert["file"])[0], 200)
        de = search("fict", "ISO 27001", lang="de")["results"][0]
        self.assertEqual(de["url"], "/de/certificates/#iso27001-2019")
        self.assertIn("abgelaufen", de["note"].lower())

    def test_soc2_is_the_report(self):
        for q in ("SOC 2", "SOC2", "soc 2 type"):
            for lang in ("en", "de"):
                self.assertEqual(found("fict", q, lang=lang), ["certificate:soc2-type2"],
                                 (q, lang))
        # it covers web hosting, not cloud servers: nothing, and no
        # suggestion that drops the 2
        res = search("fict", "SOC 2", product="cloud-servers")
        self.assertEqual((res["total"], res["suggestions"]), (0, []))

    def test_subprocessors_contact_locations(self):
        for q, lang in (("subprocessor", "en"), ("Unterauftragsverarbeiter", "de")):
            got = entries("fict", q, lang=lang)
            self.assertEqual(got[0], "page:subprocessors")
            self.assertEqual(sorted(got[1:]),
                             ["subprocessor:example-backup", "subprocessor:example-cdn",
                              "subprocessor:example-mail", "subprocessor:example-support"])
        for q, lang in (("contact", "en"), ("Kontakt", "de"), ("security contact", "en"),
                        ("data protection officer", "en"),
                        ("Datenschutzbeauftragter", "de")):
            self.assertEqual(found("fict", q, lang=lang)[0], "page:contact", q)
        for q, lang in (("data location", "en"), ("Standort", "de")):
            self.assertEqual(sorted(entries("fict", q, lang=lang)),
                             ["location:admin-buildings", "location:data-centers",
                              "page:contact"], q)
        for q in ("Germany", "Deutschland"):
            for lang in ("en", "de"):
                self.assertEqual(found("fict", q, lang=lang),
                                 ["location:data-centers", "subprocessor:example-mail"],
                                 (q, lang))
        for q, lang in (("Finland", "en"), ("Finnland", "de")):
            self.assertEqual(found("fict", q, lang=lang),
                             ["location:admin-buildings", "subprocessor:example-cdn"])
        loc = search("fict", "Germany")["results"][0]
        self.assertEqual((loc["url"], loc["note"], loc["country"]),
                         ("/contact/#places-h", "Musterstadt, Germany", "DE"))
        loc = search("fict", "Germany", lang="de")["results"][0]
        self.assertEqual((loc["url"], loc["note"]),
                         ("/de/contact/#places-h", "Musterstadt, Deutschland"))

    def test_annex_and_its_pdf(self):
        for q, lang, page, pdf in (("DPA", "en", "/annex/", "/annex/annex.pdf"),
                                   ("annex", "en", "/annex/", "/annex/annex.pdf"),
                                   ("AVV", "de", "/de/annex/", "/de/annex/annex.pdf"),
                                   ("Anlage", "de", "/de/annex/", "/de/annex/annex.pdf")):
            r = search("fict", q, lang=lang)["results"][0]
            self.assertEqual((r["kind"], r["id"], r["url"], r["file"]),
                             ("page", "annex", page, pdf), q)
            with urllib.request.urlopen(STATE["fict"].base + r["file"]) as f:
                self.assertEqual(f.read(5), b"%PDF-")
        r = search("fict", "DPA", product="cloud-servers")["results"]
        self.assertEqual([(x["url"], x["file"]) for x in r],
                         [("/products/cloud-servers/annex/",
                           "/products/cloud-servers/annex/annex.pdf")])

    def test_filters(self):
        self.assertNotIn("subprocessor:example-backup",
                         found("fict", "backup", product="cloud-servers"))
        self.assertIn("subprocessor:example-backup",
                      found("fict", "backup", product="storage-boxes"))
        # status, responsibility and category: measures only
        for args in ({"status": "provided"}, {"responsibility": "provider"},
                     {"category": "availability-and-resilience"}):
            self.assertEqual(entries("fict", "backup", **args), [], args)
        # paging runs over entries, then measures
        full = found("fict", "data")
        pages = []
        for off in range(0, len(full), 4):
            _, _, body = STATE["fict"].get("/api/search?q=data&limit=4&offset=%d" % off,
                                           accept="application/json")
            pages += [("%s:%s" % (r["kind"], r["id"])) if "kind" in r else r["id"]
                      for r in json.loads(body)["results"]]
        self.assertEqual(pages, full)
        # export stays measures-only: what the search found, less the entries
        query = urllib.parse.urlencode({"q": "backup"})
        _, _, body = STATE["fict"].get("/api/export?" + query)
        got = sorted(m["id"] for c in json.loads(body)["categories"] for m in c["measures"])
        self.assertEqual(got, sorted(x for x in found("fict", "backup") if ":" not in x))

    def test_html_results(self):
        status, _, html = STATE["fict"].get("/api/search?q=ISO+27001", accept="text/html")
        self.assertEqual(status, 200)
        self.assertIn("3 results match", html)
        self.assertIn('<a href="/certificates/iso27001.pdf">PDF</a>', html)
        self.assertIn("expired on 2025-02-28", html)
        self.assertIn("Download these 1 measure", html)
        status, _, html = STATE["fict"].get("/api/search?q=Kontakt&lang=de", accept="text/html")
        self.assertIn("Treffer für", html)
        self.assertIn('href="/de/contact/"', html)


class Bundled(unittest.TestCase):
    """The bundled content has no certificate, subprocessor nor located
    site: its pages are found (they say "none published"), SOC 2 finds
    nothing, and measure answers are as they were."""

    def test_intended_changes(self):
        self.assertEqual(found("bundled", "SOC 2"), [])
        self.assertEqual(search("bundled", "SOC 2")["suggestions"], [])
        self.assertEqual(found("bundled", "certificate"), ["page:certificates"])
        self.assertEqual(found("bundled", "Zertifikat", lang="de"), ["page:certificates"])
        self.assertEqual(found("bundled", "subprocessor"), ["page:subprocessors"])
        self.assertEqual(found("bundled", "contact"), ["page:contact"])
        self.assertEqual(found("bundled", "DPA"), ["page:annex"])
        self.assertEqual(found("bundled", "AVV", lang="de"), ["page:annex"])
        self.assertEqual(found("bundled", "Germany"), [])
        # the DPO measures, after the contact page
        self.assertEqual(found("bundled", "data protection officer")[0], "page:contact")
        self.assertIn("TST-1", found("bundled", "ISO27001"))

    def test_measure_answers_unchanged(self):
        # no entry matches these: the answers are measures alone, without kind
        for q in ("firewall", "backup", "encryption", "TLS", "ISO 27001", "fire training"):
            res = search("bundled", q)
            self.assertTrue(res["results"], q)
            for r in res["results"]:
                self.assertEqual(sorted(r), ["category", "cells", "id", "snippet", "text", "url"])


if __name__ == "__main__":
    unittest.main()
