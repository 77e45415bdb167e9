#!/usr/bin/env python3
"""A site under a path of its base_url (issue 24): the bundled content with
base_url https://example.org/tom, served by deploy/serve.sh under /tom/ as
the nginx example does: every page, asset, API answer, feed and sitemap entry
is under the path, and every link of every page reached from the home page
answers. A site without base_url: tc-gen warns, and the sitemap and
robots.txt name no location without a host.

Run from the repository root: python3 tests/integration/test_subpath.py
"""
import html.parser
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("TC_BIN", os.path.join(ROOT, "build"))
BASE_URL = "https://example.org/tom"
STATE = {}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_base_url(src, dst, value):
    """A copy of the content src whose site.md has base_url value (None: none)."""
    shutil.copytree(src, dst)
    path = os.path.join(dst, "site.md")
    text = read(path)
    line = "" if value is None else 'base_url: "%s"\n' % value
    text, n = re.subn(r'^base_url: .*\n', line, text, flags=re.M)
    assert n == 1, "site.md has one base_url"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def setUpModule():
    tmp = tempfile.mkdtemp(prefix="tc-subpath-")
    STATE["tmp"] = tmp
    content = os.path.join(tmp, "content")
    with_base_url(os.path.join(ROOT, "content"), content, BASE_URL)
    out, index = os.path.join(tmp, "public"), os.path.join(tmp, "tc-index.sqlite")
    subprocess.run([os.path.join(BIN, "tc-gen"), "--content", content, "--templates",
                    os.path.join(ROOT, "templates"), "--output", out, "--index", index],
                   check=True, stdout=subprocess.DEVNULL)
    STATE["out"] = out
    port = free_port()
    STATE["host"] = "http://127.0.0.1:%d" % port
    proc = subprocess.Popen([os.path.join(ROOT, "deploy", "serve.sh"), "--port", str(port),
                             "--root", out, "--index", index, "--bin", BIN],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    STATE["proc"] = proc
    line = proc.stdout.readline()
    if "serving" not in line:
        tearDownModule()
        raise RuntimeError("serve.sh did not start: " + line)
    STATE["line"] = line


def tearDownModule():
    proc = STATE.get("proc")
    if proc and proc.stdout:
        proc.stdout.close()
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    shutil.rmtree(STATE.get("tmp", "/nonexistent"), ignore_errors=True)


def get(path, accept="text/html"):
    req = urllib.request.Request(STATE["host"] + path, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src", "action") and v is not None:
                self.urls.append(v)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def links(body):
    p = Links()
    p.feed(body.decode("utf-8"))
    return p.urls


class SubPath(unittest.TestCase):
    def test_serve_says_where(self):
        self.assertIn(STATE["host"] + "/tom/", STATE["line"])

    def test_every_link_of_every_page_is_under_the_path_and_answers(self):
        seen, queue, checked, pages = set(), ["/tom/"], {}, 0
        while queue:
            p = queue.pop()
            if p in seen:
                continue
            seen.add(p)
            status, ctype, body = get(p)
            self.assertEqual(status, 200, p)
            if not ctype.startswith("text/html"):
                continue
            pages += 1
            for u in links(body):
                # absolute links are the data's own (a release keeps the
                # base_url it was made with); paths must be under /tom/
                if u.startswith(("#", "https://", "http://", "mailto:")):
                    continue
                # a root-relative link must be under the path; a relative
                # one ("../dpa/") is, once resolved
                full = urllib.parse.urljoin(p, u)
                self.assertTrue(full.startswith("/tom/"), "%s links %s" % (p, u))
                path = urllib.parse.urlsplit(full)
                target = path.path + ("?" + path.query if path.query else "")
                if path.path.endswith("/api/search") or path.path.endswith("/api/annex"):
                    continue  # a form's action, asked with its fields
                if path.path.endswith("/") and not re.search(r"/api/.", path.path):
                    queue.append(path.path)
                elif target not in checked:
                    checked[target] = get(target)[0]
                    self.assertEqual(checked[target], 200, "%s links %s" % (p, u))
        # every page of both sitemaps was reached, under the path
        for prefix in ["", "/de"]:
            xml = read(os.path.join(STATE["out"], prefix.lstrip("/"), "sitemap.xml"))
            locs = re.findall(r"<loc>([^<]*)</loc>", xml)
            self.assertTrue(locs)
            for loc in locs:
                self.assertTrue(loc.startswith(BASE_URL + "/"), loc)
                self.assertIn(urllib.parse.urlsplit(loc).path, seen, "no link leads to " + loc)
        self.assertGreater(pages, 100)

    def test_search_and_its_page_under_the_path(self):
        status, _, body = get("/tom/api/search?q=firewall", "application/json")
        self.assertEqual(status, 200)
        res = json.loads(body)
        self.assertEqual(res["total"], 3)
        self.assertTrue(res["$schema"].startswith(BASE_URL + "/api/schema/"))
        status, _, body = get("/tom/api/search?q=firewall")
        self.assertEqual(status, 200)
        urls = links(body)
        self.assertIn("/tom/categories/electronic-access-control/#EAC-7", urls)
        self.assertIn("/tom/assets/style.css", urls)
        self.assertEqual([u for u in urls if u.startswith("/") and not u.startswith("/tom/")], [])
        # the German results page, and an error page of tc-search
        status, _, body = get("/tom/api/search?q=firewall&lang=de")
        self.assertIn("/tom/de/categories/electronic-access-control/#EAC-7", links(body))
        status, _, body = get("/tom/api/search?q=")
        self.assertEqual(status, 400)
        self.assertIn("/tom/assets/style.css", links(body))

    def test_feeds_robots_and_404(self):
        status, _, body = get("/tom/changes.atom")
        self.assertEqual(status, 200)
        hrefs = re.findall(r'href="([^"]*)"', body.decode("utf-8"))
        self.assertTrue(hrefs and all(h.startswith(BASE_URL + "/") for h in hrefs), hrefs)
        robots = read(os.path.join(STATE["out"], "robots.txt"))
        self.assertIn("Disallow: /tom/api/search\n", robots)
        self.assertIn("Sitemap: %s/sitemap.xml\n" % BASE_URL, robots)
        for path, h1 in [("/tom/no-such-page", "Page not found"), ("/tom/categories/", "Page not found"),
                         ("/tom/de/no-such-page", "Seite nicht gefunden")]:
            status, _, body = get(path)
            self.assertEqual(status, 404, path)
            self.assertIn("<h1>%s</h1>" % h1, body.decode("utf-8"), path)
            self.assertIn("/tom/assets/style.css", links(body), path)


class NoBaseUrl(unittest.TestCase):
    def test_warns_and_writes_no_empty_location(self):
        tmp = tempfile.mkdtemp(prefix="tc-nobase-")
        try:
            content = os.path.join(tmp, "content")
            with_base_url(os.path.join(ROOT, "tests", "fixtures", "mini"), content, None)
            out = os.path.join(tmp, "public")
            run = subprocess.run([os.path.join(BIN, "tc-gen"), "--content", content, "--templates",
                                  os.path.join(ROOT, "templates"), "--output", out, "--index", ""],
                                 capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertEqual(run.stderr.count("warning: no base_url"), 1, run.stderr)
            self.assertIn("site.md: warning: no base_url: sitemap.xml lists no page", run.stderr)
            xml = read(os.path.join(out, "sitemap.xml"))
            self.assertNotIn("<loc>", xml)
            self.assertIn("<urlset", xml)
            robots = read(os.path.join(out, "robots.txt"))
            self.assertNotIn("Sitemap:", robots)
            self.assertIn("Disallow: /api/search\n", robots)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
