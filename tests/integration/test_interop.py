#!/usr/bin/env python3
"""Integration: the data where compliance tools read it.

The bundled content and the fixture site, generated and served by a real
nginx and tc-search (deploy/serve.sh), checked against what they publish:

- every JSON file of both sites, and every JSON answer of this suite,
  validates against the JSON Schema its "$schema" names (api/schema/);
- /api/openapi.json lints clean (@redocly/cli, beside the browser tests),
  and a few thousand requests generated from it with Hypothesis (valid and
  invalid values of every parameter, unknown and repeated parameters, bad
  encodings, every method) find no 5xx, only documented statuses, and
  answers that conform to the schema the description gives for them;
- the OSCAL files validate against NIST's OSCAL 1.0.0 schemas (tests/oscal/)
  and give back every measure, mapping and responsibility;
- the workbooks (api/tom.xlsx, per product, /api/export?format=xlsx) hold
  what tom.json holds, cell by cell (openpyxl);
- CORS and caching headers, absolute URLs, the CSV's byte order mark;
- every curl example on /api/ runs.

Needs Debian's python3-jsonschema, python3-openpyxl and python3-hypothesis
(make deps). Run from the repository root: python3 tests/integration/test_interop.py
"""
import copy
import glob
import hashlib
import html
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest
import urllib.parse

import jsonschema
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("TC_BIN", os.path.join(ROOT, "build"))
SITES = {"bundled": os.path.join(ROOT, "content"),
         "fixture": os.path.join(ROOT, "tests", "fixtures", "mini")}
STATE = {}
COUNT = {"requests": 0, "validated": 0, "by_status": {}}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OTHER_METHODS = ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"]


def start(name, content):
    tmp = tempfile.mkdtemp(prefix="tc-interop-")
    out, index = os.path.join(tmp, "public"), os.path.join(tmp, "tc-index.sqlite")
    subprocess.run([os.path.join(BIN, "tc-gen"), "--content", content, "--templates",
                    os.path.join(ROOT, "templates"), "--output", out, "--index", index],
                   check=True, stdout=subprocess.DEVNULL)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(os.path.join(tmp, "serve.log"), "w+")
    proc = subprocess.Popen([os.path.join(ROOT, "deploy", "serve.sh"), "--port", str(port),
                             "--root", out, "--index", index, "--bin", BIN, "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=log, text=True,
                            start_new_session=True)
    STATE[name] = {"tmp": tmp, "out": out, "proc": proc, "log": log, "port": port,
                   "base": "http://127.0.0.1:%d" % port}
    line = proc.stdout.readline()
    if "serving" not in line:
        raise RuntimeError("serve.sh did not start: " + line)
    with open(os.path.join(out, "api", "tom.json"), "rb") as f:
        STATE[name]["tom_bytes"] = f.read()
    STATE[name]["tom"] = json.loads(STATE[name]["tom_bytes"])
    KINDS.update({sc["id"]: sc["kind"] for sc in STATE[name]["tom"]["scopes"]})


def setUpModule():
    try:
        for name, content in SITES.items():
            start(name, content)
    except BaseException:
        tearDownModule()
        raise


def tearDownModule():
    for st_ in STATE.values():
        proc = st_["proc"]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        st_["log"].close()
        shutil.rmtree(st_["tmp"], ignore_errors=True)
    if COUNT["requests"]:
        print("\ninterop: %d requests, %d JSON answers validated, statuses %s"
              % (COUNT["requests"], COUNT["validated"],
                 dict(sorted(COUNT["by_status"].items()))))


def request(site, method, target, headers=None):
    """A raw request: the target is sent as it is (bad encodings too)."""
    c = http.client.HTTPConnection("127.0.0.1", STATE[site]["port"], timeout=20)
    try:
        c.putrequest(method, target, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            c.putheader(k, v)
        c.endheaders()
        r = c.getresponse()
        body = r.read()
        COUNT["requests"] += 1
        COUNT["by_status"][r.status] = COUNT["by_status"].get(r.status, 0) + 1
        return r.status, {k.lower(): v for k, v in r.getheaders()}, body
    finally:
        c.close()


# ---- schemas ----

def schema_store(site):
    """Every published schema, by its $id and by its local URL."""
    if "store" not in STATE[site]:
        store = {}
        for f in glob.glob(os.path.join(STATE[site]["out"], "api", "schema", "*.json")):
            with open(f) as fh:
                s = json.load(fh)
            store[s["$id"]] = s
            store[STATE[site]["base"] + "/api/schema/" + os.path.basename(f)] = s
        STATE[site]["store"] = store
    return STATE[site]["store"]


def validate(site, doc, schema=None):
    """Validates doc against schema, or the schema its $schema names."""
    store = schema_store(site)
    if schema is None:
        schema = store[doc["$schema"]]
    resolver = jsonschema.RefResolver(schema.get("$id", ""), schema, store=store)
    jsonschema.Draft202012Validator(schema, resolver=resolver).validate(doc)
    COUNT["validated"] += 1


def local(url):
    u = urllib.parse.urlsplit(url)
    return u.path + ("#" + u.fragment if u.fragment else "")


class Schemas(unittest.TestCase):
    def test_schemas_are_valid_json_schemas(self):
        for site in STATE:
            for s in schema_store(site).values():
                jsonschema.Draft202012Validator.check_schema(s)
                self.assertTrue(s["$id"].startswith(STATE[site]["tom"]["base_url"]))

    def test_every_published_json_validates(self):
        for site in STATE:
            out = STATE[site]["out"]
            files = [f for f in glob.glob(os.path.join(out, "api", "**", "*.json"),
                                          recursive=True)
                     if "/schema/" not in f and "/oscal/" not in f]
            # tom.json and one file per product, each version's tom.json,
            # the changes, the versions, the certificates and the
            # subprocessors
            nprod = sum(1 for s in STATE[site]["tom"]["scopes"] if s["kind"] == "product")
            with open(os.path.join(out, "api", "versions.json")) as fh:
                nrel = sum(1 for v in json.load(fh)["versions"] if v["released"])
            self.assertEqual(len(files), 1 + nprod + nrel + 4, files)
            for f in files:
                with open(f) as fh:
                    doc = json.load(fh)
                name = {"changes.json": "changes", "versions.json": "versions",
                        "certificates.json": "certificates",
                        "subprocessors.json": "subprocessors"}.get(
                    os.path.basename(f), "tom")
                self.assertTrue(doc["$schema"].endswith("/api/schema/%s.schema.json" % name), f)
                validate(site, doc)
            # and a document that breaks the contract does not validate
            bad = copy.deepcopy(STATE[site]["tom"])
            bad["categories"][0]["measures"][0]["cells"] = {
                "x": {"status": "maybe", "responsibility": "provider", "label": "", "note": ""}}
            with self.assertRaises(jsonschema.ValidationError):
                validate(site, bad)

    def test_vocabulary_is_the_one_of_lib_vocab(self):
        tom = schema_store("bundled")[STATE["bundled"]["tom"]["$schema"]]
        _, _, body = request("bundled", "GET", "/api/openapi.json")
        oa = json.loads(body)
        self.assertEqual(tom["$defs"]["status"]["enum"],
                         oa["components"]["parameters"]["status"]["schema"]["enum"])
        page = html.unescape(request("bundled", "GET", "/api/")[2].decode())
        for r in tom["$defs"]["responsibility"]["enum"]:
            self.assertIn("<code>%s</code>" % r, page)

    def test_every_endpoint_is_on_the_api_page(self):
        """The /api/ page of each language lists every path and method of
        the OpenAPI description (it had fallen behind it)."""
        _, _, body = request("bundled", "GET", "/api/openapi.json")
        oa = json.loads(body)
        for prefix in ("", "/de"):
            page = html.unescape(request("bundled", "GET", prefix + "/api/")[2].decode())
            for path, ops in oa["paths"].items():
                for method in ops:
                    if method in ("get", "post"):
                        self.assertIn("<code>%s %s" % (method.upper(), path), page,
                                      prefix + "/api/")

    def test_urls_in_the_data_are_absolute(self):
        for site in STATE:
            tom = STATE[site]["tom"]
            base = tom["base_url"]
            self.assertTrue(base.startswith("https://"))
            for s in tom["scopes"]:
                if "url" in s:
                    self.assertTrue(s["url"].startswith(base + "/"))
            for c in tom["categories"]:
                self.assertTrue(c["url"].startswith(base + "/"))
                for m in c["measures"]:
                    self.assertEqual(m["url"], base + "/categories/%s/#%s" % (c["id"], m["id"]))
                    for cell in m["cells"].values():
                        for u in re.findall(r"<([^>]+)>", cell["note"]):
                            self.assertTrue(u.startswith(base + "/"), u)


class Headers(unittest.TestCase):
    def test_public_data_is_shared_and_cached(self):
        for path in ["/api/tom.json", "/api/tom.csv", "/api/tom.xlsx",
                     "/api/products/cloud-servers.json", "/api/oscal/catalog.json",
                     "/api/schema/tom.schema.json"]:
            status, h, body = request("bundled", "GET", path)
            self.assertEqual(status, 200, path)
            self.assertEqual(h.get("access-control-allow-origin"), "*", path)
            self.assertIn("max-age=", h.get("cache-control", ""), path)
            self.assertIn("etag", h, path)
            status, h2, body = request("bundled", "GET", path,
                                       {"If-None-Match": h["etag"]})
            self.assertEqual(status, 304, path)
            self.assertEqual(h2.get("access-control-allow-origin"), "*", path)
        _, h, _ = request("bundled", "GET", "/api/tom.xlsx")
        self.assertTrue(h["content-type"].startswith(XLSX))
        for path in ["/api/search?q=firewall", "/api/health", "/api/openapi.json",
                     "/api/search?bogus=1", "/api/export?format=csv"]:
            status, h, _ = request("bundled", "GET", path)
            self.assertEqual(h.get("access-control-allow-origin"), "*", path)
        status, h, _ = request("bundled", "GET", "/")
        self.assertNotIn("access-control-allow-origin", h)
        self.assertNotIn("cache-control", h)

    def test_csv_says_utf8_to_excel(self):
        for path in ["/api/tom.csv", "/api/products/web-hosting.csv",
                     "/api/export?format=csv&product=web-hosting"]:
            _, _, body = request("bundled", "GET", path)
            self.assertTrue(body.startswith(b"\xef\xbb\xbfcategory_id,"), path)
            self.assertIn("✓".encode(), body)


# ---- OSCAL ----

def oscal_validator(name):
    with open(os.path.join(ROOT, "tests", "oscal", name)) as f:
        return jsonschema.Draft7Validator(json.load(f))


KINDS = {}  # scope id -> kind, of every site built here


def answering(m, pid):
    """The product rule (README, "Columns that apply to every product"):
    the product's own cell and the row's site and organisation cells."""
    return {k: c for k, c in m["cells"].items()
            if k == pid or KINDS.get(k) in ("site", "organisation")}


def concerns(m, pid):
    return bool(answering(m, pid))


def product_resp(m, pid):
    rs = {c["responsibility"] for c in answering(m, pid).values()}
    return next((r for r in ["client", "shared", "provider", "see-product"] if r in rs), "none")


def shown(m, pid):
    """The cells shown for the product: those that answer for it, and the
    internal ones (labelled by their kind)."""
    return {k: c for k, c in m["cells"].items()
            if k == pid or KINDS.get(k) in ("site", "organisation", "internal")}


ROLES = {"provider": ["provider"], "shared": ["provider", "customer"], "client": ["customer"],
         "see-product": [], "none": []}


def props(o, name, cls=None):
    return [p["value"] for p in o.get("props", [])
            if p["name"] == name and (cls is None or p.get("class") == cls)]


class Oscal(unittest.TestCase):
    def test_catalog_validates_and_holds_every_measure(self):
        v = oscal_validator("oscal_catalog_schema.json")
        for site in STATE:
            with open(os.path.join(STATE[site]["out"], "api", "oscal", "catalog.json")) as f:
                cat = json.load(f)
            v.validate(cat)
            tom = STATE[site]["tom"]
            c = cat["catalog"]
            self.assertEqual(c["metadata"]["oscal-version"], "1.0.0")
            self.assertEqual(c["metadata"]["version"], tom["version"])
            self.assertEqual(c["metadata"]["last-modified"], tom["date"] + "T00:00:00Z")
            self.assertEqual([g["id"] for g in c["groups"]], [x["id"] for x in tom["categories"]])
            for g, cat_ in zip(c["groups"], tom["categories"]):
                self.assertEqual(g["title"], cat_["title"])
                self.assertEqual([x["id"] for x in g["controls"]],
                                 [m["id"] for m in cat_["measures"]])
                for ctl, m in zip(g["controls"], cat_["measures"]):
                    self.assertEqual(ctl["title"], m["text"])
                    self.assertEqual(ctl["links"][0]["href"], m["url"])
                    got = {}
                    for p in ctl.get("props", []):
                        if p["name"] == "mapping":
                            got.setdefault(p["class"], []).append(p["value"])
                    self.assertEqual(got, m["mappings"], m["id"])
            # the validator is not vacuous: a bad UUID is caught
            bad = copy.deepcopy(cat)
            bad["catalog"]["uuid"] = "not-a-uuid"
            self.assertFalse(v.is_valid(bad))

    def test_components_validate_and_round_trip(self):
        v = oscal_validator("oscal_component_schema.json")
        for site in STATE:
            tom = STATE[site]["tom"]
            uuids = set()
            for s in tom["scopes"]:
                if s["kind"] != "product":
                    continue
                pid = s["id"]
                with open(os.path.join(STATE[site]["out"], "api", "oscal", "products",
                                       pid + ".json")) as f:
                    doc = json.load(f)
                v.validate(doc)
                cd = doc["component-definition"]
                self.assertEqual(cd["metadata"]["oscal-version"], "1.0.0")
                self.assertNotIn(cd["uuid"], uuids)
                uuids.add(cd["uuid"])
                (comp,) = cd["components"]
                self.assertEqual((comp["type"], comp["title"]), ("service", s["name"]))
                (impl,) = comp["control-implementations"]
                self.assertTrue(impl["source"].endswith("/api/oscal/catalog.json"))
                mine = [m for c in tom["categories"] for m in c["measures"] if concerns(m, pid)]
                reqs = impl["implemented-requirements"]
                self.assertEqual([r["control-id"] for r in reqs], [m["id"] for m in mine])
                for r, m in zip(reqs, mine):
                    resp = product_resp(m, pid)
                    self.assertEqual(props(r, "responsibility"), [resp], (pid, m["id"]))
                    self.assertEqual([x["role-id"] for x in r.get("responsible-roles", [])],
                                     ROLES[resp], (pid, m["id"]))
                    (smt,) = r["statements"]
                    cells = shown(m, pid)
                    for scope, cell in cells.items():
                        self.assertEqual(props(smt, "status", scope), [cell["status"]])
                        self.assertEqual(props(smt, "cell-responsibility", scope),
                                         [cell["responsibility"]])
                        self.assertEqual(props(smt, "mark", scope), [cell["label"]])
                        self.assertEqual(props(smt, "note", scope),
                                         [cell["note"]] if cell["note"] else [])
                        self.assertIn(cell["label"], smt["description"])
                    self.assertEqual({p["class"] for p in smt["props"]}, set(cells))
            # the same build gives the same UUIDs (they come from names)
            self.assertEqual(len(uuids), sum(1 for s in tom["scopes"] if s["kind"] == "product"))


# ---- Excel ----

def read_xlsx(data_or_path):
    import io
    src = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    return openpyxl.load_workbook(src)


def check_workbook(tc, site, wb, doc):
    """The workbook holds doc, cell by cell, in the CSV's order."""
    tom = STATE[site]["tom"]
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    tc.assertEqual(about["Version"], tom["version"])
    tc.assertEqual(about["Date"], tom["date"])
    tc.assertEqual(about["SHA-256 of api/tom.json"],
                   hashlib.sha256(STATE[site]["tom_bytes"]).hexdigest())
    # the vocabulary table on the cover maps the words back to the IDs
    words = {}
    for r in wb["About"].iter_rows(values_only=True):
        if r[0] and r[2] and r[2] != "ID in the JSON and CSV":
            words.setdefault(r[0], set()).add(r[2])
    ws = wb["Measures"]
    tc.assertEqual(ws.freeze_panes, "A2")
    tc.assertTrue(ws.auto_filter.ref.startswith("A1:M"))
    tc.assertGreater(ws.column_dimensions["C"].width, 30)
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    col = {name: i for i, name in enumerate(head)}
    want = []
    for c in doc["categories"]:
        for m in c["measures"]:
            maps = "; ".join("%s: %s" % (fw, ", ".join(ids)) for fw, ids in m["mappings"].items())
            for s in doc["scopes"]:
                cell = m["cells"].get(s["id"])
                if cell:
                    want.append((c, m, s, cell, maps))
    tc.assertEqual(len(rows) - 1, len(want))
    for i, ((c, m, s, cell, maps), r) in enumerate(zip(want, rows[1:]), start=2):
        get = lambda k: r[col[k]] or ""
        tc.assertEqual((get("Category ID"), get("Measure ID"), get("Scope ID")),
                       (c["id"], m["id"], s["id"]))
        tc.assertEqual((get("Category"), get("Measure"), get("Scope"), get("Scope kind")),
                       (c["title"], m["text"], s["name"], s["kind"]))
        tc.assertIn(cell["status"], words[get("Status")])
        tc.assertIn(cell["responsibility"], words[get("Responsibility")])
        tc.assertEqual((get("Mark"), get("Note"), get("Mappings")),
                       (cell["label"], cell["note"], maps))
        tc.assertEqual(get("URL"), m["url"])
        link = ws.cell(i, col["URL"] + 1).hyperlink
        tc.assertEqual(link.target + ("#" + link.location if link.location else ""), m["url"])


class Excel(unittest.TestCase):
    def test_workbooks_hold_what_tom_json_holds(self):
        for site in STATE:
            out = STATE[site]["out"]
            tom = STATE[site]["tom"]
            check_workbook(self, site, read_xlsx(os.path.join(out, "api", "tom.xlsx")), tom)
            for s in tom["scopes"]:
                if s["kind"] == "product":
                    with open(os.path.join(out, "api", "products", s["id"] + ".json")) as f:
                        one = json.load(f)
                    check_workbook(self, site, read_xlsx(
                        os.path.join(out, "api", "products", s["id"] + ".xlsx")), one)

    def test_export_as_xlsx(self):
        status, h, body = request("bundled", "GET", "/api/export?product=managed-servers&format=xlsx")
        self.assertEqual(status, 200)
        self.assertTrue(h["content-type"].startswith(XLSX))
        self.assertIn('filename="progressiverobot-tom-managed-servers.xlsx"',
                      h["content-disposition"])
        _, _, js = request("bundled", "GET", "/api/export?product=managed-servers")
        check_workbook(self, "bundled", read_xlsx(body), json.loads(js))
        with open(os.path.join(STATE["bundled"]["out"], "api", "tom.xlsx"), "rb") as f:
            self.assertEqual(request("bundled", "GET", "/api/export?format=xlsx")[2], f.read())


# ---- OpenAPI ----

def openapi(site="bundled"):
    if "openapi" not in STATE[site]:
        status, h, body = request(site, "GET", "/api/openapi.json")
        assert status == 200, status
        STATE[site]["openapi"] = json.loads(body)
    return STATE[site]["openapi"]


def resolve(oa, o):
    """Follows local "$ref"s of the description."""
    while isinstance(o, dict) and "$ref" in o and o["$ref"].startswith("#/"):
        node = oa
        for part in o["$ref"][2:].split("/"):
            node = node[part]
        o = node
    return o


def response_schema(oa, path, method, status, media):
    """The schema the description gives for this answer, and whether the
    status is documented at all."""
    item = oa["paths"][path]
    op = item.get(method.lower()) or item["get"]
    resp = op["responses"].get(str(status))
    if resp is None:
        return False, None
    resp = resolve(oa, resp)
    content = resp.get("content")
    if not content:
        return True, None
    if media not in content:
        raise AssertionError("%s %s %d: media type %s not described (%s)"
                             % (method, path, status, media, list(content)))
    return True, content[media]["schema"]


def schema_for_ref(site, schema):
    """A response schema of the description as a JSON Schema to validate
    with: "schema/x.schema.json" is relative to /api/openapi.json."""
    if "$ref" in schema and not schema["$ref"].startswith("#"):
        url = STATE[site]["base"] + "/api/" + schema["$ref"]
        return schema_store(site)[url]
    return schema


class OpenAPI(unittest.TestCase):
    def test_description_lints_clean(self):
        cli = os.path.join(ROOT, "tests", "browser", "node_modules", ".bin", "redocly")
        if not os.path.exists(cli):
            self.skipTest("@redocly/cli not installed: cd tests/browser && npm ci")
        tmp = tempfile.mkdtemp(prefix="tc-openapi-")
        try:
            with open(os.path.join(tmp, "openapi.json"), "w") as f:
                json.dump(openapi(), f)
            shutil.copytree(os.path.join(STATE["bundled"]["out"], "api", "schema"),
                            os.path.join(tmp, "schema"))
            r = subprocess.run([cli, "lint", "--config",
                                os.path.join(ROOT, "tests", "redocly.yaml"),
                                os.path.join(tmp, "openapi.json")],
                               capture_output=True, text=True, timeout=120,
                               env=dict(os.environ, REDOCLY_TELEMETRY="off",
                                        REDOCLY_SUPPRESS_UPDATE_NOTICE="true"))
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertNotIn("Warning was generated", r.stdout + r.stderr)
            self.assertIn("valid", r.stdout + r.stderr)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_limits_are_those_of_the_parameter_table(self):
        p = openapi()["components"]["parameters"]
        self.assertEqual(p["q"]["schema"]["maxLength"], 200)
        self.assertEqual((p["limit"]["schema"]["minimum"], p["limit"]["schema"]["maximum"]),
                         (1, 100))
        self.assertEqual(p["format"]["schema"]["enum"], ["json", "csv", "xlsx"])
        tom = STATE["bundled"]["tom"]
        self.assertEqual(p["product"]["schema"]["enum"],
                         [s["id"] for s in tom["scopes"] if s["kind"] == "product"])
        self.assertEqual(p["category"]["schema"]["enum"], [c["id"] for c in tom["categories"]])


# -- the oracle: is a value valid by the description? --

QCHAR = re.compile("[0-9A-Za-z\u0080-\uffff]")


def valid_value(schema, allow_empty, v):
    if "\x00" in v:
        return False
    if v == "" and allow_empty:
        return True
    if schema.get("type") == "array":
        # style form, explode false: the items in one comma-separated value
        items = v.split(",")
        return (len(items) >= schema.get("minItems", 0)
                and all(i in schema["items"]["enum"] for i in items))
    if "enum" in schema:
        return v in schema["enum"]
    if schema.get("type") == "integer":
        return (re.fullmatch(r"[0-9]{1,7}", v) is not None
                and schema["minimum"] <= int(v) <= schema["maximum"])
    # q: bytes of UTF-8, as params.c counts them
    return (len(v) >= schema.get("minLength", 0)
            and len(v.encode()) <= schema["maxLength"]
            and QCHAR.search(v) is not None)


def params_of(oa, path):
    return [resolve(oa, p) for p in oa["paths"][path]["get"]["parameters"]]


TEXT = st.text(st.characters(blacklist_categories=("Cs",), max_codepoint=0xFFFF), max_size=30)


def value_strategy(p, valid):
    s = p["schema"]
    if valid:
        if s.get("type") == "array":
            return st.lists(st.sampled_from(s["items"]["enum"]), min_size=s.get("minItems", 0),
                            max_size=3).map(",".join)
        if "enum" in s:
            return st.sampled_from(s["enum"] + ([""] if p.get("allowEmptyValue") else []))
        if s.get("type") == "integer":
            return st.integers(s["minimum"], s["maximum"]).map(str)
        words = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd"),
                                      max_codepoint=0x2FF), min_size=1, max_size=12)
        return st.lists(words, min_size=1, max_size=4).map(" ".join).filter(
            lambda v: len(v.encode()) <= s["maxLength"])
    bad = [TEXT, st.just("\x00"), st.sampled_from(["-1", "1e3", "0x10", " 5", "1.5", "ÿ"])]
    if s.get("type") == "integer":
        bad.append(st.integers(s["maximum"] + 1, 10**12).map(str))
        bad.append(st.integers(-10**6, s["minimum"] - 1).map(str))
    if "maxLength" in s:
        bad.append(st.integers(s["maxLength"] + 1, s["maxLength"] + 40).map(lambda n: "a" * n))
        bad.append(st.text(st.sampled_from(" !?-+*\"'()"), min_size=1, max_size=10))
        bad.append(st.just("é" * 101))  # 202 bytes: over the limit in bytes
    if "enum" in s:
        bad.append(st.sampled_from(s["enum"]).map(lambda e: e.upper() + "x"))
    if s.get("type") == "array":
        enum = s["items"]["enum"]
        bad.append(st.sampled_from(enum).map(lambda e: e + ","))
        bad.append(st.sampled_from(enum).map(lambda e: "," + e))
        bad.append(st.sampled_from(enum).map(lambda e: e + ",," + e))
        bad.append(st.sampled_from(enum).map(lambda e: e + "," + e.upper()))
    return st.one_of(bad).filter(lambda v: not valid_value(s, p.get("allowEmptyValue"), v))


def encode(pairs):
    return "&".join("%s=%s" % (urllib.parse.quote(k, safe=""),
                               urllib.parse.quote(v.encode(), safe=""))
                    for k, v in pairs)


def check_answer(tc, oa, path, method, status, h, body, site="bundled"):
    tc.assertLess(status, 500, (method, path, body[:300]))
    if method not in ("GET", "HEAD"):
        tc.assertEqual(status, 405, (method, path))
        if method != "TRACE":  # nginx refuses TRACE itself, without Allow
            tc.assertIn("GET", h.get("allow", ""))
    documented, schema = response_schema(oa, path, method, status,
                                         h.get("content-type", "").split(";")[0].strip())
    tc.assertTrue(documented, (method, path, status))
    if method == "HEAD" or status == 304:
        tc.assertEqual(body, b"")
        return
    if schema is not None and h["content-type"].startswith("application/json"):
        doc = json.loads(body)
        validate(site, doc, schema_for_ref(site, schema))


@st.composite
def requests(draw, kind):
    oa = openapi()
    # the GET endpoints (POST /api/annex has its own test_annex.py)
    path = draw(st.sampled_from(sorted(p for p in oa["paths"] if "get" in oa["paths"][p])))
    params = params_of(oa, path)
    pairs, valid = [], True
    for p in params:
        if p.get("required") or draw(st.booleans()):
            ok = kind == "valid" or draw(st.booleans())
            pairs.append((p["name"], draw(value_strategy(p, ok))))
            valid = valid and ok
    if kind == "structure":
        # unknown names, repeats, bad percent-encoding, invalid UTF-8
        extra = draw(st.sampled_from(["unknown", "repeat", "badpct", "badutf8", "nameutf8",
                                      "noeq"]))
        if extra == "repeat" and not pairs:
            extra = "noeq"
        q = encode(pairs)
        if extra == "unknown":
            q += "&" + urllib.parse.quote(draw(TEXT.filter(
                lambda n: n not in {p["name"] for p in params} and n)), safe="") + "=1"
        elif extra == "repeat" and pairs:
            q += "&" + encode([pairs[0]])
        elif extra == "badpct":
            q += "&%s=%s" % (params[0]["name"] if params else "q",
                             draw(st.sampled_from(["%", "%4", "%ZZ", "a%g0"])))
        elif extra == "badutf8":
            q += "&%s=%s" % (params[0]["name"] if params else "q",
                             draw(st.sampled_from(["%C3%28", "%FF", "%ED%A0%80", "%E2%82"])))
        elif extra == "nameutf8":
            q += "&%FF%FE=1"
        else:
            q += "&x"  # a name without '=', unknown to every endpoint
        return "GET", path, q, True, draw(st.sampled_from(["application/json", "*/*",
                                                            "text/html"]))
    method = draw(st.sampled_from(["GET", "HEAD"] + (OTHER_METHODS if kind == "method" else [])))
    accept = draw(st.sampled_from(["application/json", "text/html", "*/*", "text/csv"]))
    return method, path, encode(pairs), None if kind == "method" else not valid, accept


SETTINGS = settings(max_examples=1200, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


class Generated(unittest.TestCase):
    """Requests generated from /api/openapi.json against nginx + tc-search."""

    def run_one(self, req):
        method, path, q, must_fail, accept = req
        oa = openapi()
        target = path + ("?" + q if q else "")
        status, h, body = request("bundled", method, target, {"Accept": accept})
        check_answer(self, oa, path, method, status, h, body)
        if must_fail is True and method in ("GET", "HEAD"):
            self.assertEqual(status, 400, (target, body[:200]))
        elif must_fail is False and method in ("GET", "HEAD"):
            self.assertEqual(status, 200, (target, body[:200]))
        return status

    @SETTINGS
    @given(requests("valid"))
    def test_valid_requests(self, req):
        self.run_one(req)

    @SETTINGS
    @given(requests("mixed"))
    def test_valid_and_invalid_values(self, req):
        self.run_one(req)

    @settings(SETTINGS, max_examples=500)
    @given(requests("structure"))
    def test_unknown_repeated_and_badly_encoded(self, req):
        self.run_one(req)

    @settings(SETTINGS, max_examples=500)
    @given(requests("method"))
    def test_every_method(self, req):
        self.run_one(req)

    def test_answers_of_the_fixture_site_validate(self):
        oa = openapi("fixture")
        for target in ["/api/search?q=firewall", "/api/search?q=backups&product=box",
                       "/api/export", "/api/export?product=rack&status=client",
                       "/api/health", "/api/search?q=%21", "/api/export?format=pdf"]:
            path = target.split("?")[0]
            status, h, body = request("fixture", "GET", target)
            check_answer(self, oa, path, "GET", status, h, body, site="fixture")

    def test_workers_survived(self):
        status, _, _ = request("bundled", "GET", "/api/health")
        self.assertEqual(status, 200)


# ---- the /api/ page ----

class ApiPage(unittest.TestCase):
    def page(self):
        return request("bundled", "GET", "/api/")[2].decode()

    def test_lists_every_download_and_endpoint(self):
        page = self.page()
        tom = STATE["bundled"]["tom"]
        for path in ["/api/tom.json", "/api/tom.csv", "/api/tom.xlsx", "/api/oscal/catalog.json",
                     "/api/openapi.json", "/api/search", "/api/export", "/api/health"]:
            self.assertIn(path, page)
        for s in tom["scopes"]:
            if s["kind"] == "product":
                for ext in ("json", "csv", "xlsx"):
                    self.assertIn("/api/products/%s.%s" % (s["id"], ext), page)
                self.assertIn("/api/oscal/products/%s.json" % s["id"], page)
        # the field reference comes from the schemas
        for name, s in ((n, schema_store("bundled")[STATE["bundled"]["tom"]["base_url"]
                          + "/api/schema/%s.schema.json" % n])
                        for n in ("tom", "search", "error", "health")):
            self.assertIn("/api/schema/%s.schema.json" % name, page)
            for prop in s["properties"]:
                self.assertIn("<code>%s</code>" % html.escape(prop), page, (name, prop))
        self.assertIn("categories[].measures[].cells.&lt;scope id&gt;.responsibility", page)

    def test_every_curl_example_runs(self):
        page = self.page()
        base = STATE["bundled"]["tom"]["base_url"]
        examples = [html.unescape(c) for c in re.findall(r"<code>(curl [^<]+)</code>", page)]
        self.assertGreaterEqual(len(examples), 6, examples)
        tmp = tempfile.mkdtemp(prefix="tc-curl-")
        try:
            for ex in examples:
                cmd = ex.replace(base, STATE["bundled"]["base"])
                self.assertNotIn(base, cmd)
                r = subprocess.run(cmd + " -sS --fail", shell=True, cwd=tmp,
                                   capture_output=True, timeout=30)
                self.assertEqual(r.returncode, 0, (cmd, r.stderr))
                COUNT["requests"] += 1
                out = r.stdout
                files = os.listdir(tmp)
                if not out and files:
                    with open(os.path.join(tmp, files[0]), "rb") as f:
                        out = f.read()
                    for f in files:
                        os.unlink(os.path.join(tmp, f))
                self.assertTrue(out, cmd)
                if out.startswith(b"{"):
                    doc = json.loads(out)
                    if "$schema" in doc:
                        validate("bundled", doc)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)
