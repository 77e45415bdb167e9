#!/usr/bin/env python3
"""Integration: tc-gen's site and index behind a real nginx and tc-search on a
free loopback port, checked over HTTP. Everything started is stopped, also
when a test fails (tearDownModule kills the whole process group).

Run from the repository root: python3 tests/integration/test_http.py
"""
import csv
import gzip
import io
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("TC_BIN", os.path.join(ROOT, "build"))
STATE = {}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gen(content, out, index):
    subprocess.run([os.path.join(BIN, "tc-gen"), "--content", content, "--templates",
                    os.path.join(ROOT, "templates"), "--output", out, "--index", index],
                   check=True, stdout=subprocess.DEVNULL)


def setUpModule():
    # unittest skips tearDownModule when this raises: clean up here too.
    try:
        start()
    except BaseException:
        tearDownModule()
        raise


def start():
    tmp = tempfile.mkdtemp(prefix="tc-it-")
    STATE["tmp"] = tmp
    STATE["out"] = os.path.join(tmp, "public")
    STATE["index"] = os.path.join(tmp, "tc-index.sqlite")
    gen(os.path.join(ROOT, "content"), STATE["out"], STATE["index"])
    port = free_port()
    STATE["base"] = "http://127.0.0.1:%d" % port
    STATE["log"] = open(os.path.join(tmp, "serve.log"), "w+")
    proc = subprocess.Popen([os.path.join(ROOT, "deploy", "serve.sh"), "--port", str(port),
                             "--root", STATE["out"], "--index", STATE["index"], "--bin", BIN,
                             "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=STATE["log"], text=True,
                            start_new_session=True)
    STATE["proc"] = proc
    line = proc.stdout.readline()
    if "serving" not in line:
        raise RuntimeError("serve.sh did not start: " + line)
    STATE["master"] = int(line.split("tc-search pid ")[1].split(",")[0])


def tearDownModule():
    proc = STATE.get("proc")
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    if "log" in STATE:
        STATE["log"].close()
    shutil.rmtree(STATE.get("tmp", "/nonexistent"), ignore_errors=True)


def request(path, method="GET", headers=None):
    req = urllib.request.Request(STATE["base"] + path, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def get_json(path):
    status, headers, body = request(path)
    return status, json.loads(body) if body else None


def workers():
    out = subprocess.run(["pgrep", "-P", str(STATE["master"])], capture_output=True, text=True)
    return sorted(int(p) for p in out.stdout.split())


def until(pred, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


def expected_filter(doc, product=None, category=None, status=None, responsibility=None):
    """An independent reading of the filter rules in the README."""
    resps = responsibility.split(",") if responsibility else None
    kinds = {s["id"]: s["kind"] for s in doc["scopes"]}
    out = dict(doc)
    cats, used = [], set()
    for c in doc["categories"]:
        if category and c["id"] != category:
            continue
        ms = []
        for m in c["measures"]:
            # the product rule: the product's own cell and every site and
            # organisation cell answer for it; an internal cell is shown in
            # an unfiltered download only; another product's never
            def part(k):
                if not product or kinds[k] in ("site", "organisation"):
                    return "every"
                if kinds[k] == "internal":
                    return "internal"
                return "own" if k == product else "other"
            cells = {k: v for k, v in m["cells"].items()
                     if (part(k) == "internal" and not status and not resps) or
                     (part(k) in ("own", "every") and (not status or v["status"] == status)
                      and (not resps or v["responsibility"] in resps))}
            if any(part(k) != "internal" for k in cells):
                used.update(cells)
                ms.append(dict(m, cells=cells))
        if ms:
            cats.append(dict(c, measures=ms))
    out["categories"] = cats
    out["scopes"] = [s for s in doc["scopes"] if s["id"] in used]
    f = {k: v for k, v in (("product", product), ("category", category), ("status", status),
                           ("responsibility", responsibility)) if v}
    if f:
        out["filter"] = f
    return out


def ids(res):
    return [r["id"] for r in res["results"]]


class Search(unittest.TestCase):
    def test_known_queries(self):
        status, res = get_json("/api/search?q=firewall")
        self.assertEqual(status, 200)
        self.assertEqual(set(ids(res)), {"EAC-7", "EAC-8", "AVR-15"})
        for r in res["results"]:
            self.assertIn("<mark>", r["snippet"])
            self.assertTrue(r["url"].startswith("/categories/"))
        self.assertIn("AVR-11", ids(get_json("/api/search?q=backup")[1]))

    def test_stemming_prefix_phrase_and(self):
        self.assertIn("CON-3", ids(get_json("/api/search?q=encrypted")[1]))
        self.assertIn("CON-3", ids(get_json("/api/search?q=encr")[1]))
        self.assertEqual(ids(get_json("/api/search?q=%22data+transfers%22")[1]), ["CON-3"])
        self.assertEqual(ids(get_json("/api/search?q=%22transfers+encryption%22")[1]), [])
        self.assertEqual(ids(get_json("/api/search?q=fire+training")[1]), ["AVR-6"])

    def test_filters_and_paging(self):
        status, res = get_json("/api/search?q=firewall&product=cloud-servers&status=client")
        self.assertEqual(ids(res), ["AVR-15"])
        self.assertEqual(list(res["results"][0]["cells"]), ["cloud-servers"])
        status, res = get_json("/api/search?q=monitoring&category=availability-and-resilience")
        self.assertTrue(all(r["category"]["id"] == "availability-and-resilience"
                            for r in res["results"]))
        _, full = get_json("/api/search?q=data&limit=100")
        self.assertGreater(full["total"], 4)
        pages = []
        for off in range(0, full["total"], 2):
            pages += ids(get_json("/api/search?q=data&limit=2&offset=%d" % off)[1])
        self.assertEqual(pages, ids(full))

    def test_html_results_without_javascript(self):
        status, headers, body = request("/api/search?q=firewall",
                                        headers={"Accept": "text/html"})
        self.assertEqual(status, 200)
        self.assertIn("text/html", headers["Content-Type"])
        self.assertIn("default-src 'none'", headers["Content-Security-Policy"])
        html = body.decode()
        self.assertIn('href="/assets/style.css"', html)
        self.assertIn("<mark>firewall</mark>", html)
        self.assertIn('href="/categories/electronic-access-control/#EAC-7"', html)

    def test_export_equals_filtered_tom_json(self):
        with open(os.path.join(STATE["out"], "api", "tom.json")) as f:
            tom = json.load(f)
        for q, args in [("", {}), ("product=cloud-servers", {"product": "cloud-servers"}),
                        ("product=managed-servers&status=client",
                         {"product": "managed-servers", "status": "client"}),
                        ("category=integrity", {"category": "integrity"})]:
            status, headers, body = request("/api/export?" + q)
            self.assertEqual(status, 200, q)
            self.assertIn("attachment", headers["Content-Disposition"])
            self.assertEqual(json.loads(body), expected_filter(tom, **args), q)
        status, headers, body = request("/api/export?product=cloud-servers&format=csv")
        self.assertIn('filename="progressiverobot-tom-cloud-servers.csv"',
                      headers["Content-Disposition"])
        self.assertTrue(body.startswith(b"\xef\xbb\xbf"))  # UTF-8 for Excel
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
        cloud = expected_filter(tom, product="cloud-servers")
        self.assertEqual(len(rows), sum(len(m["cells"]) for c in cloud["categories"]
                                        for m in c["measures"]))
        self.assertEqual({r["scope_id"] for r in rows if r["scope_kind"] == "product"},
                         {"cloud-servers"})

    def test_responsibility_is_what_is_mine(self):
        # "what is mine?" for cloud servers: the client's duties and the
        # shared cells, which status=client misses (a shared cell is provided)
        with open(os.path.join(STATE["out"], "api", "tom.json")) as f:
            tom = json.load(f)
        q = "responsibility=client,shared&product=cloud-servers"
        want = expected_filter(tom, product="cloud-servers", responsibility="client,shared")
        for fmt in ("json", "csv", "xlsx"):
            status, headers, body = request("/api/export?%s&format=%s" % (q, fmt))
            self.assertEqual(status, 200, fmt)
            self.assertIn('filename="progressiverobot-tom-cloud-servers-client,shared.%s"' % fmt,
                          headers["Content-Disposition"])
            if fmt == "json":
                self.assertEqual(json.loads(body), want)
            if fmt == "csv":
                rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
                self.assertEqual({r["responsibility"] for r in rows}, {"client", "shared"})
                self.assertEqual(len(rows), sum(len(m["cells"]) for c in want["categories"]
                                                for m in c["measures"]))
        got = {m["id"] for c in want["categories"] for m in c["measures"]}
        self.assertTrue({"IAC-1", "IAC-2"} <= got)
        # every client duty of cloud servers (its own cell, or a site or
        # organisation cell of the row with such a cell) is in the answer
        kinds = {s["id"]: s["kind"] for s in tom["scopes"]}
        for c in tom["categories"]:
            for m in c["measures"]:
                cells = [v for k, v in m["cells"].items()
                         if k == "cloud-servers" or kinds[k] in ("site", "organisation")]
                if any(v["responsibility"] == "client" for v in cells):
                    self.assertIn(m["id"], got)
        _, status_client = get_json("/api/export?product=cloud-servers&status=client")
        self.assertNotIn("IAC-1", {m["id"] for c in status_client["categories"]
                                   for m in c["measures"]})
        # the search says the same, result by result
        status, res = get_json("/api/search?q=iac&limit=100&" + q)
        self.assertEqual(status, 200)
        self.assertEqual(res["filter"], {"product": "cloud-servers",
                                         "responsibility": "client,shared"})
        self.assertTrue({"IAC-1", "IAC-2"} <= set(ids(res)))
        by_id = {m["id"]: m for c in want["categories"] for m in c["measures"]}
        for r in res["results"]:
            self.assertEqual(r["cells"], by_id[r["id"]]["cells"], r["id"])
        status, headers, body = request("/api/search?q=iac&" + q, headers={"Accept": "text/html"})
        self.assertEqual(status, 200)
        self.assertIn("responsibility=client%2Cshared", body.decode())
        for bad in ("mine", "client,", ",client", "client,,shared", "provided"):
            status, res = get_json("/api/search?q=iac&responsibility=" + bad)
            self.assertEqual(status, 400, bad)
            self.assertIn("responsibility", res["error"]["message"])
            status, _, _ = request("/api/export?responsibility=" + bad)
            self.assertEqual(status, 400, bad)

    def test_export_q_is_what_the_search_finds(self):
        with open(os.path.join(STATE["out"], "api", "tom.json")) as f:
            tom = json.load(f)
        for q, args in [("firewall", {}), ("data", {"product": "web-hosting", "status": "provided"}),
                        ("TLS", {}), ("backup", {"category": "availability-and-resilience"})]:
            query = urllib.parse.urlencode(dict(q=q, **args))
            found = ids(get_json("/api/search?limit=100&" + query)[1])
            status, headers, body = request("/api/export?" + query)
            self.assertEqual(status, 200, query)
            self.assertIn("-search", headers["Content-Disposition"])
            got = json.loads(body)
            # the filtered data set, with only the measures the search found
            want = expected_filter(tom, **args)
            for c in want["categories"]:
                c["measures"] = [m for m in c["measures"] if m["id"] in found]
            want["categories"] = [c for c in want["categories"] if c["measures"]]
            used = {k for c in want["categories"] for m in c["measures"] for k in m["cells"]}
            want["scopes"] = [sc for sc in want["scopes"] if sc["id"] in used]
            want["filter"] = dict(want.get("filter", {}), q=q)
            self.assertEqual(got, want, query)
            self.assertEqual(sorted(m["id"] for c in got["categories"] for m in c["measures"]),
                             sorted(found))
            status, headers, body = request("/api/export?format=csv&" + query)
            rows = list(csv.DictReader(io.StringIO(body.decode(), newline="")))
            self.assertEqual({r["measure_id"] for r in rows}, set(found))

    def test_synonyms_and_suggestions(self):
        for q, want in [("TLS", "CON-3"), ("SSL", "CON-3"), ("MFA", "EAC-4"), ("2FA", "EAC-4"),
                        ("ISO 27001", "TST-1"), ("pentest", "EAC-9"), ("CCTV", "PAC-3")]:
            status, res = get_json("/api/search?q=" + urllib.parse.quote(q))
            self.assertIn(want, ids(res), q)
            self.assertEqual(res["suggestions"], [])
        # issue 27: a typo's correction is searched at once and named
        status, res = get_json("/api/search?q=encrpytion")
        _, again = get_json("/api/search?q=encryption")
        self.assertEqual(res["showing"], "encryption")
        self.assertEqual(res["total"], again["total"])
        self.assertEqual(res["suggestions"], [])
        status, headers, body = request("/api/search?q=firwall",
                                        headers={"Accept": "text/html"})
        html = body.decode()
        self.assertIn('Showing results for <strong>firewall</strong>', html)
        self.assertIn('EAC-7', html)
        self.assertIn('value="firwall"', html)  # the query stays in the boxes

    def test_repeated_answers_come_from_the_cache(self):
        first = request("/api/search?q=redundant+power")
        for _ in range(4):
            self.assertEqual(request("/api/search?q=redundant+power")[2], first[2])
        with open(os.path.join(STATE["tmp"], "serve.log")) as f:
            self.assertIn("GET /api/search?q=redundant+power 200", f.read())
        with open(os.path.join(STATE["tmp"], "serve.log")) as f:
            self.assertIn("cached", f.read())

    def test_conditional_and_methods(self):
        status, headers, _ = request("/api/search?q=backup")
        status2, headers2, body2 = request("/api/search?q=backup",
                                           headers={"If-None-Match": headers["ETag"]})
        self.assertEqual(status2, 304)
        self.assertEqual(body2, b"")
        status, headers, body = request("/api/search?q=backup", method="POST")
        self.assertEqual(status, 405)
        self.assertEqual(headers["Allow"], "GET, HEAD")
        status, headers, body = request("/api/health", method="HEAD")
        self.assertEqual((status, body), (200, b""))

    def test_cors_as_browsers_expect_it(self):
        """A page of another origin can ask (preflight), read every answer
        under /api/ (errors and nginx's own 404 too) and see the ETag and
        the download's name. The preflight was a 405 without any
        Access-Control header, and a 404 under /api/ had no origin header."""
        pre = {"Origin": "https://grc.example", "Access-Control-Request-Method": "GET",
               "Access-Control-Request-Headers": "if-none-match"}
        for path in ["/api/search?q=backup", "/api/export?format=csv", "/api/tom.json",
                     "/api/tom.csv", "/de/api/tom.json", "/api/nothing"]:
            status, headers, body = request(path, method="OPTIONS", headers=pre)
            self.assertEqual((status, body), (204, b""), path)
            self.assertEqual(headers.get("Access-Control-Allow-Origin"), "*", path)
            self.assertIn("GET", headers.get("Access-Control-Allow-Methods", ""), path)
            self.assertIn("If-None-Match", headers.get("Access-Control-Allow-Headers", ""), path)
            self.assertEqual(headers.get("Access-Control-Max-Age"), "86400", path)
        # an OPTIONS that is no preflight, or outside /api/, is no CORS answer
        self.assertEqual(request("/api/health", method="OPTIONS")[0], 405)
        status, headers, _ = request("/index.html", method="OPTIONS", headers=pre)
        self.assertEqual(status, 405)
        self.assertNotIn("Access-Control-Allow-Methods", headers)
        for path, want in [("/api/export?format=csv&product=cloud-servers", 200),
                           ("/api/tom.csv", 200), ("/api/tom.json", 200),
                           ("/api/search?q=%ZZ", 400), ("/api/nothing", 404),
                           ("/de/api/nothing.json", 404), ("/api/search?q=a", 405)]:
            method = "POST" if want == 405 else "GET"
            status, headers, _ = request(path, method=method)
            self.assertEqual(status, want, path)
            self.assertEqual(headers.get("Access-Control-Allow-Origin"), "*", path)
            exposed = headers.get("Access-Control-Expose-Headers", "")
            self.assertIn("ETag", exposed, path)
            self.assertIn("Content-Disposition", exposed, path)
        status, headers, _ = request("/nothing")
        self.assertEqual(status, 404)
        self.assertNotIn("Access-Control-Allow-Origin", headers)

    def test_a_long_filter_makes_a_short_file_name(self):
        """600 items of responsibility went whole into the file name; the
        header outgrew nginx's buffer and every such export was a 502."""
        many = ",".join(["client"] * 600 + ["shared"] + ["client"] * 10)
        for fmt in ["csv", "json", "xlsx"]:
            status, headers, body = request("/api/export?format=%s&responsibility=%s" % (fmt, many))
            self.assertEqual(status, 200, fmt)
            self.assertIn('filename="progressiverobot-tom-client,shared.%s"' % fmt,
                          headers["Content-Disposition"])

    def test_hostile_requests_get_4xx_and_workers_survive(self):
        before = workers()
        hostile = ["/api/search?q=%ZZ", "/api/search?q=" + "a" * 201, "/api/search?q=%FF%FE",
                   "/api/search?q=a&q=b", "/api/search?q=a&limit=0", "/api/search?q=a&limit=101",
                   "/api/search?q=a&product=nope", "/api/search?q=a&category=nope",
                   "/api/search?q=a&status=nope", "/api/search?q=%22%22", "/api/search",
                   "/api/search?q=a%00b", "/api/export?format=pdf", "/api/health?x=1",
                   "/api/search?q=%27%3B+DROP+TABLE+measures%3B--",
                   "/api/search?q=NEAR(a+b)+OR+*+%5E+mid:x", "/api/search?q=a&offset=-1",
                   "/api/search?%3D%3D%3D", "/api/search?q=%E2%80%AE%0D%0Ainjected",
                   "/api/search%0A"]
        for path in hostile:
            status, headers, body = request(path)
            self.assertLess(status, 500, path)
            self.assertGreaterEqual(status, 200, path)
            if status >= 400:
                self.assertIn("message", json.loads(body)["error"], path)
            self.assertEqual(get_json("/api/health")[0], 200, path)
        self.assertEqual(workers(), before)
        with open(os.path.join(STATE["tmp"], "serve.log")) as f:
            log = f.read()
        # nginx decodes the path; a newline in it reaches the log escaped
        self.assertIn("GET /api/search\\x0a 404", log)

    def test_parameter_names_that_are_not_utf8(self):
        # Each of these once crashed a worker (SIGSEGV, nginx 502): the name
        # was copied into the error message and jansson refused it.
        before = workers()
        for path, name in [("/api/health?%ff", "\\xff"), ("/api/search?q=a&%ff=1", "\\xff"),
                           ("/api/export?%c3%28", "\\xc3(")]:
            status, headers, body = request(path)
            self.assertEqual(status, 400, path)
            self.assertEqual(json.loads(body)["error"]["message"],
                             "unknown parameter '%s'" % name, path)
            status, headers, body = request(path, headers={"Accept": "text/html"})
            self.assertEqual(status, 400, path)
            self.assertIn("unknown parameter &#39;%s&#39;" % name, body.decode(), path)
        self.assertEqual(workers(), before)

    def test_killed_worker_is_replaced(self):
        before = workers()
        self.assertEqual(len(before), 2)
        os.kill(before[0], signal.SIGKILL)
        self.assertTrue(until(lambda: len(workers()) == 2 and before[0] not in workers()))
        for _ in range(10):
            self.assertEqual(get_json("/api/search?q=firewall")[0], 200)

    def test_static_site(self):
        status, headers, body = request("/")
        self.assertEqual(status, 200)
        self.assertIn("Progressiverobot", body.decode())
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(request("/categories/physical-access-control/")[0], 200)
        self.assertEqual(request("/products/cloud-servers/")[0], 200)
        status, headers, body = request("/no/such/page")
        self.assertEqual(status, 404)
        self.assertIn("Page not found", body.decode())
        status, headers, body = request("/assets/style.css", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(headers.get("Content-Encoding"), "gzip")
        self.assertIn(b"prefers-color-scheme", gzip.decompress(body))
        self.assertEqual(request("/tc-index.sqlite")[0], 404)
        status, headers, body = request("/api/tom.json")
        self.assertEqual(len([m for c in json.loads(body)["categories"] for m in c["measures"]]), 51)


class Reload(unittest.TestCase):
    def test_sighup_serves_a_replaced_index(self):
        content = os.path.join(STATE["tmp"], "content2")
        shutil.copytree(os.path.join(ROOT, "content"), content)
        site = os.path.join(content, "site.md")
        with open(site) as f:
            text = f.read()
        with open(site, "w") as f:
            f.write(text.replace('version: "2026.2"', 'version: "2099.9"'))
        with open(os.path.join(content, "categories", "07-confidentiality.md"), "a") as f:
            f.write("| CON-4 | Quarterly zebra audits | ✓ | X |\n")
        # a new measure needs its German text too (content/de)
        de = os.path.join(content, "de", "categories", "07-confidentiality.md")
        with open(de) as f:
            text = f.read()
        with open(de, "w") as f:
            f.write(text.replace("measures:\n", "measures:\n  CON-4: Vierteljährliche Zebra-Audits\n", 1))
        # Build beside, then swap the file in as a deploy would.
        fresh = STATE["index"] + ".new"
        gen(content, os.path.join(STATE["tmp"], "public2"), fresh)
        before = workers()
        # every language's index of the run: a set from two runs is refused
        os.rename(fresh + ".de", STATE["index"] + ".de")
        os.rename(fresh, STATE["index"])
        os.kill(STATE["master"], signal.SIGHUP)
        self.assertTrue(until(lambda: get_json("/api/health")[1]["version"] == "2099.9"))
        # every worker answers from the new index: the master opened it and
        # replaced the workers (sandboxed, they cannot open files)
        for _ in range(8):
            self.assertEqual(get_json("/api/health")[1]["version"], "2099.9")
        self.assertEqual(ids(get_json("/api/search?q=zebra")[1]), ["CON-4"])
        self.assertTrue(until(lambda: len(workers()) == 2 and
                              not set(workers()) & set(before)))

    def test_a_killed_workbook_helper_is_replaced_with_its_worker(self):
        """Each sandboxed worker writes workbooks through a helper process
        it started before its sandbox; a killed helper used to leave its
        worker answering 503 for every workbook until it was restarted.
        A worker learns of it while it waits (it polls the helper's
        socket), not only at the next workbook its cache lacks: that made
        this test depend on which worker the kernel handed a request."""
        url = "/api/export?format=xlsx&product=cloud-servers"
        self.assertEqual(request(url)[0], 200)
        before = workers()
        helpers = [int(p) for w in before for p in subprocess.run(
            ["pgrep", "-P", str(w)], capture_output=True, text=True).stdout.split()]
        self.assertEqual(len(helpers), 2 * len(before))  # one serving, one spare
        for pid in helpers:
            os.kill(pid, signal.SIGKILL)
        # idle workers leave at once and the master starts fresh ones
        self.assertTrue(until(lambda: len(workers()) == len(before) and
                              not set(workers()) & set(before)))
        def helped():
            return all(len(subprocess.run(
                ["pgrep", "-P", str(w)], capture_output=True,
                text=True).stdout.split()) == 2 for w in workers())
        self.assertTrue(until(helped))
        statuses = [request(url)[0] for _ in range(2 * len(before) + 4)]
        self.assertEqual(statuses, [200] * len(statuses))

    def test_z_a_bad_index_on_disk_keeps_the_last_good_one(self):
        # A bad file and a failed reload: the last good index stays, also
        # for workers started afterwards (they used to exit, once a second,
        # unable to open the file, and /api/health timed out).
        version = get_json("/api/health")[1]["version"]
        saved = STATE["index"] + ".good"
        os.rename(STATE["index"], saved)
        try:
            with open(STATE["index"], "wb") as f:
                f.write(b"SQLite format 3\0" + b"\xff" * 4096)
            os.kill(STATE["master"], signal.SIGHUP)
            self.assertTrue(until(lambda: "reload failed" in read_log()))
            for _ in range(3):
                before = workers()
                for pid in before:
                    os.kill(pid, signal.SIGKILL)
                self.assertTrue(until(lambda: len(workers()) == 2 and
                                      not set(workers()) & set(before)))
                for _ in range(4):
                    status, h = get_json("/api/health")
                    self.assertEqual((status, h["version"]), (200, version))
                self.assertEqual(get_json("/api/search?q=firewall")[0], 200)
            os.unlink(STATE["index"])
            os.kill(STATE["master"], signal.SIGHUP)  # no file at all: same
            time.sleep(0.3)
            self.assertEqual(get_json("/api/health")[1]["version"], version)
        finally:
            os.replace(saved, STATE["index"])


def fcgi_get(sock_path, params):
    """A minimal FastCGI client: one GET, the raw CGI response back."""
    def record(rtype, content):
        return struct.pack(">BBHHBx", 1, rtype, 1, len(content), 0) + content

    def pair(k, v):
        k, v = k.encode(), v.encode()
        return bytes([len(k), len(v)]) + k + v
    body = b"".join(pair(k, v) for k, v in params.items())
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(sock_path)
        s.sendall(record(1, struct.pack(">HBxxxxx", 1, 0)) + record(4, body) +
                  record(4, b"") + record(5, b""))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    out, i = b"", 0
    while i + 8 <= len(data):
        _, rtype, _, n, pad = struct.unpack(">BBHHBx", data[i:i + 8])
        if rtype == 6:
            out += data[i + 8:i + 8 + n]
        i += 8 + n + pad
    return out.decode()


def fcgi_head(params, rid=1):
    """BEGIN_REQUEST and the PARAMS records of one request, as nginx sends."""
    def record(rtype, content):
        return struct.pack(">BBHHBx", 1, rtype, rid, len(content), 0) + content

    def pair(k, v):
        k, v = k.encode(), v.encode()
        return bytes([len(k), len(v)]) + k + v
    body = b"".join(pair(k, v) for k, v in params.items())
    return record(1, struct.pack(">HBxxxxx", 1, 0)) + record(4, body) + record(4, b"")


def read_log(name="serve.log"):
    with open(os.path.join(STATE["tmp"], name)) as f:
        return f.read()


class Server:
    """A tc-search of its own on a unix socket, for tests that hurt it."""

    def __init__(self, name, workers=2, env=None, index=None):
        self.path = os.path.join(STATE["tmp"], name + ".sock")
        self.log = open(os.path.join(STATE["tmp"], name + ".log"), "w+")
        self.proc = subprocess.Popen([os.path.join(BIN, "tc-search"), "--index",
                                      index or STATE["index"],
                                      "--listen", self.path, "--workers", str(workers)],
                                     stderr=self.log, env=dict(os.environ, **(env or {})))
        if not until(lambda: os.path.exists(self.path) and len(self.workers()) == workers):
            self.stop()
            raise RuntimeError("tc-search did not start")

    def workers(self):
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return sorted(int(p) for p in out.stdout.split())

    def text(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def get(self, query="", path="/api/health"):
        return fcgi_get(self.path, {"REQUEST_METHOD": "GET", "DOCUMENT_URI": path,
                                    "QUERY_STRING": query})

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)
        self.log.close()


def closed_by_peer(sock, timeout):
    """True when the server closes sock (EOF or reset) within timeout."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


class FastCGISocket(unittest.TestCase):
    """What reaches the FastCGI socket directly (nginx's group only)."""

    def test_idle_and_half_sent_connections_do_not_pin_workers(self):
        srv = Server("idle")
        socks = []
        try:
            # one byte, half a head, and nothing at all: more connections
            # than workers; each used to hold a worker for ever
            for data in [b"\x01", fcgi_head({"A": "b"})[:20], b""] * 2:
                s = socket.socket(socket.AF_UNIX)
                s.connect(srv.path)
                s.sendall(data)
                socks.append(s)
            time.sleep(0.2)
            for _ in range(5):
                t = time.time()
                self.assertTrue(srv.get().startswith("Status: 200 OK\r\n"))
                self.assertLess(time.time() - t, 1.0)
            # and each is dropped within the head timeout (3 s)
            t = time.time()
            for s in socks:
                self.assertTrue(closed_by_peer(s, 6))
            self.assertLess(time.time() - t, 5)
            self.assertIn("dropped a FastCGI connection: no complete request head", srv.text())
            # more than each worker used to wait on (8): no wait at all
            # now (tests/integration/test_faults.py: 300 of them)
            for s in socks:
                s.close()
            socks = []
            for _ in range(2 * 8 + 4):
                s = socket.socket(socket.AF_UNIX)
                s.connect(srv.path)
                s.sendall(b"\x01")
                socks.append(s)
            time.sleep(0.2)
            t = time.time()
            self.assertTrue(srv.get().startswith("Status: 200 OK\r\n"))
            self.assertLess(time.time() - t, 1.0)
        finally:
            for s in socks:
                s.close()
            srv.stop()

    def test_absurd_params_lengths_are_refused_before_libfcgi(self):
        srv = Server("absurd")
        try:
            before = srv.workers()
            begin = struct.pack(">BBHHBx", 1, 1, 1, 8, 0) + struct.pack(">HBxxxxx", 1, 0)
            for lengths in [b"\xc0\x00\x00\x00\xc0\x00\x00\x00", b"\xff" * 8,
                            b"\x7f\xff\xff\xff\xff"]:
                body = lengths + b"ab"
                params = struct.pack(">BBHHBx", 1, 4, 1, len(body), 0) + body
                end = struct.pack(">BBHHBx", 1, 4, 1, 0, 0)
                with socket.socket(socket.AF_UNIX) as s:
                    s.connect(srv.path)
                    s.sendall(begin + params + end)
                    self.assertTrue(closed_by_peer(s, 5))
            # other heads libfcgi would have read: a management record, a
            # second BEGIN_REQUEST, more than 64 KiB of params
            mgmt = struct.pack(">BBHHBx", 1, 9, 0, 0, 0)
            big = fcgi_head({"X": "y" * 120})[:16] + (
                struct.pack(">BBHHBx", 1, 4, 1, 65000, 0) + b"\0" * 65000) * 2
            for data in [mgmt, begin + begin, big]:
                with socket.socket(socket.AF_UNIX) as s:
                    s.connect(srv.path)
                    try:
                        s.sendall(data)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    self.assertTrue(closed_by_peer(s, 5))
            self.assertTrue(srv.get().startswith("Status: 200 OK\r\n"))
            self.assertEqual(srv.workers(), before)
            log = srv.text()
            self.assertIn("runs past the end of the params", log)
            self.assertIn("larger than 64 KiB", log)
            self.assertNotIn("killed by signal", log)
        finally:
            srv.stop()

    def test_a_forbidden_system_call_kills_the_worker_and_it_is_replaced(self):
        # TC_SEARCH_SANDBOX_PROBE=1 (tests only): SIGUSR1 makes a worker
        # open a file, which the seccomp filter answers with SIGSYS.
        srv = Server("probe", env={"TC_SEARCH_SANDBOX_PROBE": "1"})
        try:
            before = srv.workers()
            for pid in before:
                with open("/proc/%d/status" % pid) as f:
                    status = f.read()
                self.assertIn("NoNewPrivs:\t1", status)
                self.assertIn("Seccomp:\t2", status)
            os.kill(before[0], signal.SIGUSR1)
            self.assertTrue(until(lambda: len(srv.workers()) == 2 and before[0] not in srv.workers()))
            self.assertIn("worker %d killed by signal %d" % (before[0], signal.SIGSYS), srv.text())
            for _ in range(4):
                self.assertTrue(srv.get().startswith("Status: 200 OK\r\n"))
        finally:
            srv.stop()


class ProcessModels(unittest.TestCase):
    def test_inherited_socket_on_fd0(self):
        path = os.path.join(STATE["tmp"], "fd0.sock")
        lsock = socket.socket(socket.AF_UNIX)
        lsock.bind(path)
        lsock.listen(8)
        proc = subprocess.Popen([os.path.join(BIN, "tc-search"), "--index", STATE["index"],
                                 "--workers", "1"], stdin=lsock.fileno(),
                                stderr=subprocess.DEVNULL)
        lsock.close()
        try:
            resp = fcgi_get(path, {"REQUEST_METHOD": "GET", "DOCUMENT_URI": "/api/search",
                                   "QUERY_STRING": "q=encrypted", "HTTP_ACCEPT": "*/*"})
            self.assertTrue(resp.startswith("Status: 200 OK\r\n"))
            self.assertIn('"id":"CON-3"', resp)
        finally:
            proc.terminate()
            proc.wait(timeout=15)

    def test_listen_creates_a_0660_socket(self):
        path = os.path.join(STATE["tmp"], "listen.sock")
        proc = subprocess.Popen([os.path.join(BIN, "tc-search"), "--index", STATE["index"],
                                 "--listen", path, "--workers", "1"], stderr=subprocess.DEVNULL)
        try:
            self.assertTrue(until(lambda: os.path.exists(path)))
            self.assertEqual(os.stat(path).st_mode & 0o777, 0o660)
            resp = fcgi_get(path, {"REQUEST_METHOD": "GET", "DOCUMENT_URI": "/api/health",
                                   "QUERY_STRING": ""})
            self.assertTrue(resp.startswith("Status: 200 OK\r\n"))
        finally:
            proc.terminate()
            proc.wait(timeout=15)
        self.assertFalse(os.path.exists(path), "the socket is removed on exit")

    def test_cgi_mode(self):
        env = dict(os.environ, GATEWAY_INTERFACE="CGI/1.1", REQUEST_METHOD="GET",
                   SCRIPT_NAME="/api", PATH_INFO="/export",
                   QUERY_STRING="product=web-hosting&format=csv", TC_INDEX=STATE["index"])
        r = subprocess.run([os.path.join(BIN, "tc-search")], env=env, capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=10)
        head, _, body = r.stdout.decode().partition("\r\n\r\n")
        self.assertEqual(r.returncode, 0)  # not SIGSYS at exit, in the sandbox
        self.assertIn("Status: 200 OK", head)
        self.assertIn("Content-Disposition: attachment", head)
        self.assertTrue(body.startswith("\ufeffcategory_id,"))
        env["QUERY_STRING"] = "format=%ZZ"
        r = subprocess.run([os.path.join(BIN, "tc-search")], env=env, capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=10)
        self.assertTrue(r.stdout.decode().startswith("Status: 400 Bad Request"))
        # a workbook asked for with its format percent-encoded is still one:
        # the data set is read before the workbook helper forks, as for
        # format=xlsx (it was a 503: the helper could not read it)
        env["QUERY_STRING"] = "product=web-hosting&format=%78lsx"
        r = subprocess.run([os.path.join(BIN, "tc-search")], env=env, capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=10)
        head, _, body = r.stdout.partition(b"\r\n\r\n")
        self.assertEqual(r.returncode, 0)
        self.assertIn(b"Status: 200 OK", head)
        self.assertTrue(body.startswith(b"PK"), head)

    def test_cgi_mode_to_a_terminal_or_dev_null(self):
        # stdio asks a character device whether it is a terminal when it
        # first writes to it; inside the sandbox that call (ioctl TCGETS)
        # killed the answer with SIGSYS, rc 159, before a byte was written
        env = dict(os.environ, GATEWAY_INTERFACE="CGI/1.1", REQUEST_METHOD="GET",
                   DOCUMENT_URI="/api/search", QUERY_STRING="q=backup",
                   TC_INDEX=STATE["index"])
        with open(os.devnull, "wb") as null:
            r = subprocess.run([os.path.join(BIN, "tc-search")], env=env, stdout=null,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, timeout=10)
        self.assertEqual(r.returncode, 0, "an answer to /dev/null")
        master, slave = os.openpty()
        try:
            # read while it writes: a terminal holds only a few KB
            proc = subprocess.Popen([os.path.join(BIN, "tc-search")], env=env, stdout=slave,
                                    stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
            os.close(slave)
            slave = -1
            out = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the terminal's other end is closed
                    break
                if not chunk:
                    break
                out += chunk
            rc = proc.wait(timeout=10)
        finally:
            if slave >= 0:
                os.close(slave)
            os.close(master)
        self.assertEqual(rc, 0, "an answer to a terminal")
        self.assertTrue(out.startswith(b"Status: 200 OK"), out[:200])


class Scale(unittest.TestCase):
    """A data set of benchmark size L (2,000 measures, bench/gen_content.py):
    tc-search answers its first request soon after it starts, because it
    loads nothing of the size of the data. The budgets are sanity bounds
    for a busy machine (and sanitizer builds), not the benchmark's."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="scale-", dir=STATE["tmp"])
        content = os.path.join(cls.dir, "content")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_content.py"), "L", content],
                       check=True)
        cls.index = os.path.join(cls.dir, "L.sqlite")
        gen(content, os.path.join(cls.dir, "public"), cls.index)

    def test_first_answer_after_start(self):
        t0 = time.monotonic()
        server = Server("scale", workers=1, index=self.index)
        try:
            resp = server.get("q=backup+data&product=scope-3&limit=20", "/api/search")
            took = time.monotonic() - t0
            self.assertTrue(resp.startswith("Status: 200 OK\r\n"), resp[:200])
            # the master checks every byte of the index before it serves
            # (README, "Index verification"): 0.6 s of this at L
            self.assertLess(took, 3.0, "start and first answer at L")
            resp = server.get("product=scope-2", "/api/export")
            self.assertTrue(resp.startswith("Status: 200 OK\r\n"), resp[:200])
        finally:
            server.stop()

    def test_one_cgi_answer(self):
        env = dict(os.environ, GATEWAY_INTERFACE="CGI/1.1", REQUEST_METHOD="GET",
                   DOCUMENT_URI="/api/search", QUERY_STRING="q=firewall&responsibility=client",
                   TC_INDEX=self.index)
        t0 = time.monotonic()
        r = subprocess.run([os.path.join(BIN, "tc-search")], env=env, capture_output=True,
                           stdin=subprocess.DEVNULL, timeout=10)
        self.assertLess(time.monotonic() - t0, 1.0)
        self.assertEqual(r.returncode, 0)
        self.assertTrue(r.stdout.startswith(b"Status: 200 OK\r\n"), r.stdout[:200])


class EarlyStop(unittest.TestCase):
    def test_a_stop_while_starting_stops_it(self):
        # SIGTERM as soon as the socket is there, while the master still
        # loads its fonts: libfcgi's FCGX_Init had put a handler of its own
        # on SIGTERM, which swallowed the stop, and the master then served
        # on until SIGKILL (10 of 10 starts before the fix).
        for i in range(10):
            path = os.path.join(STATE["tmp"], "early-%d.sock" % i)
            proc = subprocess.Popen([os.path.join(BIN, "tc-search"), "--index", STATE["index"],
                                     "--listen", path, "--workers", "2"],
                                    stderr=subprocess.DEVNULL)
            try:
                self.assertTrue(until(lambda: os.path.exists(path) or proc.poll() is not None,
                                      timeout=20), "try %d: no socket" % i)
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=8)
                self.assertEqual(proc.returncode, 0, "try %d" % i)
                self.assertFalse(os.path.exists(path), "try %d: the socket is left" % i)
            finally:
                if proc.poll() is None:
                    subprocess.run(["pkill", "-KILL", "-P", str(proc.pid)])
                    proc.kill()
                    proc.wait()


class ServeScript(unittest.TestCase):
    def test_sigterm_to_the_group_under_make_removes_the_run_folder(self):
        # `make serve` stopped with SIGTERM to its process group: make sends
        # its child a second SIGTERM, which used to kill serve.sh in the
        # middle of its cleanup and leave the run folder (and its logs).
        tmp = tempfile.mkdtemp(prefix="serve-", dir=STATE["tmp"])
        mk = os.path.join(tmp, "Makefile")
        with open(mk, "w") as f:
            f.write("serve:\n\t@exec %s --port $(PORT) --root %s --index %s --bin %s\n" % (
                os.path.join(ROOT, "deploy", "serve.sh"), STATE["out"], STATE["index"], BIN))
        runs = os.path.join(tmp, "runs")
        os.mkdir(runs)
        for i in range(5):
            proc = subprocess.Popen(["make", "-s", "-f", mk, "serve", "PORT=%d" % free_port()],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                    env=dict(os.environ, TMPDIR=runs), start_new_session=True)
            try:
                self.assertIn("serving", proc.stdout.readline())
                self.assertEqual(len(os.listdir(runs)), 1)
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=15)
            finally:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
                proc.stdout.close()
            # serve.sh may outlive make by a moment while it cleans up
            self.assertTrue(until(lambda: not os.listdir(runs)), "try %d: %s" % (i, os.listdir(runs)))


class Stop(unittest.TestCase):
    def test_sigterm_stops_everything(self):
        proc = STATE["proc"]
        pids = [STATE["master"]] + workers()
        os.kill(proc.pid, signal.SIGTERM)  # serve.sh only: its trap must do the rest
        proc.wait(timeout=15)

        def alive(pid):
            try:
                os.kill(pid, 0)
                return True
            except ProcessLookupError:
                return False
        self.assertTrue(until(lambda: not any(alive(p) for p in pids)))
        with self.assertRaises(OSError):
            request("/")
        with open(os.path.join(STATE["tmp"], "serve.log")) as f:
            log = f.read()
        self.assertIn("stopped", log)
        # Under the sanitizer build a worker that trips ASan or UBSan would be
        # replaced silently; its report is in the log.
        self.assertNotIn("Sanitizer", log)
        self.assertNotIn("runtime error", log)
        self.assertNotIn("killed by signal", log.replace("signal 9", ""))


def load_tests(loader, tests, pattern):
    # Reload swaps the served index: it runs after everything else.
    suite = unittest.TestSuite()
    suite.addTests(loader.loadTestsFromTestCase(Search))
    suite.addTests(loader.loadTestsFromTestCase(ProcessModels))
    suite.addTests(loader.loadTestsFromTestCase(FastCGISocket))
    suite.addTests(loader.loadTestsFromTestCase(Scale))
    suite.addTests(loader.loadTestsFromTestCase(Reload))
    suite.addTests(loader.loadTestsFromTestCase(EarlyStop))
    suite.addTests(loader.loadTestsFromTestCase(ServeScript))
    suite.addTests(loader.loadTestsFromTestCase(Stop))
    return suite


if __name__ == "__main__":
    unittest.main(verbosity=2)
