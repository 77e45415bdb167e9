#!/usr/bin/env python3
"""Search quality on tests/quality/queries.json (issue 27): nDCG@5 per
language and the share of queries answered with no result at all.

  quality.py [--bin DIR] [--verbose] [--json]

Builds the bundled content (content/, both languages) with DIR/tc-gen into a
temporary folder and asks DIR/tc-search (one CGI answer per query, as the
deploy's tc-search answers /api/search) every judged query. A result is its
measure ID, or kind:id for an entry (page:contact). nDCG@5: gain 2^grade - 1,
discount log2(rank + 1), divided by the best ordering of the judged grades.
Used by bench/bench.py (make bench) and tests/integration/test_quality.py."""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
QUERIES = os.path.join(ROOT, "tests", "quality", "queries.json")
K = 5


def build(bindir, work, templates=None):
    """The bundled content's index (both languages) under work."""
    index = os.path.join(work, "index.sqlite")
    subprocess.run([os.path.join(bindir, "tc-gen"), "--content", os.path.join(ROOT, "content"),
                    "--templates", templates or os.path.join(ROOT, "templates"),
                    "--output", os.path.join(work, "public"), "--index", index],
                   check=True, stdout=subprocess.DEVNULL)
    return index


def ask(bindir, index, query):
    """tc-search's JSON answer to one judged query (CGI)."""
    params = {"q": query["q"], "limit": "10"}
    if query["lang"] != "en":
        params["lang"] = query["lang"]
    if query.get("product"):
        params["product"] = query["product"]
    env = dict(os.environ, GATEWAY_INTERFACE="CGI/1.1", REQUEST_METHOD="GET",
               DOCUMENT_URI="/api/search", SCRIPT_NAME="/api/search",
               QUERY_STRING=urllib.parse.urlencode(params), TC_INDEX=index)
    out = subprocess.run([os.path.join(bindir, "tc-search")], env=env, capture_output=True,
                         check=True).stdout.decode()
    body = out.replace("\r\n", "\n").split("\n\n", 1)[1]
    return json.loads(body)


def result_id(r):
    return "%s:%s" % (r["kind"], r["id"]) if "kind" in r else r["id"]


def ndcg(ids, grades, k=K):
    dcg = sum((2 ** grades.get(i, 0) - 1) / math.log2(n + 2) for n, i in enumerate(ids[:k]))
    best = sorted(grades.values(), reverse=True)[:k]
    ideal = sum((2 ** g - 1) / math.log2(n + 2) for n, g in enumerate(best))
    return dcg / ideal if ideal else 0.0


def evaluate(bindir, verbose=False, templates=None):
    with open(QUERIES) as f:
        queries = json.load(f)["queries"]
    per = {}
    with tempfile.TemporaryDirectory(prefix="tc-quality-") as work:
        index = build(bindir, work, templates)
        for q in queries:
            a = ask(bindir, index, q)
            ids = [result_id(r) for r in a["results"]]
            score = ndcg(ids, q["grades"])
            s = per.setdefault(q["lang"], {"n": 0, "ndcg": 0.0, "empty": 0})
            s["n"] += 1
            s["ndcg"] += score
            s["empty"] += not a["results"]
            if verbose:
                print("%-3s %.2f %-40s %s%s" % (q["lang"], score, q["q"][:40], " ".join(ids[:K]),
                                               " (showing %s)" % a["showing"] if "showing" in a else ""))
    res = {}
    for lang, s in per.items():
        res[lang] = {"queries": s["n"], "ndcg5": s["ndcg"] / s["n"], "empty": s["empty"] / s["n"]}
    n = sum(s["n"] for s in per.values())
    res["all"] = {"queries": n, "ndcg5": sum(s["ndcg"] for s in per.values()) / n,
                  "empty": sum(s["empty"] for s in per.values()) / n}
    return res


def lines(res):
    return ["search quality (%s, %d queries): nDCG@5 %.3f, no result for %.1f %%"
            % (lang, r["queries"], r["ndcg5"], 100 * r["empty"]) for lang, r in res.items()]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("TC_BIN", os.path.join(ROOT, "build")))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--templates", help="templates folder (default: the repository's)")
    args = ap.parse_args()
    res = evaluate(args.bin, args.verbose, args.templates)
    print(json.dumps(res, indent=1) if args.json else "\n".join(lines(res)))


if __name__ == "__main__":
    sys.exit(main())
