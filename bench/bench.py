#!/usr/bin/env python3
"""tc benchmarks: every figure beside a baseline measured in the same run.

  bench.py [--runs N] [--seconds S] [--sizes S,M,L] [--skip-search] [--out FILE]

Generator: for content of sizes S, M and L (bench/gen_content.py), tc-gen's wall
time and peak RSS beside the floor (bench/floor.c: cmark-gfm parsing and
rendering the same sources, then writing as many files and bytes as tc-gen
wrote) and the peer (Hugo building the same Markdown files as plain pages).

Search: wrk (32 connections) against nginx + tc-search on loopback with a mix of
100 queries, beside nginx serving a static file of the size of a typical answer
(the HTTP floor) and a hello-world libfcgi responder behind the same nginx (the
FastCGI floor); and product exports the same way.

Rounds interleave the tools, so a busy moment of the machine hits all of them.
Medians of --runs runs (default 5) with min and max. Writes docs/BENCHMARKS.md.
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import urllib.parse
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.path.join(ROOT, os.environ.get("TC_BENCH_BUILD", "build"))
CELLS = {"S": 353, "M": 6000, "L": 26000}


LAUNCH = os.path.join(BUILD, "bench-launch")


LAST_CPU = [0.0]  # the CPU seconds (user + system) of the last measured command


def measured(cmd, cwd=None):
    """Runs cmd through bench-launch (bench/launch.c); returns (wall seconds,
    peak RSS in MB, output), and leaves its CPU seconds in LAST_CPU[0]. The
    figures are the launcher's wait4 on the command: its own peak RSS, not
    the Python parent's, which a child forked from here would start with and
    keep across exec (self_check)."""
    out = tempfile.TemporaryFile(mode="w+")
    with tempfile.NamedTemporaryFile(mode="r", prefix="tc-bench-ru-") as ru:
        p = subprocess.run([LAUNCH, ru.name] + cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
        fields = ru.read().split()
    out.seek(0)
    text = out.read()
    if p.returncode != 0 or len(fields) != 3:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd), text[-2000:]))
    LAST_CPU[0] = float(fields[2])
    return float(fields[1]), int(fields[0]) / 1024.0, text


def self_check():
    """The RSS figures are the measured command's own: /bin/true must read
    under 3 MB (from Python's own wait4 it reads the parent's ~15 MB)."""
    _, rss, _ = measured(["/bin/true"])
    p = subprocess.Popen(["/bin/true"])
    inherited = os.wait4(p.pid, 0)[2].ru_maxrss / 1024.0
    if rss >= 3:
        sys.exit("bench.py: self-check failed: /bin/true measured at %.1f MB peak RSS (>= 3 MB); "
                 "the RSS figures would not be the measured commands' own" % rss)
    return {"true_mb": rss, "true_from_python_mb": inherited}


def stats(xs):
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs)}


def fmt(s, unit="", scale=1.0, digits=3):
    return "%.*f%s (%.*f–%.*f)" % (digits, s["median"] * scale, unit, digits, s["min"] * scale,
                                   digits, s["max"] * scale)


# ---------------------------------------------------------------- generator

def hugo_site(content, dest):
    os.makedirs(os.path.join(dest, "layouts", "_default"), exist_ok=True)
    shutil.rmtree(os.path.join(dest, "content"), ignore_errors=True)
    shutil.copytree(os.path.join(content, "categories"), os.path.join(dest, "content"))
    with open(os.path.join(dest, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://bench.example.test/"\ntitle = "bench"\n'
                'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", '
                '"home", "section"]\n')
    layout = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
              "{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n")
    for name in ("single.html", "list.html"):
        with open(os.path.join(dest, "layouts", "_default", name), "w") as f:
            f.write(layout)


def hugo_tom_site(tom_json, content, dest):
    """The whole-site Hugo peer: bench/hugo (config and layouts) with the data
    tc-gen exported (api/tom.json, copied to data/tom.json) and one stub
    content file per page, its front matter pointing into the data. Debian's
    Hugo (0.111) predates content adapters (_content.gotmpl, 0.126), so the
    stubs are how a Hugo user of this version builds pages from data.
    The stubs are written once, outside the timed runs."""
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "bench", "hugo"), dest)
    shutil.copytree(os.path.join(ROOT, "templates", "assets"), os.path.join(dest, "static", "assets"))
    shutil.copyfile(tom_json, os.path.join(dest, "data", "tom.json"))
    with open(tom_json) as f:
        tom = json.load(f)
    intro = "Synthetic content for benchmarks.\n"
    site_md = os.path.join(content, "site.md")
    if os.path.exists(site_md):
        with open(site_md) as f:
            intro = f.read().split("---\n", 2)[-1]

    def stub(rel, **fm):
        body = fm.pop("body", "")
        path = os.path.join(dest, "content", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(json.dumps(fm, ensure_ascii=False, indent=1) + "\n" + body)

    stub("_index.md", title=tom["title"], body=intro)
    stub("matrix.md", title="All measures", type="tom", layout="matrix", url="/matrix/",
         description="Every measure for every product and site.")
    stub("annex.md", title="Appendix 2: Technical and organisational measures", type="tom",
         layout="annex", url="/annex/", body=intro)
    stub("compare.md", title="Compare products", type="tom", layout="compare-index", url="/compare/")
    for c in tom["categories"]:
        stub("categories/%s.md" % c["id"], title=c["title"], type="tom", layout="category",
             category=c["id"], url=urllib.parse.urlsplit(c["url"]).path,
             description=c["description"])
    products = [s for s in tom["scopes"] if s["kind"] == "product"]
    for p in products:
        stub("products/%s.md" % p["id"], title=p["name"], type="tom", layout="product",
             product=p["id"], url="/products/%s/" % p["id"], description=p["description"],
             outputs=["HTML", "productjson"])
        stub("annexes/%s.md" % p["id"], type="tom", layout="product-annex", product=p["id"],
             title="Appendix 2: Technical and organisational measures for %s" % p["name"],
             url="/products/%s/annex/" % p["id"], description=p["description"])
        for q in products:
            if q is not p:
                stub("compare/%s/%s.md" % (p["id"], q["id"]), type="tom", layout="compare",
                     title="%s compared with %s" % (p["name"], q["name"]), a=p["id"], b=q["id"],
                     url="/compare/%s/%s/" % (p["id"], q["id"]))


def bench_generator(size, runs, work):
    content = os.path.join(work, "content-" + size)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_content.py"), size, content],
                   check=True)
    out, index = os.path.join(work, "out-" + size), os.path.join(work, "idx-" + size + ".sqlite")
    tcgen = [os.path.join(BUILD, "tc-gen"), "--content", content, "--templates",
             os.path.join(ROOT, "templates"), "--output", out, "--index", index]
    _, _, text = measured(tcgen)
    # "tc-gen: 87 pages, 102 files (1617793 bytes), ..." after any warnings
    # (the bundled content's site.md gives no privacy notice or imprint)
    words = [l for l in text.splitlines() if l.startswith("tc-gen: ")][-1].split()
    pages, files = int(words[1]), int(words[3])
    nbytes = int(words[5].strip("("))
    hugo_dir = os.path.join(work, "hugo-" + size)
    hugo_site(content, hugo_dir)
    hugo = ["hugo", "--quiet", "--source", hugo_dir, "--destination", os.path.join(hugo_dir, "public")]
    site_dir = os.path.join(work, "hugo-site-" + size)
    hugo_tom_site(os.path.join(out, "api", "tom.json"), content, site_dir)
    hugo_whole = ["hugo", "--quiet", "--source", site_dir, "--destination",
                  os.path.join(site_dir, "public")]
    floor_out = os.path.join(work, "floor-" + size)
    manifest = os.path.join(work, "manifest-" + size)
    with open(manifest, "w") as f:
        for d, _, names in os.walk(out):
            for n in names:
                p = os.path.join(d, n)
                f.write("%d %s\n" % (os.path.getsize(p), os.path.relpath(p, out)))
    floor = [os.path.join(BUILD, "bench-floor"), content, floor_out, manifest]
    tools = (("tc-gen", tcgen, out), ("floor", floor, floor_out), ("hugo", hugo, hugo_dir + "/public"),
             ("hugo-site", hugo_whole, site_dir + "/public"))
    res = {name: ([], [], []) for name, _, _ in tools}
    load = [os.getloadavg()[0]]
    for _ in range(runs):
        for name, cmd, _ in tools:
            if name == "floor":
                shutil.rmtree(floor_out, ignore_errors=True)
            wall, rss, _ = measured(cmd)
            res[name][0].append(wall)
            res[name][1].append(rss)
            res[name][2].append(LAST_CPU[0])
    load.append(os.getloadavg()[0])
    # the annex PDFs alone (bench/pdf_bench.c): every product's and each
    # product's annex of the site's api/tom.json, as tc-gen writes them for
    # each language and released version
    pdf_cmd = [os.path.join(BUILD, "bench-pdf"), os.path.join(out, "api", "tom.json")]
    pdf_wall, pdf_rss = [], []
    for _ in range(runs):
        wall, rss, text = measured(pdf_cmd)
        pdf_wall.append(wall)
        pdf_rss.append(rss)
    # "pdf: 9 annexes, 29 pages, 601123 bytes"
    pw = text.split()
    pdf = {"annexes": int(pw[1]), "pages": int(pw[3]), "bytes": int(pw[5]),
           "wall": stats(pdf_wall), "rss": stats(pdf_rss)}
    # what each tool wrote (Hugo replaces nothing: a stale file would count,
    # but its public/ is written from scratch by the first run and then
    # overwritten with the same paths)
    written = {name: tree_counts(d) for name, _, d in tools}
    return {"size": size, "cells": CELLS[size], "pages": pages, "files": files, "bytes": nbytes,
            "written": written, "pdf": pdf, "load": load,
            **{k: {"wall": stats(v[0]), "rss": stats(v[1]), "cpu": stats(v[2])}
               for k, v in res.items()}}


def tree_counts(d):
    """(HTML pages, files, bytes) under d."""
    pages = files = nbytes = 0
    for dirpath, _, names in os.walk(d):
        for n in names:
            files += 1
            pages += n.endswith(".html")
            nbytes += os.path.getsize(os.path.join(dirpath, n))
    return {"pages": pages, "files": files, "bytes": nbytes}


# ---------------------------------------------------------------- search

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


QUERIES = ["firewall", "backup", "encrypted", "encryption", "access", "monitoring", "fire",
           "training", "password", "data", "server", "visitor", "video", "deletion", "storage",
           "network", "power", "cooling", "incident", "privacy", "logs", "authentication",
           "confidentiality", "separation", "updates"]
PREFIXES = ["encr", "fire", "back", "moni", "pass", "auth", "vis", "stor", "redun", "priv"]
PAIRS = ["access control", "data transfers", "fire protection", "customer accounts",
         "backup data", "security tests", "power supply", "storage drives", "client server",
         "network infrastructure"]
PHRASES = ['"data transfers"', '"fire protection"', '"access logs"', '"two factor"',
           '"physical or logical separation"']
PRODUCTS = ["colocation", "dedicated-servers", "cloud-servers", "managed-servers", "web-hosting",
            "storage-shares", "storage-boxes", "object-storage"]


def query_mix(products=PRODUCTS):
    """100 realistic searches: words, prefixes, two words, phrases; half with a product."""
    from urllib.parse import quote
    base = QUERIES + PREFIXES + PAIRS + PHRASES  # 50
    paths = []
    for i, q in enumerate(base + base):
        p = "/api/search?q=" + quote(q)
        if i >= len(base):
            p += "&product=" + products[i % len(products)]
        paths.append(p)
    return paths


def distinct_mix(index, products=PRODUCTS, n=2000, seed=15):
    """n distinct searches as customers type them, from the content's own
    vocabulary (the index's vocab table: the measures' words as written):
    prefixes of 2-6 letters of a word, whole words, two words that occur in
    the same measure; every other one with a product filter. Deterministic.
    Asked in this order, n is far beyond what the per-worker answer cache
    (512) keeps, so nearly every answer is computed."""
    import random
    import sqlite3
    from urllib.parse import quote
    db = sqlite3.connect("file:%s?mode=ro" % index, uri=True)
    words = [t for (t,) in db.execute("SELECT term FROM vocab ORDER BY docs DESC, term")]
    texts = [t for (t,) in db.execute("SELECT text FROM measures ORDER BY rowid")]
    db.close()
    rng = random.Random(seed)
    seen, paths = set(), []
    for _ in range(n * 50):
        if len(paths) >= n:
            break
        kind = rng.random()
        w = rng.choice(words)
        if kind < 0.45:
            q = w[:rng.randint(2, min(6, len(w)))]
        elif kind < 0.75:
            q = w
        else:
            ws = [x.lower() for x in re.findall(r"[A-Za-z]{3,}", rng.choice(texts))]
            if len(ws) < 2:
                continue
            i = rng.randrange(len(ws) - 1)
            # the second word as typed so far, now and then
            q = ws[i] + " " + (ws[i + 1] if rng.random() < 0.7 else ws[i + 1][:3])
        path = "/api/search?q=" + quote(q)
        if len(paths) % 2:
            path += "&product=" + products[len(paths) % len(products)]
        if path not in seen:
            seen.add(path)
            paths.append(path)
    if len(paths) < n:
        raise RuntimeError("the vocabulary gives only %d distinct queries" % len(paths))
    return paths


def export_mix():
    return ["/api/export?product=%s&format=%s" % (p, f) for p in PRODUCTS for f in ("json", "csv")]


def wrk(base, paths_file, seconds):
    env = dict(os.environ, TC_PATHS=paths_file)
    out = subprocess.run(["wrk", "-t2", "-c32", "-d%ds" % seconds, "--timeout", "5s",
                          "-s", os.path.join(ROOT, "bench", "wrk-mix.lua"), base],
                         env=env, capture_output=True, text=True, check=True).stdout
    line = [l for l in out.splitlines() if l.startswith("{")][-1]
    r = json.loads(line)
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    return r


def rss_of_children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    peak = 0
    for child in out.split():
        with open("/proc/%s/status" % child) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
    return peak / 1024.0


def worker_memory(pid):
    """Each worker of the tc-search master pid: peak RSS (VmHWM) and private
    memory (Private_Clean + Private_Dirty of /proc/PID/smaps_rollup), MB.
    Private memory is what a worker costs on its own: RSS also counts the
    shared libraries and the pages it shares with its master and siblings."""
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    workers = []
    for child in out.split():
        w = {"pid": int(child)}
        with open("/proc/%s/status" % child) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    w["hwm_mb"] = int(line.split()[1]) / 1024.0
        priv = 0
        with open("/proc/%s/smaps_rollup" % child) as f:
            for line in f:
                if line.startswith(("Private_Clean:", "Private_Dirty:")):
                    priv += int(line.split()[1])
        w["private_mb"] = priv / 1024.0
        workers.append(w)
    if not workers:
        raise RuntimeError("no tc-search worker under pid %d" % pid)
    return workers


def site_for(size, work):
    """Content, site and index of one size: the generator's when it ran, else built now."""
    content = os.path.join(work, "content-" + size)
    index = os.path.join(work, "idx-" + size + ".sqlite")
    if not os.path.exists(index):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_content.py"), size, content],
                       check=True)
        subprocess.run([os.path.join(BUILD, "tc-gen"), "--content", content, "--templates",
                        os.path.join(ROOT, "templates"), "--output", os.path.join(work, "out-" + size),
                        "--index", index], check=True, stdout=subprocess.DEVNULL)
    return index


def cpu_seconds(cmd):
    """The user and system CPU time of cmd and its threads, seconds (os.wait4:
    steadier than wall time on a shared machine)."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    if status != 0:
        raise RuntimeError("%s failed" % " ".join(cmd))
    return ru.ru_utime + ru.ru_stime


def index_step(size, work, runs):
    """tc-gen's index step at a size: its CPU time with the index less its CPU
    time without (--index ""), the same content and site, interleaved;
    medians of runs. tc-gen reports no step times of its own, so this is the
    difference of two medians (CPU time, not wall: the machine is shared)."""
    content = os.path.join(work, "content-" + size)
    site_for(size, work)
    out = os.path.join(work, "out-" + size)
    cmd = [os.path.join(BUILD, "tc-gen"), "--content", content, "--templates",
           os.path.join(ROOT, "templates"), "--output", out, "--index"]
    idx = os.path.join(work, "idx-step-" + size + ".sqlite")
    with_, without = [], []
    for _ in range(runs):
        with_.append(cpu_seconds(cmd + [idx]))
        without.append(cpu_seconds(cmd + [""]))
    return {"with": stats(with_), "without": stats(without),
            "step": statistics.median(with_) - statistics.median(without)}


class Search:
    """tc-search started through bench-launch (bench/launch.c), so the master
    and its workers descend from a small C parent, not from Python: nothing
    they report is inherited from this interpreter. .pid is the master's."""

    def __init__(self, index, sock, *extra):
        self.ru = tempfile.NamedTemporaryFile(prefix="tc-bench-ru-")
        self.proc = subprocess.Popen([LAUNCH, self.ru.name, os.path.join(BUILD, "tc-search"),
                                      "--index", index, "--listen", sock, "--workers", "2", *extra],
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        self.pid = None
        for _ in range(200):
            kids = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True,
                                  text=True).stdout.split()
            if kids:
                self.pid = int(kids[0])
                break
            time.sleep(0.02)
        if self.pid is None:
            raise RuntimeError("tc-search did not start under bench-launch")


def start_search(index, sock, *extra):
    return Search(index, sock, *extra)


def stop(p):
    if isinstance(p, Search):
        # the master only: bench-launch ends when it does, after the
        # master has removed its socket (SIGTERM to the whole group would
        # end the launcher first, and p.wait() would not wait for that)
        try:
            os.kill(p.pid, signal.SIGTERM)
            p.proc.wait(timeout=15)
            return
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    p = getattr(p, "proc", p)
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        p.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()


def wait_health(base):
    import urllib.request
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/api/health", timeout=1).read()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("tc-search did not answer " + base + "/api/health")


def bench_search(runs, seconds, work, mem_sizes=("S",)):
    content = os.path.join(work, "content-S")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_content.py"), "S", content],
                   check=True)
    root, index = os.path.join(work, "public"), os.path.join(work, "search.sqlite")
    subprocess.run([os.path.join(BUILD, "tc-gen"), "--content", content, "--templates",
                    os.path.join(ROOT, "templates"), "--output", root, "--index", index],
                   check=True, stdout=subprocess.DEVNULL)
    run_dir = tempfile.mkdtemp(prefix="tc-bench-run-")
    os.chmod(run_dir, 0o755)
    port = free_port()
    sock, hello_sock = os.path.join(run_dir, "tc.sock"), os.path.join(run_dir, "hello.sock")
    nocache_sock = os.path.join(run_dir, "tc-nocache.sock")
    with open(os.path.join(ROOT, "deploy", "tc-site.conf.in")) as f:
        site = f.read()
    site = (site.replace("@LISTEN@", "127.0.0.1:%d" % port).replace("@ROOT@", root)
            .replace("@SOCKET@", sock).replace("@BASE@", "").replace("@DEFAULT_LANG@", "en"))
    # every placeholder deploy/serve.sh fills (a new one unfilled made nginx answer 500)
    left = re.findall(r"@[A-Z_]+@", re.sub(r"#.*", "", site))
    if left:
        raise RuntimeError("deploy/tc-site.conf.in: unfilled %s" % ", ".join(sorted(set(left))))
    hello_loc = ("    location = /bench/hello {\n        include /etc/nginx/fastcgi_params;\n"
                 "        fastcgi_pass unix:%s;\n        fastcgi_keep_conn off;\n    }\n"
                 "    location ^~ /nocache/ {\n        rewrite ^/nocache(/.*)$ $1 break;\n"
                 "        include /etc/nginx/fastcgi_params;\n"
                 "        fastcgi_pass unix:%s;\n        fastcgi_keep_conn off;\n    }\n}\n"
                 % (hello_sock, nocache_sock))
    site = site[:site.rstrip().rfind("}")] + hello_loc
    with open(os.path.join(run_dir, "tc-site.conf"), "w") as f:
        f.write(site)
    with open(os.path.join(ROOT, "deploy", "nginx-local.conf.in")) as f:
        conf = f.read().replace("@RUN@", run_dir).replace(
            "@USER@", "user root;" if os.getuid() == 0 else "")
    conf = conf.replace("access_log %s/access.log;" % run_dir, "access_log off;")
    with open(os.path.join(run_dir, "nginx.conf"), "w") as f:
        f.write(conf)
    procs = []
    try:
        search = start_search(index, sock)
        procs.append(search)
        nocache = start_search(index, nocache_sock, "--cache", "0")
        procs.append(nocache)
        base = "http://127.0.0.1:%d" % port
        mix = query_mix()
        distinct = distinct_mix(index)
        # typical answer size: the mean body of the distinct mix (a sample)
        for _ in range(100):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        nginx = subprocess.Popen(["nginx", "-c", os.path.join(run_dir, "nginx.conf"), "-p", run_dir,
                                  "-e", os.path.join(run_dir, "error.log")], start_new_session=True)
        procs.append(nginx)
        import urllib.request
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1).read()
                break
            except OSError:
                time.sleep(0.05)
        sizes = [len(urllib.request.urlopen(base + p, timeout=5).read()) for p in distinct[::10]]
        typical = int(statistics.mean(sizes))
        with open(os.path.join(root, "bench-static.json"), "w") as f:
            f.write("x" * typical)
        hello = subprocess.Popen([os.path.join(BUILD, "bench-hello"), hello_sock, str(typical), "2"],
                                 start_new_session=True)
        procs.append(hello)
        for _ in range(100):
            if os.path.exists(hello_sock):
                break
            time.sleep(0.05)
        files = {}
        for name, paths in (("distinct", distinct), ("distinct-uncached",
                                                     ["/nocache" + p for p in distinct]),
                            ("search", mix), ("export", export_mix()),
                            ("search-uncached", ["/nocache" + p for p in mix]),
                            ("export-uncached", ["/nocache" + p for p in export_mix()]),
                            ("static", ["/bench-static.json"]), ("hello", ["/bench/hello"])):
            files[name] = os.path.join(run_dir, name + ".paths")
            with open(files[name], "w") as f:
                f.write("\n".join(paths) + "\n")
        res = {k: [] for k in files}
        for _ in range(runs):
            for name in ("static", "hello", "distinct", "distinct-uncached", "search", "export",
                         "search-uncached", "export-uncached"):
                res[name].append(wrk(base, files[name], seconds))
        worker_rss = max(rss_of_children(search.pid), rss_of_children(nocache.pid))
        # Per-worker memory at each size, measured the same way at each: the
        # default tc-search restarted on that size's index, the distinct mix
        # of that size's vocabulary and product ids run, then /proc read.
        memory = {}
        for size in mem_sizes:
            print("search memory, size %s ..." % size, flush=True)
            if size == "S":
                idx, mix_size = index, distinct
            else:
                idx = site_for(size, work)
                nproducts = {"M": 8, "L": 10}[size]
                mix_size = distinct_mix(idx, ["scope-%d" % (i + 1) for i in range(nproducts)])
            paths = os.path.join(run_dir, "search-%s.paths" % size)
            with open(paths, "w") as f:
                f.write("\n".join(mix_size) + "\n")
            stop(search)
            procs.remove(search)
            # from the start of tc-search to its first search answer
            # (through nginx, which answers 502 until the socket is there)
            t0 = time.monotonic()
            search = start_search(idx, sock)
            procs.append(search)
            for _ in range(2000):
                try:
                    urllib.request.urlopen(base + mix_size[0], timeout=10).read()
                    break
                except OSError:
                    time.sleep(0.002)
            first_ms = (time.monotonic() - t0) * 1000
            rs = [wrk(base, paths, seconds) for _ in range(runs)]
            memory[size] = {"workers": worker_memory(search.pid), "first_ms": first_ms,
                            "rps": stats([r["rps"] for r in rs]),
                            "p99_ms": stats([r["p99_us"] / 1000 for r in rs]),
                            "non2xx": sum(r["non2xx"] + r["errors"] for r in rs),
                            "index_mb": os.path.getsize(idx) / 1e6,
                            # the FastCGI floor right after, the same way
                            "hello": stats([wrk(base, files["hello"], seconds)["rps"]
                                            for _ in range(runs)])}
    finally:
        procs = [getattr(p, "proc", p) for p in procs]
        for p in procs:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        shutil.rmtree(run_dir, ignore_errors=True)
    summary = {}
    for name, rs in res.items():
        summary[name] = {"rps": stats([r["rps"] for r in rs]),
                         "p50_ms": stats([r["p50_us"] / 1000 for r in rs]),
                         "p99_ms": stats([r["p99_us"] / 1000 for r in rs]),
                         "non2xx": sum(r["non2xx"] for r in rs),
                         "errors": sum(r["errors"] for r in rs)}
    return {"typical_bytes": typical, "worker_rss_mb": worker_rss, "memory": memory, "runs": runs,
            "seconds": seconds, **summary}


# ---------------------------------------------------------------- report

def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    distro = ""
    if os.path.exists("/etc/os-release"):
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    distro = line.split("=", 1)[1].strip().strip('"')

    def version(cmd):
        try:
            r = subprocess.run(cmd, capture_output=True, text=True)
            return (r.stdout or r.stderr).strip().splitlines()[0]
        except OSError:
            return "not installed"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem, 1), "os": distro,
            "kernel": platform.release(), "cc": version(["cc", "--version"]),
            "hugo": version(["hugo", "version"]), "nginx": version(["nginx", "-v"]),
            "wrk": version(["wrk", "--version"])}


# issue 20's targets for the generator
L_MAX_S, L_MAX_MB = 1.0, 150
HUGO_RATIO = {"S": 0.5, "M": 0.25}
PREVIOUS = os.path.join(ROOT, "bench", "previous.json")


def previous_figures():
    """The generator's figures of the report before this one (bench/previous.json),
    or None."""
    try:
        with open(PREVIOUS) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def save_figures(gen, note):
    """This report's generator figures, for the next report to show beside its own."""
    fig = {"date": time.strftime("%Y-%m-%d"), "note": note, "generator": {}}
    for g in gen:
        w = g["written"]["tc-gen"]
        fig["generator"][g["size"]] = {
            "cells": g["cells"], "site": "%d / %d / %.1f" % (w["pages"], w["files"], w["bytes"] / 1e6),
            "tc_gen_s": round(g["tc-gen"]["wall"]["median"], 3),
            "tc_gen_cpu_s": round(g["tc-gen"]["cpu"]["median"], 3),
            "hugo_site_s": round(g["hugo-site"]["wall"]["median"], 3),
            "rss_mb": round(g["tc-gen"]["rss"]["median"], 1)}
    with open(PREVIOUS, "w") as f:
        json.dump(fig, f, indent=1)
        f.write("\n")


def verdict(ok):
    return "met" if ok else "**missed**"


def report(gen, search, m, args):
    L = []
    L.append("# Benchmarks\n")
    L.append("Written by `make bench` (`bench/bench.py`) on %s. Every figure stands beside a baseline "
             "measured in the same run; rounds interleave the tools. Medians of %d runs, (min–max)."
             "\n" % (time.strftime("%Y-%m-%d"), args.runs))
    L.append("## Machine\n")
    L.append("| | |\n|---|---|")
    for k in ("cpu", "cores", "memory_gib", "os", "kernel", "cc", "hugo", "nginx", "wrk"):
        L.append("| %s | %s |" % (k, m[k]))
    L.append("\n## Commands\n")
    L.append("```\nmake bench                      # all of it, ~13 minutes on a busy machine\n"
             "python3 bench/bench.py --runs 5 --seconds 10\n"
             "python3 bench/gen_content.py M /tmp/content-M   # the synthetic content alone\n```\n")
    L.append("- tc-gen: `build/tc-gen --content C --templates templates --output O --index I` "
             "(the whole site: pages, comparisons, annexes, JSON, CSV, search index).")
    L.append("- floor: `build/bench-floor C O MANIFEST` (bench/floor.c): cmark-gfm parses and "
             "renders the same sources, then writes the files tc-gen wrote (same paths, same sizes; "
             "the manifest lists them). It writes no search index and replaces no previous site.")
    L.append("- Hugo (categories), the old peer: `hugo --quiet` (Debian's hugo) on the same category "
             "files as plain pages with a one-line layout: the category pages alone.")
    L.append("- Hugo (whole site): `hugo --quiet` on bench/hugo: the data as `data/tom.json` (tc-gen's "
             "`api/tom.json`, copied), layouts that follow tc-gen's templates (categories, products, "
             "product annexes, matrix, comparisons for every ordered pair of products, annex, home, "
             "404, sitemap, robots.txt, `api/tom.json`, `api/tom.csv`, per-product JSON through "
             "custom output formats) and one stub content file per page whose front matter points "
             "into the data (Debian's Hugo %s predates content adapters, 0.126). Category tables "
             "and cells go through `partialCached`, so each is rendered once, as tc-gen does."
             % m["hugo"].split()[1].split("+")[0])
    L.append("- RSS: each command is run by bench/launch.c (fork, exec, `wait4`), so the figure is "
             "the command's own peak, not the Python parent's.")
    L.append("- search: `wrk -t2 -c32 -d%ds` with bench/wrk-mix.lua cycling through 2,000 distinct "
             "queries made from the content's vocabulary (the headline rows), and through 100 repeated "
             "ones (words, prefixes, two words, phrases; half with a product filter), against nginx and "
             "tc-search (2 workers, started by bench/launch.c) on loopback; HTTP floor: nginx serving a static file of the "
             "typical answer's size; FastCGI floor: bench/hello.c (2 pre-forked libfcgi workers) "
             "behind the same nginx; export: 16 product exports (JSON and CSV).\n" % args.seconds)
    if gen:
        L.append("## Generator\n")
        L.append("Wall time, medians of %d runs (min–max). Hugo (categories) is the old peer: the category "
                 "Markdown files as plain pages. Hugo (whole site) builds the pages tc-gen builds, from "
                 "the same data. Pages and files are what each tool wrote at that size.\n" % args.runs)
        L.append("| size | cells | tc-gen s | floor s | Hugo (categories) s | Hugo (whole site) s "
                 "| tc-gen / floor | tc-gen / Hugo (categories) | tc-gen / Hugo (whole site) |")
        L.append("|---|---|---|---|---|---|---|---|---|")
        for g in gen:
            t, fl = g["tc-gen"]["wall"]["median"], g["floor"]["wall"]["median"]
            h, hs = g["hugo"]["wall"]["median"], g["hugo-site"]["wall"]["median"]
            L.append("| %s | %d | %s | %s | %s | %s | %.2f | %.2f | %.3f |" % (
                g["size"], g["cells"], fmt(g["tc-gen"]["wall"]), fmt(g["floor"]["wall"]),
                fmt(g["hugo"]["wall"]), fmt(g["hugo-site"]["wall"]), t / fl, t / h, t / hs))
        L.append("\nWhat each wrote (HTML pages / files / MB):\n")
        L.append("| size | tc-gen | floor | Hugo (categories) | Hugo (whole site) |")
        L.append("|---|---|---|---|---|")
        for g in gen:
            w = g["written"]
            L.append("| %s | %s |" % (g["size"], " | ".join(
                "%d / %d / %.1f" % (w[k]["pages"], w[k]["files"], w[k]["bytes"] / 1e6)
                for k in ("tc-gen", "floor", "hugo", "hugo-site"))))
        L.append("\ntc-gen's files also include its search index (SQLite, written beside the site, not "
                 "counted above); Hugo (whole site) writes no search index. The floor writes the "
                 "tc-gen site's files, of the same sizes, filled with the rendered Markdown, so its HTML count is "
                 "tc-gen's.\n")
        L.append("Peak RSS, MB, each command's own (bench/launch.c; self-check: `/bin/true` reads "
                 "%.1f MB, against %.1f MB from Python's own `wait4`):\n"
                 % (args.check["true_mb"], args.check["true_from_python_mb"]))
        L.append("| size | tc-gen | floor | Hugo (categories) | Hugo (whole site) |")
        L.append("|---|---|---|---|---|")
        for g in gen:
            L.append("| %s | %s |" % (g["size"], " | ".join(
                fmt(g[k]["rss"], digits=1) for k in ("tc-gen", "floor", "hugo", "hugo-site"))))
        L.append("\nAnnex PDFs (issue 23), the writer alone (`bench/pdf_bench.c`: the annex of all "
                 "products and of each product from the site's `api/tom.json`, in memory; tc-gen writes "
                 "this set once per language and released version), medians of %d runs:\n" % args.runs)
        L.append("| size | annexes | pages | MB written | s | peak RSS MB |")
        L.append("|---|---|---|---|---|---|")
        for g in gen:
            q = g["pdf"]
            L.append("| %s | %d | %d | %.1f | %s | %s |" % (
                g["size"], q["annexes"], q["pages"], q["bytes"] / 1e6, fmt(q["wall"]),
                fmt(q["rss"], digits=1)))
        L.append("\ntc-gen's CPU time (user and system, all threads; bench/launch.c), medians, and the load "
                 "average before and after each size's runs (the machine's other work: wall times on a "
                 "shared machine move with it, CPU times much less):\n")
        L.append("| size | tc-gen CPU s | tc-gen wall s | load average |")
        L.append("|---|---|---|---|")
        for g in gen:
            L.append("| %s | %s | %s | %.1f → %.1f |" % (
                g["size"], fmt(g["tc-gen"]["cpu"]), fmt(g["tc-gen"]["wall"]), g["load"][0], g["load"][1]))
        prev = previous_figures()
        if prev:
            L.append("\nBeside the previous report's figures (`bench/previous.json`, %s: %s):\n"
                     % (prev["date"], prev["note"]))
            L.append("| size | cells, then → now | site (pages / files / MB) | tc-gen s | Hugo (whole site) s "
                     "| tc-gen / Hugo (whole site) | tc-gen peak RSS MB |")
            L.append("|---|---|---|---|---|---|---|")
            for g in gen:
                p = prev["generator"].get(g["size"])
                if not p:
                    continue
                t, hs = g["tc-gen"]["wall"]["median"], g["hugo-site"]["wall"]["median"]
                w = g["written"]["tc-gen"]
                L.append("| %s | %d → %d | %s → %d / %d / %.1f | %.3f → %.3f | %.3f → %.3f | %.3f → %.3f "
                         "| %.1f → %.1f |" % (
                             g["size"], p["cells"], g["cells"], p["site"], w["pages"], w["files"],
                             w["bytes"] / 1e6, p["tc_gen_s"], t, p["hugo_site_s"], hs,
                             p["tc_gen_s"] / p["hugo_site_s"], t / hs, p["rss_mb"],
                             g["tc-gen"]["rss"]["median"]))
        L.append("\nTargets (issue 20: L with every format within %.1f s and %d MB; S at most %.2f× and M at "
                 "most %.2f× Hugo building the same site, its whole site). The ratios to the floor (issue 8's "
                 "target: 2.5×) and to Hugo's category pages, the old peer, stand beside them, not judged:\n"
                 % (L_MAX_S, L_MAX_MB, HUGO_RATIO["S"], HUGO_RATIO["M"]))
        by = {g["size"]: g for g in gen}
        for g in gen:
            t, fl = g["tc-gen"]["wall"]["median"], g["floor"]["wall"]["median"]
            h, hs = g["hugo"]["wall"]["median"], g["hugo-site"]["wall"]["median"]
            if g["size"] in HUGO_RATIO:
                L.append("- %s: at most %.2f× Hugo's whole site: %.3f× (%s); %.2f× the floor, %.2f× Hugo's "
                         "category pages" % (g["size"], HUGO_RATIO[g["size"]], t / hs,
                                             verdict(t <= HUGO_RATIO[g["size"]] * hs), t / fl, t / h))
            if g["size"] == "L":
                L.append("- L: within %.1f s wall: %.2f s (%s; %.2f s of CPU); within %d MB peak RSS: %.0f MB "
                         "(%s); %.3f× Hugo's whole site, %.2f× the floor"
                         % (L_MAX_S, t, verdict(t <= L_MAX_S), g["tc-gen"]["cpu"]["median"], L_MAX_MB,
                            g["tc-gen"]["rss"]["median"], verdict(g["tc-gen"]["rss"]["median"] <= L_MAX_MB),
                            t / hs, t / fl))
        if "L" in by and "M" in by:
            tr = by["L"]["tc-gen"]["wall"]["median"] / by["M"]["tc-gen"]["wall"]["median"]
            L.append("- time(L)/time(M) = %.1f, at most 21.9 (%s)" % (tr, verdict(tr <= 21.9)))
        L.append("")
    if search:
        s = search
        L.append("## Search\n")
        L.append("Typical answer: %d bytes. %d runs of %d s each.\n" % (s["typical_bytes"], s["runs"], s["seconds"]))
        L.append("| | requests/s | × hello | p50 ms | p99 ms | non-2xx | socket errors |")
        L.append("|---|---|---|---|---|---|---|")
        hello = s["hello"]["rps"]["median"]
        for name, label in (("static", "nginx static file (HTTP floor)"),
                            ("hello", "hello-world libfcgi (FastCGI floor)"),
                            ("distinct", "**tc-search, 2,000 distinct queries**"),
                            ("distinct-uncached", "**tc-search --cache 0, 2,000 distinct queries**"),
                            ("search", "tc-search, 100-query mix (repeated)"),
                            ("export", "tc-search, product exports"),
                            ("search-uncached", "tc-search --cache 0, 100-query mix"),
                            ("export-uncached", "tc-search --cache 0, product exports")):
            r = s[name]
            L.append("| %s | %s | %.2f | %s | %s | %d | %d |" % (
                label, fmt(r["rps"], digits=0), r["rps"]["median"] / hello, fmt(r["p50_ms"], digits=2),
                fmt(r["p99_ms"], digits=2), r["non2xx"], r["errors"]))
        L.append("\nWorker peak RSS (VmHWM): %.1f MB.\n" % s["worker_rss_mb"])
        L.append("Per worker, at each size: tc-search (default configuration, 2 workers) restarted on "
                 "that size's index and the 100-query mix run %d times; then each worker's peak RSS "
                 "(VmHWM) and private memory (Private_Clean + Private_Dirty, /proc/PID/smaps_rollup: "
                 "what the worker costs beyond the pages it shares with its master, its sibling and "
                 "the shared libraries), worker 1 / worker 2:\n" % s["runs"])
        L.append("| size | index MB | index step CPU s (of tc-gen's) | first search after start ms | "
                 "requests/s (distinct mix) | hello requests/s | × hello | "
                 "p99 ms | non-2xx + errors | worker VmHWM MB | worker private MB |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|")
        for size, mem in s["memory"].items():
            step = s.get("index_step", {}).get(size)
            L.append("| %s | %.1f | %s | %.1f | %s | %s | %.2f | %s | %d | %s | %s |" % (
                size, mem["index_mb"], "%.2f (of %.2f)" % (step["step"], step["with"]["median"])
                if step else "–", mem["first_ms"],
                fmt(mem["rps"], digits=0), fmt(mem["hello"], digits=0),
                mem["rps"]["median"] / mem["hello"]["median"], fmt(mem["p99_ms"], digits=2),
                mem["non2xx"], " / ".join("%.1f" % w["hwm_mb"] for w in mem["workers"]),
                " / ".join("%.1f" % w["private_mb"] for w in mem["workers"])))
        L.append("")
        L.append("Each size's row: tc-search restarted on that size's index, that size's 2,000 distinct "
                 "queries (its own vocabulary and product IDs), then the hello-world floor again, "
                 "right after: × hello is the one over the other. Index step: tc-gen's CPU time "
                 "with the index less without it (bench.py `index_step`).\n")
        L.append("Targets (issue 25, distinct queries, 2 workers):\n")
        goals = {"S": (0.75, 5), "M": (0.6, 5), "L": (0.3, 15)}
        for size, mem in s["memory"].items():
            if size not in goals:
                continue
            ratio, p99 = mem["rps"]["median"] / mem["hello"]["median"], mem["p99_ms"]["median"]
            L.append("- %s: at least %.2f× hello: %.2f× (%s); p99 under %d ms: %.2f ms (%s); "
                     "non-2xx: %d (%s)" % (size, goals[size][0], ratio, verdict(ratio >= goals[size][0]),
                                           goals[size][1], p99, verdict(p99 < goals[size][1]),
                                           mem["non2xx"], verdict(mem["non2xx"] == 0)))
        L.append("")
        L.append("The headline rows are 2,000 distinct searches made from the content's own vocabulary "
                 "(bench.py `distinct_mix`: prefixes of 2–6 letters as typed, whole words, two words "
                 "of one measure, every other one with a product filter), asked in turn: far more than "
                 "the per-worker answer cache keeps (`--cache`, 512), so nearly every answer is "
                 "computed. The 100-query mix repeats its queries and so measures mostly cached "
                 "answers, as search as you type and popular downloads do in practice. The "
                 "`--cache 0` rows are every answer computed.\n")
        L.append("Targets:\n")
        dr = s["distinct"]["rps"]["median"] / hello
        du = s["distinct-uncached"]["rps"]["median"] / hello
        er = s["export"]["rps"]["median"] / hello
        L.append("- distinct queries at 0.7× or more of hello: %.2f× (%s)" % (dr, verdict(dr >= 0.7)))
        L.append("- distinct queries with `--cache 0` at 0.6× or more of hello: %.2f× (%s)"
                 % (du, verdict(du >= 0.6)))
        p99 = max(s["distinct"]["p99_ms"]["median"], s["distinct-uncached"]["p99_ms"]["median"])
        L.append("- search p99 under 5 ms (distinct, cached or not): %.2f ms (%s)" % (p99, verdict(p99 < 5)))
        bad = sum(s[k]["non2xx"] + s[k]["errors"] for k in ("distinct", "distinct-uncached", "search",
                                                             "export", "search-uncached", "export-uncached"))
        L.append("- zero non-2xx (and no socket errors), cached or not: %d (%s)" % (bad, verdict(bad == 0)))
        L.append("- worker RSS under 10 MB: %.1f MB (%s)" % (s["worker_rss_mb"], verdict(s["worker_rss_mb"] < 10)))
        L.append("- product exports at 0.8× or more of hello: %.2f× (%s)" % (er, verdict(er >= 0.8)))
        if "L" in s["memory"]:
            mem = s["memory"]["L"]
            priv = max(w["private_mb"] for w in mem["workers"])
            L.append("- L: every worker under 20 MB private: %.1f MB (%s); first search after start "
                     "under 50 ms: %.1f ms (%s)" % (priv, verdict(priv < 20), mem["first_ms"],
                                                   verdict(mem["first_ms"] < 50)))
        L.append("")
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--sizes", default="S,M,L")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--skip-generator", action="store_true",
                    help="search only (the report then has no generator section)")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "BENCHMARKS.md"))
    ap.add_argument("--quality-only", action="store_true",
                    help="only the search quality (bench/quality.py): nDCG@5 and empty answers")
    args = ap.parse_args()
    # search quality on the judged queries (tests/quality/queries.json)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import quality
    quality_lines = quality.lines(quality.evaluate(BUILD))
    print("\n".join(quality_lines), flush=True)
    if args.quality_only:
        return
    args.check = self_check()
    print("self-check: /bin/true reads %.1f MB peak RSS through bench-launch (%.1f MB from Python's "
          "wait4)" % (args.check["true_mb"], args.check["true_from_python_mb"]), flush=True)
    work = tempfile.mkdtemp(prefix="tc-bench-")
    try:
        gen = []
        for size in [s for s in args.sizes.split(",") if s and not args.skip_generator]:
            print("generator, size %s ..." % size, flush=True)
            gen.append(bench_generator(size, args.runs, work))
        search = None
        if not args.skip_search:
            print("search ...", flush=True)
            search = bench_search(args.runs, args.seconds, work,
                                  [s for s in args.sizes.split(",") if s])
            print("index step ...", flush=True)
            search["index_step"] = {size: index_step(size, work, args.runs)
                                    for size in args.sizes.split(",") if size}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(gen, search, machine(), args)
    text += "\n## Search quality\n\n" + "".join("- %s\n" % l for l in quality_lines)
    notes = os.path.join(ROOT, "bench", "notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            text += "\n" + f.read()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    # the published report's figures are the next one's "previous"
    if gen and os.path.abspath(args.out) == os.path.join(ROOT, "docs", "BENCHMARKS.md"):
        save_figures(gen, "`make bench` of %s" % time.strftime("%Y-%m-%d"))
    print(text)


if __name__ == "__main__":
    main()
