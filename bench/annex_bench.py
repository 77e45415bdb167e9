"""POST /api/annex under load (issue 26): nginx and tc-search with 2 workers
on the bundled content (size S), C client threads, N requests each of one
product and of every product; prints documents per second, p50 and p99 of
the latency, and each worker's private memory (Private_Clean +
Private_Dirty of /proc/PID/smaps_rollup) after the load.
  TC_BIN=build python3 bench/annex_bench.py [N] [C]"""
import os
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "integration"))
from stack import ROOT, Stack  # noqa: E402


def run(s, body, n, c):
    lat, lock = [], threading.Lock()

    def one():
        for _ in range(n // c):
            req = urllib.request.Request(s.base + "/api/annex", data=body, method="POST",
                                         headers={"Content-Type":
                                                  "application/x-www-form-urlencoded"})
            t = time.perf_counter()
            with urllib.request.urlopen(req, timeout=30) as r:
                r.read()
                assert r.status == 200
            with lock:
                lat.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    th = [threading.Thread(target=one) for _ in range(c)]
    [t.start() for t in th]
    [t.join() for t in th]
    wall = time.perf_counter() - t0
    lat.sort()
    return len(lat) / wall, lat[len(lat) // 2] * 1e3, lat[int(len(lat) * 0.99) - 1] * 1e3


def private_kb(pid):
    kb = 0
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                kb += int(line.split()[1])
    return kb


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    c = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    s = Stack(os.path.join(ROOT, "content"), workers=2)
    try:
        base = [("version", "2026.1"), ("name", "Müller & Söhne GmbH"),
                ("address", "Hauptstraße 12\n80331 München"), ("contact", "Jürgen Weiß"),
                ("email", "jw@example.com"), ("lang", "en")]
        prods = ["colocation", "dedicated-servers", "cloud-servers", "managed-servers",
                 "web-hosting", "storage-shares", "storage-boxes", "object-storage"]
        one = urllib.parse.urlencode([("product", "cloud-servers")] + base).encode()
        every = urllib.parse.urlencode([("product", p) for p in prods] + base).encode()
        run(s, one, 20, 2)  # warm
        for what, body in (("one product", one), ("all products", every)):
            rate, p50, p99 = run(s, body, n, c)
            print("%-13s %6.1f documents/s  p50 %6.1f ms  p99 %6.1f ms  (%d requests, %d clients)"
                  % (what, rate, p50, p99, n, c))
        master = int(subprocess.run(["pgrep", "-f", "-o", "tc-search.*" + s.index],
                                    capture_output=True, text=True).stdout.split()[0])
        kids = subprocess.run(["pgrep", "-P", str(master)], capture_output=True,
                              text=True).stdout.split()
        for k in kids:
            cmd = open("/proc/%s/cmdline" % k).read()
            print("worker %s private memory %.1f MB" % (k, private_kb(int(k)) / 1024), cmd[:0])
    finally:
        s.stop()


if __name__ == "__main__":
    main()
