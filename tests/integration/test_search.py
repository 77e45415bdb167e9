#!/usr/bin/env python3
"""tc-search's search as a deployment runs it: nginx and sandboxed workers
(deploy/serve.sh). What the in-process tests (tests/test_search.c) cannot
see: a search that makes a worker call what its seccomp filter refuses.
glibc's qsort asks the kernel for the machine's memory (sysinfo) the first
time it sorts more than 1 KB in a process; a worker whose master had not
(content with a small dictionary of compounds: the benchmark's M) was killed
by its first search of 32 matches or more, and nginx answered 502.

  TC_BIN=build python3 tests/integration/test_search.py"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from stack import ROOT, Stack  # noqa: E402

STATE = {}


def setUpModule():
    STATE["tmp"] = tempfile.mkdtemp(prefix="tc-search-it-")
    m = os.path.join(STATE["tmp"], "content-M")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_content.py"), "M", m],
                   check=True, stdout=subprocess.DEVNULL)
    STATE["m"] = Stack(m, workers=1)
    STATE["stack"] = Stack(os.path.join(ROOT, "content"), workers=1)


def tearDownModule():
    for k in ("m", "stack"):
        if k in STATE:
            STATE[k].stop()
    shutil.rmtree(STATE["tmp"], ignore_errors=True)


def search(stack="stack", **params):
    status, _, body = STATE[stack].get("/api/search?" + urllib.parse.urlencode(params),
                                       accept="application/json")
    return status, body


class ManyMatches(unittest.TestCase):
    def test_a_search_of_many_matches_is_answered(self):
        # words of many of M's 200 measures: ranked and sorted by the worker
        for q in ("category", "data", "po"):
            with self.subTest(q=q):
                status, body = search("m", q=q, limit=100)
                self.assertEqual(status, 200, body[:300])
                doc = json.loads(body)
                self.assertGreaterEqual(doc["total"], 32)
                self.assertEqual(len(doc["results"]), min(doc["total"], 100))

    def test_the_worker_lives_on(self):
        for _ in range(3):
            status, body = search("m", q="category", product="scope-1")
            self.assertEqual(status, 200, body[:300])


class ProductFilter(unittest.TestCase):
    """Issue 21: under a product filter a search matches only what concerns
    the product. "daily" is only in AVR-11's note for the Internal admin
    systems."""

    def test_daily_is_not_the_cloud_servers(self):
        status, body = search(q="daily")
        self.assertEqual(status, 200)
        self.assertIn("AVR-11", [r["id"] for r in json.loads(body)["results"]])
        status, body = search(q="daily", product="cloud-servers")
        self.assertEqual(status, 200)
        doc = json.loads(body)
        self.assertEqual((doc["total"], doc["results"]), (0, []), body[:300])


if __name__ == "__main__":
    unittest.main(verbosity=2)
