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
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BUILD = os.path.join(ROOT, "build")
CELLS = {"S": 353, "M": 6000, "L": 200000}


def measured(cmd, cwd=None):
    """Runs cmd; returns (wall seconds, peak RSS in MB, stdout) from wait4."""
    out = tempfile.TemporaryFile(mode="w+")
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    text = out.read()
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd), text[-2000:]))
    return wall, ru.ru_maxrss / 1024.0, text


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


def bench_generator(size, runs, work):
    content = os.path.join(work, "content-" + size)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_content.py"), size, content],
                   check=True)
    out, index = os.path.join(work, "out-" + size), os.path.join(work, "idx-" + size + ".sqlite")
    tcgen = [os.path.join(BUILD, "tc-gen"), "--content", content, "--templates",
             os.path.join(ROOT, "templates"), "--output", out, "--index", index]
    _, _, text = measured(tcgen)
    # "tc-gen: 87 pages, 102 files (1617793 bytes), ..."
    words = text.split()
    pages, files = int(words[1]), int(words[3])
    nbytes = int(words[5].strip("("))
    hugo_dir = os.path.join(work, "hugo-" + size)
    hugo_site(content, hugo_dir)
    hugo = ["hugo", "--quiet", "--source", hugo_dir, "--destination", os.path.join(hugo_dir, "public")]
    floor_out = os.path.join(work, "floor-" + size)
    manifest = os.path.join(work, "manifest-" + size)
    with open(manifest, "w") as f:
        for d, _, names in os.walk(out):
            for n in names:
                p = os.path.join(d, n)
                f.write("%d %s\n" % (os.path.getsize(p), os.path.relpath(p, out)))
    floor = [os.path.join(BUILD, "bench-floor"), content, floor_out, manifest]
    res = {"tc-gen": ([], []), "floor": ([], []), "hugo": ([], [])}
    for _ in range(runs):
        for name, cmd in (("tc-gen", tcgen), ("floor", floor), ("hugo", hugo)):
            if name == "floor":
                shutil.rmtree(floor_out, ignore_errors=True)
            wall, rss, _ = measured(cmd)
            res[name][0].append(wall)
            res[name][1].append(rss)
    return {"size": size, "cells": CELLS[size], "pages": pages, "files": files, "bytes": nbytes,
            **{k: {"wall": stats(v[0]), "rss": stats(v[1])} for k, v in res.items()}}


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


def query_mix():
    """100 realistic searches: words, prefixes, two words, phrases; half with a product."""
    from urllib.parse import quote
    base = QUERIES + PREFIXES + PAIRS + PHRASES  # 50
    paths = []
    for i, q in enumerate(base + base):
        p = "/api/search?q=" + quote(q)
        if i >= len(base):
            p += "&product=" + PRODUCTS[i % len(PRODUCTS)]
        paths.append(p)
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


def bench_search(runs, seconds, work):
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
            .replace("@SOCKET@", sock))
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
        search = subprocess.Popen([os.path.join(BUILD, "tc-search"), "--index", index, "--listen",
                                   sock, "--workers", "2"], stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        procs.append(search)
        nocache = subprocess.Popen([os.path.join(BUILD, "tc-search"), "--index", index, "--listen",
                                    nocache_sock, "--workers", "2", "--cache", "0"],
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        procs.append(nocache)
        base = "http://127.0.0.1:%d" % port
        mix = query_mix()
        # typical answer size: the mean body of the search mix
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
        sizes = [len(urllib.request.urlopen(base + p, timeout=5).read()) for p in mix]
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
        for name, paths in (("search", mix), ("export", export_mix()),
                            ("search-uncached", ["/nocache" + p for p in mix]),
                            ("export-uncached", ["/nocache" + p for p in export_mix()]),
                            ("static", ["/bench-static.json"]), ("hello", ["/bench/hello"])):
            files[name] = os.path.join(run_dir, name + ".paths")
            with open(files[name], "w") as f:
                f.write("\n".join(paths) + "\n")
        res = {k: [] for k in files}
        for _ in range(runs):
            for name in ("static", "hello", "search", "export", "search-uncached",
                         "export-uncached"):
                res[name].append(wrk(base, files[name], seconds))
        worker_rss = max(rss_of_children(search.pid), rss_of_children(nocache.pid))
    finally:
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
    return {"typical_bytes": typical, "worker_rss_mb": worker_rss, "runs": runs,
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
    L.append("```\nmake bench                      # all of it, ~5 minutes\n"
             "python3 bench/bench.py --runs 5 --seconds 10\n"
             "python3 bench/gen_content.py M /tmp/content-M   # the synthetic content alone\n```\n")
    L.append("- tc-gen: `build/tc-gen --content C --templates templates --output O --index I` "
             "(the whole site: pages, comparisons, annexes, JSON, CSV, search index).")
    L.append("- floor: `build/bench-floor C O MANIFEST` (bench/floor.c): cmark-gfm parses and "
             "renders the same sources, then writes the files tc-gen wrote (same paths, same sizes; "
             "the manifest lists them). It writes no search index and replaces no previous site.")
    L.append("- peer: `hugo --quiet` (Debian's hugo) on the same category files as plain pages "
             "with a one-line layout: the category pages alone.")
    L.append("- search: `wrk -t2 -c32 -d%ds` with bench/wrk-mix.lua cycling through 100 queries "
             "(words, prefixes, two words, phrases; half with a product filter) against nginx and "
             "tc-search (2 workers) on loopback; HTTP floor: nginx serving a static file of the "
             "typical answer's size; FastCGI floor: bench/hello.c (2 pre-forked libfcgi workers) "
             "behind the same nginx; export: 16 product exports (JSON and CSV).\n" % args.seconds)
    if gen:
        L.append("## Generator\n")
        L.append("| size | cells | pages | files | MB written | tc-gen s | floor s | Hugo s (categories) "
                 "| tc-gen / floor | tc-gen / Hugo | tc-gen RSS MB | Hugo RSS MB |")
        L.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
        for g in gen:
            t, fl, h = g["tc-gen"]["wall"]["median"], g["floor"]["wall"]["median"], g["hugo"]["wall"]["median"]
            L.append("| %s | %d | %d | %d | %.1f | %s | %s | %s | %.2f | %.2f | %s | %s |" % (
                g["size"], g["cells"], g["pages"], g["files"], g["bytes"] / 1e6,
                fmt(g["tc-gen"]["wall"]), fmt(g["floor"]["wall"]), fmt(g["hugo"]["wall"]),
                t / fl, t / h, fmt(g["tc-gen"]["rss"], digits=1), fmt(g["hugo"]["rss"], digits=1)))
        L.append("\nTargets:\n")
        by = {g["size"]: g for g in gen}
        for g in gen:
            t, fl, h = g["tc-gen"]["wall"]["median"], g["floor"]["wall"]["median"], g["hugo"]["wall"]["median"]
            L.append("- %s: tc-gen at most 2× its floor: %.2f× (%s)" % (g["size"], t / fl, verdict(t <= 2 * fl)))
            if g["size"] in ("S", "M"):
                L.append("- %s: whole site under a quarter of Hugo's category pages: %.2f× Hugo (%s)"
                         % (g["size"], t / h, verdict(t < h / 4)))
            if g["size"] == "L":
                L.append("- L: no slower than Hugo: %.2f× (%s)" % (t / h, verdict(t <= h)))
                L.append("- L: under 1 s wall: %.2f s (%s); under 200 MB peak RSS: %.0f MB (%s)"
                         % (t, verdict(t < 1), g["tc-gen"]["rss"]["median"],
                            verdict(g["tc-gen"]["rss"]["median"] < 200)))
        if "L" in by and "M" in by:
            tr = by["L"]["tc-gen"]["wall"]["median"] / by["M"]["tc-gen"]["wall"]["median"]
            cr = CELLS["L"] / CELLS["M"]
            L.append("- time(L)/time(M) = %.1f against 1.2 × cells(L)/cells(M) = %.1f (%s)"
                     % (tr, 1.2 * cr, verdict(tr <= 1.2 * cr)))
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
                            ("search", "tc-search, 100-query mix"),
                            ("export", "tc-search, product exports"),
                            ("search-uncached", "tc-search --cache 0, 100-query mix"),
                            ("export-uncached", "tc-search --cache 0, product exports")):
            r = s[name]
            L.append("| %s | %s | %.2f | %s | %s | %d | %d |" % (
                label, fmt(r["rps"], digits=0), r["rps"]["median"] / hello, fmt(r["p50_ms"], digits=2),
                fmt(r["p99_ms"], digits=2), r["non2xx"], r["errors"]))
        L.append("\nWorker peak RSS (VmHWM): %.1f MB.\n" % s["worker_rss_mb"])
        L.append("Each worker keeps its last answers (`--cache`, 512 by default); the mix repeats its "
                 "100 queries, so the first rows measure mostly cached answers, as search as you type "
                 "and popular downloads do in practice. The `--cache 0` rows are every answer computed: "
                 "FTS5 query, count, JSON. The targets are judged on the default configuration.\n")
        L.append("Targets:\n")
        sr, er = s["search"]["rps"]["median"] / hello, s["export"]["rps"]["median"] / hello
        L.append("- search at 0.7× or more of hello: %.2f× (%s)" % (sr, verdict(sr >= 0.7)))
        L.append("- search p99 under 5 ms: %.2f ms (%s)" % (s["search"]["p99_ms"]["median"],
                                                         verdict(s["search"]["p99_ms"]["median"] < 5)))
        bad = sum(s[k]["non2xx"] + s[k]["errors"] for k in ("search", "export", "search-uncached", "export-uncached"))
        L.append("- zero non-2xx (and no socket errors), cached or not: %d (%s)" % (bad, verdict(bad == 0)))
        L.append("- worker RSS under 10 MB: %.1f MB (%s)" % (s["worker_rss_mb"], verdict(s["worker_rss_mb"] < 10)))
        L.append("- export at 0.5× or more of hello: %.2f× (%s)\n" % (er, verdict(er >= 0.5)))
    return "\n".join(L) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--sizes", default="S,M,L")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "BENCHMARKS.md"))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="tc-bench-")
    try:
        gen = []
        for size in [s for s in args.sizes.split(",") if s]:
            print("generator, size %s ..." % size, flush=True)
            gen.append(bench_generator(size, args.runs, work))
        search = None
        if not args.skip_search:
            print("search ...", flush=True)
            search = bench_search(args.runs, args.seconds, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(gen, search, machine(), args)
    notes = os.path.join(ROOT, "bench", "notes.md")
    if os.path.exists(notes):
        with open(notes) as f:
            text += "\n" + f.read()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
