#!/usr/bin/env python3
"""Versions and changes, end to end, without a server: the fixture with
three releases and unreleased edits, and the bundled content edited the way
a compliance officer would (edit a cell, bump the version, `tc-gen
release`, build).

- every Atom feed validates against tests/feeds/atom.rnc (trang + xmllint)
  and reads back with feedparser: stable absolute IDs, `updated` from the
  release dates, one entry per release that concerns the feed;
- every digest on /versions/ and in api/versions.json is recomputed from
  the file it names;
- /changes/ and each product's changes page show exactly the changes of
  api/changes.json that concern them;
- the release workflow and its errors (content changed under a released
  version, a second release of a version, a removed ID that comes back).

Run from the repository root with Debian's python3 (feedparser).
"""
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

import feedparser

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.environ.get("TC_BIN", os.path.join(ROOT, "build"))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "mini")


def tcgen(*args, check=True):
    return subprocess.run([os.path.join(BIN, "tc-gen"), *args], capture_output=True, text=True,
                          check=check)


def build(content, out):
    tcgen("--content", content, "--templates", os.path.join(ROOT, "templates"),
          "--output", out, "--index", "")


def text_of(path):
    with open(path, encoding="utf-8") as f:
        return html.unescape(re.sub(r"<[^>]+>", " ", f.read()))


class Feeds(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="tc-feeds-")
        cls.out = os.path.join(cls.tmp, "public")
        build(FIXTURE, cls.out)
        cls.rng = os.path.join(cls.tmp, "atom.rng")
        subprocess.run(["trang", "-I", "rnc", "-O", "rng",
                        os.path.join(ROOT, "tests", "feeds", "atom.rnc"), cls.rng], check=True)
        with open(os.path.join(cls.out, "api", "changes.json")) as f:
            cls.changes = json.load(f)
        with open(os.path.join(cls.out, "api", "tom.json")) as f:
            cls.tom = json.load(f)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def feeds(self):
        yield None, os.path.join(self.out, "changes.atom")
        for s in self.tom["scopes"]:
            if s["kind"] == "product":
                yield s["id"], os.path.join(self.out, "products", s["id"], "changes.atom")

    def test_feeds_validate_and_read_back(self):
        base = "https://trust.example.test"
        for product, path in self.feeds():
            r = subprocess.run(["xmllint", "--noout", "--relaxng", self.rng, path],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            feed = feedparser.parse(path)
            self.assertFalse(feed.bozo, (path, feed.get("bozo_exception")))
            page = "/products/%s/changes/" % product if product else "/changes/"
            want = [s for s in self.changes["releases"] if s["released"] and (
                not product or not s["previous"] or
                any(product in c["products"] for c in s["changes"]))]
            self.assertEqual([e.id for e in feed.entries],
                             [base + page + "#v" + s["version"] for s in want], path)
            for e, s in zip(feed.entries, want):
                self.assertEqual(e.updated, s["date"] + "T00:00:00Z")
                self.assertEqual(e.link, base + page + "#v" + s["version"])
            self.assertEqual(feed.feed.updated, want[0]["date"] + "T00:00:00Z")

    def test_pages_link_their_feeds(self):
        with open(os.path.join(self.out, "index.html")) as f:
            self.assertIn('type="application/atom+xml" href="/changes.atom"', f.read())
        with open(os.path.join(self.out, "products", "rack", "changes", "index.html")) as f:
            self.assertIn('href="/products/rack/changes.atom"', f.read())

    def test_every_kind_of_change_is_shown_where_it_concerns(self):
        kinds = {c["kind"] for s in self.changes["releases"] for c in s["changes"]}
        self.assertTrue({"measure-added", "measure-removed", "measure-reworded", "cell-changed",
                         "cell-added", "cell-removed", "scope-added", "scope-removed"} <= kinds)
        moves = {c["move"] for s in self.changes["releases"] for c in s["changes"]}
        self.assertTrue({"to-client", "from-client"} <= moves)
        for product in [None] + [s["id"] for s in self.tom["scopes"] if s["kind"] == "product"]:
            page = os.path.join(self.out, *(["products", product] if product else []),
                                "changes", "index.html")
            text = text_of(page)
            for s in self.changes["releases"]:
                self.assertIn("Version " + s["version"], text)
                for c in s["changes"]:
                    shown = c["words"] in text and (
                        c["measure"] or c["scope_name"] or c["name"]) in text
                    if not product or product in c["products"]:
                        self.assertTrue(shown, (product, c))
            if product:
                with open(page) as f:
                    raw = f.read()
                # a change of the other product's own cell is not shown
                other = [c for s in self.changes["releases"] for c in s["changes"]
                         if c["scope"] and c["products"] and product not in c["products"]]
                for c in other:
                    self.assertNotIn('%s</span> %s · %s' % (
                        c["measure"], html.escape(c["text"], quote=False), c["scope_name"]), raw)

    def test_subprocessor_changes_reach_their_products_feeds(self):
        """Issue 23: an added subprocessor is in the release that first lists
        it, with the day to object by, on /changes/ and in the feeds of the
        products it serves, and nowhere else."""
        subs = [(s["version"], c) for s in self.changes["releases"] for c in s["changes"]
                if c["kind"].startswith("subprocessor-")]
        self.assertEqual([(v, c["kind"], c["subprocessor"], c["products"]) for v, c in subs], [
            ("1.0-test", "subprocessor-ending", "backup-co", ["rack"]),
            ("1.0-test", "subprocessor-added", "cdn", ["box"]),
            ("1.0", "subprocessor-changed", "mailer", ["box", "rack"]),
            ("0.9", "subprocessor-added", "backup-co", ["rack"])])
        added = subs[3][1]
        self.assertEqual((added["effective"], added["announced"], added["object_by"]),
                         ("2026-01-05", "2025-12-01", "2026-01-04"))
        self.assertEqual(subs[2][1]["fields"], ["country", "products"])
        self.assertEqual((subs[2][1]["before"]["country_name"], subs[2][1]["after"]["country_name"]),
                         ("Germany", "Finland"))
        for product, path in self.feeds():
            feed = feedparser.parse(path)
            content = {e.id.rsplit("#v", 1)[1]: e.content[0].value for e in feed.entries}
            backup = "New subprocessor from 2026-01-05" in content.get("0.9", "")
            self.assertEqual(backup, product in (None, "rack"), path)
            if backup:
                self.assertIn("Object by 2026-01-04", content["0.9"])
            self.assertEqual("Changed: Country of processing, Products" in content["1.0"],
                             product in (None, "box", "rack"), path)
            # unreleased: on the pages, in no feed
            self.assertNotIn("New subprocessor from 2026-03-15", " ".join(content.values()))
        page = text_of(os.path.join(self.out, "products", "box", "changes", "index.html"))
        self.assertRegex(page, r"New subprocessor from 2026-03-15\s+·\s+Object by 2026-03-14")
        self.assertNotIn("Backup Co", page)

    def test_versions_digests_match_their_files(self):
        with open(os.path.join(self.out, "api", "versions.json")) as f:
            versions = json.load(f)["versions"]
        self.assertEqual([v["version"] for v in versions], ["1.0-test", "1.0", "0.9", "0.8"])
        page = text_of(os.path.join(self.out, "versions", "index.html"))
        for v in versions:
            with open(os.path.join(self.out, v["tom_url"].lstrip("/")), "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            self.assertEqual(digest, v["sha256"], v["version"])
            self.assertIn(digest, page)
            if v["released"]:
                annex = text_of(os.path.join(self.out, "versions", v["version"], "annex",
                                             "index.html"))
                self.assertIn(digest, annex)
        # the current annex prints the current digest
        self.assertIn(versions[0]["sha256"], text_of(os.path.join(self.out, "annex", "index.html")))

    def test_rows_changed_in_the_latest_release_are_marked(self):
        latest = next(s for s in self.changes["releases"] if s["released"])
        marked = {c["measure"] for c in latest["changes"] if c["measure"]}
        with open(os.path.join(self.out, "categories", "beta", "index.html")) as f:
            page = f.read()
        for row in re.findall(r'<tr id="([A-Z]+-\d+)">(.*?)</tr>', page, re.S):
            self.assertEqual("changed in " + latest["version"] in row[1], row[0] in marked, row[0])


class Workflow(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tc-release-")
        self.content = os.path.join(self.tmp, "content")
        shutil.copytree(os.path.join(ROOT, "content"), self.content)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def edit(self, path, old, new, count=1):
        path = os.path.join(self.content, path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertIn(old, text)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, count))

    def test_bundled_content_is_release_2026_2(self):
        out = os.path.join(self.tmp, "public")
        build(self.content, out)
        with open(os.path.join(out, "api", "versions.json")) as f:
            versions = json.load(f)["versions"]
        self.assertEqual(versions[0]["version"], "2026.2")
        self.assertTrue(versions[0]["released"])
        with open(os.path.join(out, "api", "tom.json"), "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).hexdigest(), versions[0]["sha256"])

    def test_edit_bump_release_build(self):
        cat = os.path.join("categories", "03-internal-access-control.md")
        self.edit(cat, "| IAC-1 | Regular updates | Client's responsibility |",
                  "| IAC-1 | Regular updates | ✓ |")
        # changed content under a released version is refused
        r = tcgen("--content", self.content, "--output", os.path.join(self.tmp, "x"),
                  "--index", "", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("site.md:4:1: error: the content differs from release 2026.2", r.stderr)
        self.assertIn("bump the version", r.stderr)
        self.edit("site.md", 'version: "2026.2"', 'version: "2026.3"')
        self.edit("site.md", 'date: "2026-12-07"', 'date: "2026-12-14"')
        self.edit("site.md", "summary: ", 'summary: "Regular updates of colocation are ours." # ')
        r = tcgen("release", "--content", self.content)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.content, "releases", "2026.3.json")))
        r = tcgen("release", "--content", self.content, check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("version 2026.3 is already released", r.stderr)
        out = os.path.join(self.tmp, "public")
        build(self.content, out)
        for page in ("changes", os.path.join("products", "colocation", "changes")):
            text = text_of(os.path.join(out, page, "index.html"))
            self.assertIn("Version 2026.3", text)
            self.assertIn("IAC-1", text)
            self.assertIn("No longer your job", text)
        for feed in ("changes.atom", os.path.join("products", "colocation", "changes.atom")):
            parsed = feedparser.parse(os.path.join(out, feed))
            self.assertEqual(parsed.entries[0].title.split(" of ")[0], "Version 2026.3")
            self.assertIn("IAC-1", parsed.entries[0].content[0].value)
        # the product whose cell did not change hears nothing of it
        other = feedparser.parse(os.path.join(out, "products", "managed-servers", "changes.atom"))
        self.assertNotIn("2026.3", " ".join(e.title for e in other.entries))
        text = text_of(os.path.join(out, "categories", "internal-access-control", "index.html"))
        self.assertIn("changed in 2026.3", text)

    def test_removed_ids_are_never_reused(self):
        cat = os.path.join("categories", "10-regular-testing.md")
        # renumbered everywhere: the table and the mappings, and the
        # translation (a release freezes it too)
        self.edit(cat, "TST-4", "TST-5", -1)
        self.edit(os.path.join("de", cat), "TST-4", "TST-5", -1)
        self.edit("site.md", 'version: "2026.2"', 'version: "2026.3"')
        self.edit("site.md", "summary: ", 'summary: "TST-4 renumbered." # ')
        self.assertEqual(tcgen("release", "--content", self.content).returncode, 0)
        self.edit(cat, "TST-5", "TST-4", -1)
        self.edit(os.path.join("de", cat), "TST-5", "TST-4", -1)
        self.edit("site.md", 'version: "2026.3"', 'version: "2026.4"')
        r = tcgen("--content", self.content, "--output", os.path.join(self.tmp, "x"),
                  "--index", "", check=False)
        self.assertEqual(r.returncode, 1)
        self.assertIn("measure ID 'TST-4' was removed in release 2026.3 and must not be used "
                      "again", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
