#!/usr/bin/env python3
"""The search index as hostile input (issue 22): a damaged index is refused
by the master and the last good one served; an index that breaks under the
workers is a 503 (never the client's 400) and /api/health says so; a set of
languages from two deploys is refused and logged. nginx and tc-search as
`make serve` runs them (stack.py), one stack per test.

Run by `make check-integration` (TC_BIN: the folder of tc-gen and
tc-search)."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from stack import BIN, ROOT, Stack  # noqa: E402

CONTENT = os.path.join(ROOT, "content")


def until(pred, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


class Faults(unittest.TestCase):
    def setUp(self):
        self.s = Stack(CONTENT, workers=2)

    def tearDown(self):
        self.s.stop()

    def log(self):
        self.s.log.flush()
        with open(self.s.log.name, encoding="utf-8", errors="replace") as f:
            return f.read()

    def master(self):
        m = re.search(r"tc-search\[(\d+)\]: serving ", self.log())
        return int(m.group(1))

    def workers(self):
        out = subprocess.run(["pgrep", "-P", str(self.master())], capture_output=True,
                             text=True)
        return sorted(int(p) for p in out.stdout.split())

    def json_answer(self, path, accept=None):
        """(status, parsed body): every answer must be UTF-8 JSON."""
        status, headers, body = self.s.get(path, accept)
        self.assertIn("application/json", headers["Content-Type"])
        return status, json.loads(body)

    def test_a_damaged_index_is_refused_and_the_last_good_one_served(self):
        # Finding 4: one damaged value, then SIGHUP: it was accepted and
        # /api/search?q=fire answered 200 with a body neither JSON nor UTF-8.
        status, res = self.json_answer("/api/search?q=fire&limit=100")
        self.assertEqual(status, 200)
        first = res["results"][0]["id"]
        fresh = self.s.index + ".new"
        shutil.copy(self.s.index, fresh)
        with open(fresh, "r+b") as f:
            data = f.read()
            head = ('{"id":"%s","text":"' % first).encode()
            f.seek(data.index(head) + len(head))
            f.write(b"\xff\xfe")
        os.rename(fresh, self.s.index)
        os.kill(self.master(), signal.SIGHUP)
        self.assertTrue(until(lambda: "reload failed" in self.log()))
        self.assertIn("is damaged: what it stores does not match its digest", self.log())
        for _ in range(6):
            status, again = self.json_answer("/api/search?q=fire&limit=100")
            self.assertEqual((status, again["total"]), (200, res["total"]))
        status, h = self.json_answer("/api/health")
        self.assertEqual((status, h["status"]), (200, "ok"))

    def test_an_index_cut_short_under_the_workers_is_503(self):
        # Finding 5: truncate -s 0 in place, the workers restart: searches
        # answered 400 "database disk image is malformed", health said ok.
        before = self.workers()
        os.truncate(self.s.index, 0)
        for pid in before:
            os.kill(pid, signal.SIGKILL)
        self.assertTrue(until(lambda: len(self.workers()) == 2 and
                              not set(self.workers()) & set(before)))
        for path in ("/api/search?q=fire", "/api/export?category=physical-access-control",
                     "/api/health", "/api/search?q=fire&lang=de"):
            status, e = self.json_answer(path)
            self.assertEqual(status, 503, path)
            self.assertIn("the search index is broken", e["error"]["message"])
        status, headers, body = self.s.get("/api/search?q=fire", "text/html")
        self.assertEqual(status, 503)
        self.assertIn("<h1>503 ", body)
        self.assertIn("the search index is broken: the &#39;en&#39; index file was changed "
                      "in place", body)
        self.assertRegex(self.log(), r"GET /api/health 503 \d+ [0-9.]+ms: the search index is "
                                     r"broken")

    def test_languages_of_two_deploys_are_refused(self):
        # Finding 6: only the English index replaced, SIGHUP: English
        # answered 2026.2, German 2026.1, and nothing was logged.
        content = os.path.join(self.s.tmp, "content2")
        shutil.copytree(CONTENT, content)
        site = os.path.join(content, "site.md")
        with open(site) as f:
            text = f.read()
        with open(site, "w") as f:
            f.write(text.replace('version: "2026.2"', 'version: "2026.3"'))
        fresh = os.path.join(self.s.tmp, "next", "tc-index.sqlite")
        subprocess.run([os.path.join(BIN, "tc-gen"), "--content", content, "--templates",
                        os.path.join(ROOT, "templates"), "--output",
                        os.path.join(self.s.tmp, "next", "public"), "--index", fresh],
                       check=True, stdout=subprocess.DEVNULL)
        os.rename(fresh, self.s.index)  # the English index alone
        os.kill(self.master(), signal.SIGHUP)
        self.assertTrue(until(lambda: "reload failed" in self.log()))
        self.assertRegex(self.log(), r"index \S+tc-index.sqlite.de is from another tc-gen run "
                                     r"than \S+tc-index.sqlite \(build [0-9a-f]{12}, not "
                                     r"[0-9a-f]{12}; version 2026.2, not 2026.3\)")
        for lang in ("", "&lang=de"):
            status, res = self.json_answer("/api/search?q=fire" + lang)
            self.assertEqual((status, res["version"]), (200, "2026.2"))
        # the rest of the deploy arrives: both languages of one run
        os.rename(fresh + ".de", self.s.index + ".de")
        os.kill(self.master(), signal.SIGHUP)
        self.assertTrue(until(lambda: self.json_answer("/api/health")[1]["version"] == "2026.3"))
        for lang in ("", "&lang=de"):
            self.assertEqual(self.json_answer("/api/search?q=fire" + lang)[1]["version"],
                             "2026.3")


if __name__ == "__main__":
    unittest.main(verbosity=2)
