#!/usr/bin/env python3
"""tc-search's /api/changes behind a real nginx, on the fixture with three
releases and unreleased edits: the changes since a version, filtered by
product, as JSON and HTML, and the parameter checks (400, never 5xx)."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import ROOT, Stack  # noqa: E402

STATE = {}


def setUpModule():
    STATE["s"] = Stack(os.path.join(ROOT, "tests", "fixtures", "mini"))


def tearDownModule():
    STATE["s"].stop()


class Changes(unittest.TestCase):
    def get(self, path, accept=None):
        return STATE["s"].get(path, accept)

    def published(self):
        with open(os.path.join(STATE["s"].out, "api", "changes.json")) as f:
            return json.load(f)

    def test_since_each_version(self):
        doc = self.published()
        versions = [r["version"] for r in doc["releases"]]
        for i, v in enumerate(versions):
            status, headers, body = self.get("/api/changes?since=" + v)
            self.assertEqual(status, 200, v)
            self.assertTrue(headers["Content-Type"].startswith("application/json"))
            res = json.loads(body)
            self.assertEqual(res["since"], v)
            self.assertEqual(res["releases"], doc["releases"][:i])

    def test_product_filter(self):
        doc = self.published()
        status, _, body = self.get("/api/changes?since=0.8&product=rack")
        self.assertEqual(status, 200)
        res = json.loads(body)
        want = [[c for c in r["changes"] if "rack" in c["products"]]
                for r in doc["releases"][:3]]
        self.assertEqual([r["changes"] for r in res["releases"]], want)
        moves = [c for r in res["releases"] for c in r["changes"] if c["move"]]
        self.assertEqual([(c["measure"], c["move"]) for c in moves], [("BET-1", "to-client")])

    def test_html(self):
        status, headers, body = self.get("/api/changes?since=0.9&product=box",
                                         accept="text/html")
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/html"))
        self.assertIn("Changes for Box", body)
        self.assertIn("No longer your job", body)
        self.assertNotIn("Version 0.9 ", body)

    def test_subprocessor_changes(self):
        """Issue 23: a subprocessor's changes are filtered by the products
        it serves, and the HTML answer says until when to object."""
        status, _, body = self.get("/api/changes?since=0.8&product=box")
        self.assertEqual(status, 200)
        subs = [(r["version"], c["kind"], c["subprocessor"]) for r in json.loads(body)["releases"]
                for c in r["changes"] if c["kind"].startswith("subprocessor-")]
        self.assertEqual(subs, [("1.0-test", "subprocessor-added", "cdn"),
                                ("1.0", "subprocessor-changed", "mailer")])
        status, _, body = self.get("/api/changes?since=0.8&product=rack", accept="text/html")
        self.assertEqual(status, 200)
        self.assertIn("New subprocessor from 2026-01-05", body)
        self.assertIn("Object by 2026-01-04", body)
        self.assertIn("In use until 2026-06-30", body)
        self.assertNotIn("Example CDN", body)

    def test_bad_requests(self):
        for path, msg in [("/api/changes", "parameter 'since' is required"),
                          ("/api/changes?since=0.7", "unknown version '0.7'"),
                          ("/api/changes?since=a/b", "must be a version"),
                          ("/api/changes?since=0.8&product=moon", "product"),
                          ("/api/changes?since=0.8&q=x", "'q'")]:
            status, _, body = self.get(path)
            self.assertEqual(status, 400, path)
            self.assertIn(msg, json.loads(body)["error"]["message"], path)


if __name__ == "__main__":
    unittest.main(verbosity=2)
