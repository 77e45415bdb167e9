#!/usr/bin/env python3
"""Synthetic trust-center content in tc's own source format, for benchmarks.

  gen_content.py SIZE OUT_DIR     SIZE: S (the bundled content), M or L

M: 20 categories, 200 measures, 30 scopes (8 products):  6,000 cells.
L: 40 categories, 2,000 measures, 100 scopes (10 products): 26,000 cells.
At M every table has a column per scope. At L a table has, as real TOMs'
tables do, the product columns and three others (a site, an internal
system, an organisation-wide column; each scope is in some table): a site
or organisation column applies to every product and is shown on every
product's page and in its downloads (README, "Columns that apply to every
product"), so 90 of them in every row made each product's files nearly the
whole data set, and L's site 3.1 GB, past TC_MAX_SITE_BYTES. (L had every
column, 200,000 cells, before that rule: bench/notes.md's L numbers up to
then are of that shape.) As in real TOMs, a measure mostly has
the same mark across scopes: each row picks a usual mark and about one cell
in five departs from it; every status and notes occur.
Deterministic: the same size gives the same files.
"""
import os
import random
import shutil
import sys

SIZES = {"M": (20, 200, 30, 8), "L": (40, 2000, 100, 10)}
# the other scopes each table has besides the products (None: all of them)
OTHERS = {"M": None, "L": 3}
WORDS = ("access control server data backup firewall encryption monitoring audit log policy "
         "employee training network storage redundant physical isolation customer account "
         "password authentication update patch incident response recovery plan disk mirroring "
         "power cooling fire protection visitor badge camera fence rack cage deletion transfer "
         "integrity confidentiality availability resilience pseudonymization review privacy").split()
KINDS = ("site", "internal", "organisation")


def sentence(rng, lo, hi):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize()


def cell(rng):
    r = rng.random()
    if r < 0.55:
        return "✓"
    if r < 0.65:
        return "✓ " + sentence(rng, 2, 5).lower()
    if r < 0.75:
        return "NA"
    if r < 0.82:
        return "Client's responsibility"
    if r < 0.86:
        return "X"
    if r < 0.90:
        return "See product description"
    # every cell begins with a mark (README "The content"): provided, with a note
    return "✓ " + sentence(rng, 2, 4)


def generate(size, out):
    ncat, nmeasures, nscopes, nproducts = SIZES[size]
    rng = random.Random(size)
    os.makedirs(os.path.join(out, "categories"), exist_ok=True)
    with open(os.path.join(out, "site.md"), "w") as f:
        f.write('---\norganisation: Bench Hosting\ntitle: Trust Center\nversion: "bench-%s"\n'
                'date: "2026-01-01"\nbase_url: "https://trust.example.test"\n---\n' % size)
        f.write("Synthetic content for benchmarks.\n")
    scopes = []
    with open(os.path.join(out, "scopes.md"), "w") as f:
        f.write("---\nscopes:\n")
        for i in range(nscopes):
            kind = "product" if i < nproducts else KINDS[i % 3]
            name = "%s %d" % ("Product" if kind == "product" else kind.capitalize(), i + 1)
            scopes.append(name)
            f.write("  - id: scope-%d\n    name: %s\n    kind: %s\n    description: %s.\n"
                    % (i + 1, name, kind, sentence(rng, 3, 6)))
            if kind == "product":  # where "See product description" leads
                f.write('    url: "https://bench.example.test/products/scope-%d/"\n' % (i + 1))
        f.write("---\n")
    per = nmeasures // ncat
    others = scopes[nproducts:]
    for c in range(ncat):
        cols = scopes
        if OTHERS[size] is not None:
            # consecutive others: one of each kind (KINDS cycles)
            cols = scopes[:nproducts] + [others[(OTHERS[size] * c + j) % len(others)]
                                         for j in range(OTHERS[size])]
        with open(os.path.join(out, "categories", "%02d-category-%d.md" % (c + 1, c + 1)), "w") as f:
            f.write("---\nid: category-%d\ntitle: Category %d %s\n---\n" % (c + 1, c + 1, rng.choice(WORDS)))
            f.write("%s. %s.\n\n" % (sentence(rng, 12, 25), sentence(rng, 8, 16)))
            f.write("| ID | Measure | " + " | ".join(cols) + " |\n")
            f.write("|---" * (len(cols) + 2) + "|\n")
            for m in range(per):
                usual = cell(rng)
                marks = [cell(rng) if rng.random() < 0.2 else usual for _ in cols]
                f.write("| C%02d-%d | %s | %s |\n" % (c + 1, m + 1, sentence(rng, 6, 14),
                                                   " | ".join(marks)))


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("S", "M", "L"):
        sys.exit(__doc__)
    size, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    if size == "S":
        here = os.path.dirname(os.path.abspath(__file__))
        shutil.copytree(os.path.join(here, "..", "content"), out)
    else:
        generate(size, out)


if __name__ == "__main__":
    main()
