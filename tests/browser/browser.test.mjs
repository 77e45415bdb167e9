// The site in a real browser: every page clean, accessible (axe-core, WCAG 2.1
// AA, light and dark), search as you type, the product switcher, search with
// JavaScript off, copy link, a printable annex, page weight.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { start, ROOT } from "./stack.mjs";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
let S;

before(async () => { S = await start(); });
after(async () => { if (S) await S.stop(); });

// The site's languages: the default at the root, German under /de/.
const LANGS = [["en", ""], ["de", "/de"]];

function sitemapPaths(prefix = "") {
  const xml = fs.readFileSync(path.join(S.out, prefix, "sitemap.xml"), "utf8");
  return [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
}

// The pages the sitemap must list, from api/tom.json.
function expectedSitemap() {
  const tom = JSON.parse(fs.readFileSync(path.join(S.out, "api", "tom.json"), "utf8"));
  const products = tom.scopes.filter((s) => s.kind === "product").map((s) => s.id);
  return ["/", "/matrix/", "/compare/", "/annex/", "/api/", "/changes/", "/versions/", "/certificates/",
    "/subprocessors/", "/contact/", "/dpa/", ...tom.categories.map((c) => `/categories/${c.id}/`),
    ...products.flatMap((p) => [`/products/${p}/`, `/products/${p}/annex/`, `/products/${p}/changes/`])];
}

// Opens a page and records console errors, failed requests and any request
// that leaves loopback.
async function visit(ctx, p) {
  const page = await ctx.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("error: " + e.message));
  page.on("requestfailed", (r) => problems.push("failed: " + r.url()));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`); });
  page.on("request", (r) => { if (!r.url().startsWith(S.base)) problems.push("external: " + r.url()); });
  const resp = await page.goto(S.base + p, { waitUntil: "networkidle" });
  return { page, problems, status: resp.status() };
}

test("every page loads without errors, failed or external requests", async () => {
  const ctx = await S.browser.newContext();
  const compare = fs.readdirSync(path.join(S.out, "compare"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((a) => fs.readdirSync(path.join(S.out, "compare", a.name), { withFileTypes: true })
      .filter((b) => b.isDirectory()).map((b) => `/compare/${a.name}/${b.name}/`));
  assert.equal(compare.length, 56);
  const paths = [...sitemapPaths(), ...compare, "/api/search?q=firewall",
    "/api/search?q=data&product=web-hosting&status=provided&limit=5&offset=5"];
  // the sitemap lists every page of the data: the home page, each
  // category, each product with its annex and its changes, and the pages
  // of one each (derived, not counted by hand)
  assert.deepEqual(sitemapPaths().sort(), expectedSitemap().sort());
  // the German edition: every page of the sitemap, and its comparisons
  assert.deepEqual(sitemapPaths("/de"), sitemapPaths().map((p) => "/de" + p));
  paths.push(...sitemapPaths("/de"), ...compare.map((p) => "/de" + p));
  for (const p of paths) {
    const { page, problems, status } = await visit(ctx, p);
    assert.equal(status, 200, p);
    assert.deepEqual(problems, [], p);
    await page.close();
  }
  const { problems, status } = await visit(ctx, "/no-such-page");
  assert.equal(status, 404);
  assert.deepEqual(problems.filter((x) => !x.includes("404")), []);
  assert.ok(problems.every((x) => x.includes("/no-such-page") || x.includes("status of 404")), problems.join());
  await ctx.close();
});

const AXE_PAGES = ["/", "/categories/electronic-access-control/", "/products/cloud-servers/",
  "/matrix/", "/compare/managed-servers/dedicated-servers/", "/api/search?q=firewall",
  "/annex/", "/products/web-hosting/annex/", "/api/", "/changes/", "/versions/",
  "/versions/2026.1/annex/"];

for (const scheme of ["light", "dark"]) {
  test(`axe-core finds no WCAG 2.1 AA violations (${scheme}, both languages)`, async () => {
    const ctx = await S.browser.newContext({ colorScheme: scheme, bypassCSP: true });
    const pages = LANGS.flatMap(([lang, prefix]) => AXE_PAGES.map((p) =>
      p.startsWith("/api/search") ? (prefix ? `${p}&lang=${lang}` : p) : prefix + p));
    for (const p of pages) {
      const page = await ctx.newPage();
      await page.goto(S.base + p, { waitUntil: "networkidle" });
      await page.evaluate(AXE);
      const res = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      }));
      const found = res.violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.nodes[0].target}`);
      assert.deepEqual(found, [], `${p} (${scheme})`);
      await page.close();
    }
    await ctx.close();
  });
}

test("search as you type: results for 'firewall', arrows and Enter open the measure", async () => {
  const ctx = await S.browser.newContext();
  const { page, problems } = await visit(ctx, "/");
  await page.fill("#q", "firewall");
  await page.waitForSelector("[role=option]");
  const options = await page.$$eval("[role=option]", (os) => os.map((o) => o.textContent));
  assert.ok(options.some((t) => t.includes("EAC-7")), options.join("|"));
  assert.match(await page.textContent("form.search [role=status]"), /3 measures match/);
  assert.equal(await page.getAttribute("#q", "aria-expanded"), "true");
  await page.press("#q", "ArrowDown");
  const activeId = await page.getAttribute("#q", "aria-activedescendant");
  assert.equal(activeId, "q-opt-0");
  const href = await page.getAttribute("#q-opt-0 a", "href");
  await Promise.all([page.waitForURL("**" + href), page.press("#q", "Enter")]);
  const anchor = href.split("#")[1];
  assert.ok(await page.$(`tr[id="${anchor}"]`), "the measure's row is on the page");
  await page.goBack();
  await page.fill("#q", "firewall");
  await page.waitForSelector("[role=option]");
  await page.press("#q", "Escape");
  assert.equal(await page.getAttribute("#q", "aria-expanded"), "false");
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("search as you type on a German page searches German, stemmed", async () => {
  const ctx = await S.browser.newContext();
  const { page, problems } = await visit(ctx, "/de/");
  await page.fill("#q", "verschluesselt");
  await page.waitForSelector("[role=option]");
  const hrefs = await page.$$eval("[role=option] a", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.length && hrefs.every((h) => h.startsWith("/de/categories/")), hrefs.join("|"));
  assert.ok(hrefs.some((h) => h.endsWith("#CON-3")), hrefs.join("|"));
  assert.match(await page.textContent("form.search [role=status]"), /^\d+ Treffer/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("with the API unreachable the box still submits", async () => {
  const ctx = await S.browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.route("**/api/search**", (r) =>
    r.request().resourceType() === "fetch" ? r.abort() : r.continue());
  await page.goto(S.base + "/");
  await page.fill("#q", "backup");
  await page.waitForTimeout(500);
  assert.equal(await page.$$eval("[role=option]", (o) => o.length), 0);
  await Promise.all([page.waitForURL(/\/api\/search\?q=backup/), page.press("#q", "Enter")]);
  assert.match(await page.textContent("main"), /AVR-11/);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test("search results: every link works, downloads as filtered, suggestions when nothing is found", async () => {
  const ctx = await S.browser.newContext();
  const page = await ctx.newPage();
  for (const p of ["/api/search?q=firewall&product=cloud-servers", "/api/search?q=TLS",
    "/api/search?q=firwall", "/api/search?q=qqqzzz&status=client"]) {
    await page.goto(S.base + p);
    // the query stays in the header's search box
    assert.equal(await page.inputValue("#q"), new URL(S.base + p).searchParams.get("q"));
    const links = await page.$$eval("main a[href], footer a[href]", (as) => [...new Set(as.map((a) => a.href))]);
    assert.ok(links.length > 5, p);
    for (const href of links) {
      const r = await page.request.get(href);
      assert.equal(r.status(), 200, `${p}: ${href}`);
    }
    const exports = links.filter((h) => h.includes("/api/export"));
    // a count, or none in words ("No measure matches …", 9560dfc)
    const status = (await page.textContent("main p.status")).trim();
    const count = status.match(/^\d+/);
    if (!count) assert.match(status, /^No measure matches/, p);
    const total = count ? Number(count[0]) : 0;
    if (total) {
      assert.equal(exports.length, 2, `${p}: JSON and CSV`);
      const data = await (await page.request.get(exports.find((h) => !h.includes("format=csv")))).json();
      assert.equal(data.categories.flatMap((c) => c.measures).length, total, p);
    } else {
      assert.ok(await page.$("main a[href='/categories/physical-access-control/']"), `${p}: categories`);
    }
  }
  // a typo is searched at once as the word the measures use, and says so
  await page.goto(S.base + "/api/search?q=firwall");
  assert.match(await page.textContent("main p.note"), /Showing results for firewall/);
  assert.match(await page.textContent("main"), /EAC-7/);
  // suggestions where no word is near one of the measures' and nothing is found
  await page.goto(S.base + "/api/search?q=qqqzzz");
  assert.ok(await page.$("main a[href='/categories/physical-access-control/']"));
  // the filter form's button is styled like the header's
  const bg = await page.$eval(".filters button", (b) => getComputedStyle(b).backgroundColor);
  assert.equal(bg, await page.$eval(".search button", (b) => getComputedStyle(b).backgroundColor));
  await ctx.close();
});

test("the language switch keeps the page, without JavaScript, both ways", async () => {
  const ctx = await S.browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(S.base + "/products/cloud-servers/");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await Promise.all([page.waitForURL("**/de/products/cloud-servers/"),
    page.click("nav.langs a[hreflang=de]")]);
  assert.equal(await page.getAttribute("html", "lang"), "de");
  assert.equal(await page.textContent("h1"), "Cloud Server");
  await Promise.all([page.waitForURL(S.base + "/products/cloud-servers/"),
    page.click("nav.langs a[hreflang=en]")]);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await ctx.close();
});

test("the product switcher navigates", async () => {
  const ctx = await S.browser.newContext();
  const page = await ctx.newPage();
  await page.goto(S.base + "/categories/integrity/");
  await page.click(".switcher summary");
  await Promise.all([page.waitForURL("**/products/storage-boxes/"),
    page.click(".switcher >> text=Storage Boxes")]);
  assert.match(await page.textContent("h1"), /Storage Boxes/);
  assert.equal(await page.getAttribute('.switcher a[aria-current="page"]', "href"),
    "/products/storage-boxes/");
  await ctx.close();
});

test("with JavaScript disabled, search still works", async () => {
  const ctx = await S.browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(S.base + "/products/cloud-servers/");
  await page.fill("#q", "encrypted");
  await Promise.all([page.waitForURL(/\/api\/search\?q=encrypted/), page.press("#q", "Enter")]);
  assert.match(await page.textContent("main"), /CON-3/);
  await page.selectOption("#sp", "cloud-servers");
  await Promise.all([page.waitForURL(/product=cloud-servers/), page.click(".filters button")]);
  assert.match(await page.textContent("[role=status]"), /for Cloud servers/);
  await ctx.close();
});

test("copy link puts the measure's permalink on the clipboard", async () => {
  const ctx = await S.browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await ctx.newPage();
  await page.goto(S.base + "/categories/physical-access-control/");
  await page.click('button[aria-label="Copy link to PAC-3"]');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
    S.base + "/categories/physical-access-control/#PAC-3");
  await ctx.close();
});

test("comparison: what becomes my job when moving from managed to dedicated", async () => {
  const ctx = await S.browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(S.base + "/products/managed-servers/");
  await Promise.all([page.waitForURL("**/compare/managed-servers/dedicated-servers/"),
    page.click("#compare-h ~ ul >> text=Dedicated servers")]);
  const flagged = await page.$$eval("tr.to-you th a", (as) => as.map((a) => a.textContent));
  for (const id of ["IAC-1", "INT-1", "AVR-12", "AVR-15"]) assert.ok(flagged.includes(id), id);
  await ctx.close();
});

// On paper the annex is laid out as tc-gen's PDF: tables, not cards (a
// phone keeps its cards), the header row a table-header-group so that it
// repeats on every page, the legend and the signature block shown, the
// categories one after the other.
test("the DPA annex prints as the PDF lays it out: tables, legend, signatures; cards stay on phones", async () => {
  const ctx = await S.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await page.goto(S.base + "/annex/", { waitUntil: "networkidle" });
  const digest = await page.textContent(".digest");
  const tom = fs.readFileSync(path.join(S.out, "api", "tom.json"));
  const { createHash } = await import("node:crypto");
  assert.equal(digest, createHash("sha256").update(tom).digest("hex"));
  const look = () => page.evaluate(() => {
    const d = (sel) => getComputedStyle(document.querySelector(sel)).display;
    return { row: d('tr[id="EAC-1"]'), thead: d("table.compact thead"), legend: d(".annex-legend"),
      sign: d(".annex-sign"), details: d(".legend"), controller: d(".annex-meta dt.printonly"),
      breaks: [...document.querySelectorAll(".annex-cat")].map((s) => getComputedStyle(s).breakBefore) };
  });
  const screen = await look();
  assert.deepEqual([screen.row, screen.legend, screen.sign, screen.controller], ["grid", "none", "none", "none"],
    "a phone shows cards and no print-only part");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible("header.top"), false, "no navigation in print");
  assert.equal(await page.isVisible("footer"), false);
  const paper = await look();
  assert.deepEqual(paper, { row: "table-row", thead: "table-header-group", legend: "block", sign: "block",
    details: "none", controller: "block", breaks: paper.breaks.map((b, i) => (i === 0 ? "page" : "auto")) });
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  const png = await page.screenshot({ fullPage: true });
  assert.equal(png.subarray(1, 4).toString(), "PNG");
  await ctx.close();
});

// Every page kind, from a small phone (320 px) to a laptop, in both
// languages and both colour schemes (issue 24): the page is no wider than
// the window, no element is wider than a frame that clips or scrolls it, no
// text runs out of the window, the open product switcher is inside it, and
// every status badge of the page is in view horizontally (reached by
// scrolling down only).
const KINDS = ["/", "/categories/electronic-access-control/", "/categories/physical-access-control/",
  "/categories/availability-and-resilience/", "/products/cloud-servers/", "/products/cloud-servers/annex/",
  "/matrix/", "/compare/", "/compare/cloud-servers/", "/compare/colocation/web-hosting/",
  "/compare/managed-servers/dedicated-servers/", "/annex/", "/api/", "/api/search?q=firewall",
  "/api/search?q=data&limit=50", "/no-such-page", "/changes/", "/products/cloud-servers/changes/",
  "/versions/", "/versions/2026.1/", "/versions/2026.1/annex/", "/api/changes?since=2026.1", "/dpa/",
  "/certificates/", "/subprocessors/", "/contact/"];
const inLang = (p, lang, prefix) => (p.startsWith("/api/") && p.includes("?") ? (prefix ? `${p}&lang=${lang}` : p) : prefix + p);

// What overflows on the open page: [] when nothing does.
function overflow(page) {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const bad = [];
    const clipped = (el) => { for (let a = el; a; a = a.parentElement) if (getComputedStyle(a).clip !== "auto") return true; return false; };
    const name = (el) => `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""}`;
    if (document.documentElement.scrollWidth > vw) bad.push(`the page is ${document.documentElement.scrollWidth}px wide`);
    for (const el of document.querySelectorAll("body *")) {
      const cs = getComputedStyle(el);
      if (cs.display === "none" || clipped(el)) continue;
      // a frame: what it holds is no wider than it (a form field's own text aside)
      if (cs.overflowX !== "visible" && el.clientWidth > 0 && !/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) &&
          el.scrollWidth > el.clientWidth + 1)
        bad.push(`${name(el)} holds ${el.scrollWidth}px in ${el.clientWidth}px`);
      const q = el.getBoundingClientRect();
      if (q.width && cs.position !== "absolute" && (q.right > vw + 0.5 || q.left < -0.5))
        bad.push(`${name(el)} at ${Math.round(q.left)}-${Math.round(q.right)}`);
    }
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n; (n = walk.nextNode());) {
      if (!n.textContent.trim() || clipped(n.parentElement)) continue;
      const r = document.createRange();
      r.selectNodeContents(n);
      if ([...r.getClientRects()].some((q) => q.width && q.right > vw + 0.5))
        bad.push(`text "${n.textContent.trim().slice(0, 40)}" runs out of the window`);
    }
    // the product switcher, open, inside the window
    const d = document.querySelector(".switcher details");
    if (d) {
      d.open = true;
      const q = d.querySelector("ul").getBoundingClientRect();
      if (q.left < 0 || q.right > vw + 0.5) bad.push(`the open switcher spans ${Math.round(q.left)}-${Math.round(q.right)}`);
      for (const a of d.querySelectorAll("a")) if (a.scrollWidth > a.clientWidth + 1) bad.push(`switcher entry "${a.textContent}" is cut`);
      d.open = false;
    }
    // every status badge in view, not cut by a frame
    for (const b of document.querySelectorAll("main .badge")) {
      const q = b.getBoundingClientRect();
      const where = (b.closest("tr[id]") || {}).id || b.textContent;
      if (q.width === 0 || q.left < 0 || q.right > vw + 0.5) { bad.push(`badge ${where} at ${q.left}-${q.right}`); continue; }
      for (let el = b.parentElement; el && el !== document.body; el = el.parentElement) {
        const e = el.getBoundingClientRect();
        if (getComputedStyle(el).overflowX !== "visible" && (q.left < e.left - 0.5 || q.right > e.right + 0.5)) {
          bad.push(`badge ${where} cut by ${name(el)}`);
          break;
        }
      }
    }
    const capped = [...document.querySelectorAll(".scroll")].filter((s) => getComputedStyle(s).maxHeight !== "none").length;
    if (capped) bad.push(`${capped} table frames have a height cap`);
    return bad;
  });
}

for (const width of [320, 390, 768, 1366]) {
  test(`at ${width} px nothing is wider than the window or its frame, in both languages and colour schemes`, async () => {
    for (const scheme of ["light", "dark"]) {
      const ctx = await S.browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme });
      const page = await ctx.newPage();
      for (const [lang, prefix] of LANGS)
        for (const k of KINDS) {
          const p = inLang(k, lang, prefix);
          await page.goto(S.base + p);
          assert.deepEqual(await overflow(page), [], `${p} at ${width}px (${scheme})`);
        }
      await ctx.close();
    }
  });
}

// Every page of the sitemap, of both languages, is reached by following
// links from the home page (no page only the sitemap or a feed knows), and
// every page names Changes and Versions in its header or footer.
test("every sitemap URL is reachable by links from the home page", async () => {
  const ctx = await S.browser.newContext();
  const seen = new Set(), queue = ["/"];
  const footless = [];
  while (queue.length) {
    const p = queue.shift();
    if (seen.has(p)) continue;
    seen.add(p);
    const r = await ctx.request.get(S.base + p);
    if (r.status() !== 200 || !(r.headers()["content-type"] || "").startsWith("text/html")) continue;
    const html = await r.text();
    const prefix = p.startsWith("/de/") ? "/de" : "";
    for (const want of [`${prefix}/changes/`, `${prefix}/versions/`])
      if (!html.includes(`href="${want}"`)) footless.push(`${p} lacks ${want}`);
    for (const m of html.matchAll(/<a [^>]*href="([^"#?]*)(?:[#?][^"]*)?"/g)) {
      const href = m[1];
      // pages only: the data files and tc-search's answers are not pages
      if (!href.startsWith("/") || href.startsWith("//") || !href.endsWith("/") ||
          (/^(\/de)?\/api\/./.test(href))) continue;
      if (!seen.has(href)) queue.push(href);
    }
  }
  const all = [...sitemapPaths(), ...sitemapPaths("/de")];
  assert.deepEqual(all.filter((p) => !seen.has(p)), [], "sitemap pages no link leads to");
  assert.deepEqual(footless, []);
  await ctx.close();
});

// Every path prefix of a page is a page or the site's 404 page (never
// nginx's 403 for a folder): /compare/<product>/ lists its comparisons,
// /versions/<v>/ is the version's landing page.
test("every path prefix of a page is a page or the site's 404 page", async () => {
  const ctx = await S.browser.newContext();
  const pages = [...sitemapPaths(), ...sitemapPaths("/de"), "/compare/cloud-servers/web-hosting/",
    "/de/compare/cloud-servers/web-hosting/", "/versions/2026.1/products/cloud-servers/annex/", "/de/versions/2026.1/products/cloud-servers/annex/"];
  const prefixes = new Set();
  for (const p of pages) {
    const parts = p.split("/").filter(Boolean);
    for (let i = 1; i < parts.length; i++) prefixes.add("/" + parts.slice(0, i).join("/") + "/");
  }
  const answers = {};
  for (const p of prefixes) {
    const r = await ctx.request.get(S.base + p);
    const h1 = ((await r.text()).match(/<h1>([^<]*)/) || [])[1];
    answers[p] = r.status() === 404 ? (/Page not found|Seite nicht gefunden/.test(h1) ? 404 : "404 without the site's page") : r.status();
    assert.ok([200, 404].includes(answers[p]), `${p}: ${answers[p]}`);
  }
  for (const p of ["/compare/cloud-servers/", "/versions/2026.1/", "/de/compare/cloud-servers/", "/de/versions/2026.1/"])
    assert.equal(answers[p], 200, p);
  assert.equal(answers["/categories/"], 404);
  await ctx.close();
});

test("the home page dates the last change; a product page links its changes and feed", async () => {
  const ctx = await S.browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  const changes = JSON.parse(fs.readFileSync(path.join(S.out, "api", "changes.json"), "utf8"));
  const last = changes.releases.find((r) => r.released);
  await page.goto(S.base + "/");
  const line = await page.textContent(`main a[href="/changes/#v${last.version}"]`);
  assert.ok(line.includes(last.version) && line.includes(last.date), line);
  await page.goto(S.base + "/products/cloud-servers/");
  assert.ok(await page.$('main a[href="/products/cloud-servers/changes/"]'));
  assert.ok(await page.$('main a[href="/products/cloud-servers/changes.atom"]'));
  await Promise.all([page.waitForURL("**/versions/2026.1/"), page.goto(S.base + "/versions/").then(() =>
    page.click('main a[href="/versions/2026.1/"]'))]);
  assert.ok(await page.$('main a[href="/versions/2026.1/annex/"]'));
  await ctx.close();
});

// Tables that read at a glance: every badge in a table says its word
// beside its symbol, the legend is shown (not folded) and printed, a row's
// "Copy link" shows on hover and focus only, and the columns of a page's
// tables have the same widths; a long page has a jump list of its
// categories.
test("tables: words beside symbols, a visible and printed legend, permalinks on hover, equal columns", async () => {
  const ctx = await S.browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await ctx.newPage();
  for (const p of ["/matrix/", "/products/cloud-servers/", "/categories/electronic-access-control/",
    "/compare/managed-servers/dedicated-servers/", "/de/matrix/"]) {
    await page.goto(S.base + p, { waitUntil: "networkidle" });
    const r = await page.evaluate(() => {
      const shown = (el) => el.getBoundingClientRect().width > 1 && getComputedStyle(el).visibility !== "hidden";
      const words = [...document.querySelectorAll("main table .badge")].filter((b) => !shown(b.querySelector(".w")));
      const legend = document.querySelector("main .legend");
      const widths = {};
      for (const t of document.querySelectorAll("main table")) {
        const cols = [...t.querySelector("thead tr").children].map((c) => Math.round(c.getBoundingClientRect().width));
        (widths[cols.length] = widths[cols.length] || []).push(cols.join(","));
      }
      return { hidden: words.length, total: document.querySelectorAll("main table .badge").length,
        legend: legend && !legend.closest("details") && shown(legend) ? legend.querySelectorAll("li").length : 0,
        widths: Object.values(widths).map((w) => [...new Set(w)]),
        jump: [...document.querySelectorAll("main nav.jump a")].map((a) => a.getAttribute("href")) };
    });
    assert.ok(r.total > 0, p);
    assert.equal(r.hidden, 0, `${p}: ${r.hidden} of ${r.total} badges show no word`);
    assert.ok(r.legend >= 5, `${p}: the legend is not shown`);
    for (const w of r.widths) assert.equal(w.length, 1, `${p}: tables of the same columns differ: ${w.join(" | ")}`);
    if (!p.includes("/categories/")) {
      assert.ok(r.jump.length > 1, `${p}: no jump list`);
      for (const h of r.jump) assert.ok(await page.$(`[id="${h.slice(1)}"]`), `${p}: ${h} leads nowhere`);
    }
  }
  // the permalink button: hidden until its row is hovered or focused
  await page.goto(S.base + "/categories/physical-access-control/", { waitUntil: "networkidle" });
  const copy = 'tr[id="PAC-3"] button.copy';
  const opacity = () => page.$eval(copy, (b) => getComputedStyle(b).opacity);
  await page.mouse.move(0, 0);
  assert.equal(await opacity(), "0");
  await page.hover('tr[id="PAC-3"] td.text');
  assert.equal(await opacity(), "1");
  await page.mouse.move(0, 0);
  await page.focus(copy);
  assert.equal(await opacity(), "1");
  // printed: the legend is on paper beside the tables
  await page.emulateMedia({ media: "print" });
  assert.notEqual(await page.$eval("main .legend", (l) => getComputedStyle(l).display), "none");
  await ctx.close();
});

// The dark theme is for screens: on paper a page is black on white, its
// badges without dark fills, whatever the reader's screen.
test("printed from a dark screen, pages are black on white", async () => {
  const ctx = await S.browser.newContext({ colorScheme: "dark" });
  const page = await ctx.newPage();
  for (const p of ["/categories/electronic-access-control/", "/products/cloud-servers/", "/annex/", "/de/matrix/"]) {
    await page.goto(S.base + p, { waitUntil: "networkidle" });
    const screen = await page.$eval("body", (b) => getComputedStyle(b).backgroundColor);
    assert.notEqual(screen, "rgb(255, 255, 255)", `${p}: the screen is dark`);
    await page.emulateMedia({ media: "print" });
    const paper = await page.evaluate(() => {
      const lum = (c) => { const [r, g, b] = c.match(/[\d.]+/g).map(Number); return (r + g + b) / 3; };
      const body = getComputedStyle(document.body);
      const dark = [...document.querySelectorAll("main *")].filter((e) => {
        const cs = getComputedStyle(e);
        return e.getClientRects().length && cs.backgroundColor !== "rgba(0, 0, 0, 0)" && lum(cs.backgroundColor) < 128;
      }).map((e) => e.tagName + "." + e.className);
      const light = [...document.querySelectorAll("main td, main th, main p, main li")].filter((e) =>
        e.getClientRects().length && e.textContent.trim() && lum(getComputedStyle(e).color) > 160).length;
      return { bg: body.backgroundColor, fg: body.color, dark: dark.slice(0, 3), light };
    });
    assert.deepEqual(paper, { bg: "rgb(255, 255, 255)", fg: "rgb(0, 0, 0)", dark: [], light: 0 }, p);
    await page.emulateMedia({ media: "screen" });
  }
  await ctx.close();
});

test("phones: each measure is a card, each status labelled with its scope", async () => {
  const ctx = await S.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await ctx.newPage();
  await page.goto(S.base + "/categories/electronic-access-control/");
  // the scope's name is shown before the badge, inside the measure's card
  const label = await page.evaluate(() => {
    const td = document.querySelector('tr[id="EAC-9"] td[data-scope="Colocation"]');
    return getComputedStyle(td, "::before").content + " / " + getComputedStyle(td).display;
  });
  assert.equal(label, '"Colocation: " / block');
  await page.goto(S.base + "/compare/managed-servers/dedicated-servers/");
  // both products side by side in the card
  const [a, b] = await page.$$eval('tr[id="EAC-7"] td[data-scope]', (tds) => tds.map((t) => t.getBoundingClientRect()));
  assert.ok(Math.abs(a.top - b.top) < 1 && a.right <= b.left, "side by side");
  await page.goto(S.base + "/products/cloud-servers/");
  const own = await page.$eval('tr[id="IAC-1"] td[data-scope]', (td) => getComputedStyle(td, "::before").content + td.textContent);
  assert.match(own, /^"Cloud servers: ".*Shared/);
  const header = await page.$eval("header.top", (h) => h.getBoundingClientRect().height);
  assert.ok(header <= 100, `the phone header takes ${header}px`);
  await ctx.close();
});

test("wide screens: the matrix fits 1366 px, one table per category, its header row sticks", async () => {
  const ctx = await S.browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(S.base + "/matrix/");
  const tom = JSON.parse(fs.readFileSync(path.join(S.out, "api", "tom.json"), "utf8"));
  const r = await page.evaluate(() => ({
    tables: document.querySelectorAll("main table").length,
    widest: Math.max(...[...document.querySelectorAll("main table")].map((t) => t.getBoundingClientRect().right)),
    vw: document.documentElement.clientWidth,
    frames: [...document.querySelectorAll(".scroll")].filter((s) => s.scrollWidth > s.clientWidth).length,
  }));
  assert.equal(r.tables, tom.categories.length);
  assert.ok(r.widest <= r.vw, `the widest table ends at ${r.widest}px`);
  assert.equal(r.frames, 0, "no table frame scrolls sideways");
  // scrolled into the long table, its header row is still at the top
  await page.goto(S.base + "/categories/availability-and-resilience/#AVR-15");
  const top = await page.$eval("table thead th", (th) => th.getBoundingClientRect().top);
  assert.ok(Math.abs(top) < 1, `the header row is at ${top}px`);
  // compact badges: the word beside the icon (issue 24)
  const word = await page.$eval('tr[id="AVR-15"] .badge .w', (w) => [w.textContent, w.getBoundingClientRect().width]);
  assert.ok(word[0].length > 2 && word[1] > 10, JSON.stringify(word));
  await ctx.close();
});

// The annexes on paper, as a customer attaches them to a contract: every
// scope, every measure ID and every status word of the page is in the PDF's
// text, and the version, the data set's absolute URL, its digest and "page
// x of y" are on every sheet. The annexes of released versions too, each
// with its release's version, date, file and digest. Within the page budget
// of issue 23 (all products on at most 8 sheets, one product on at most 5),
// with the cover (processor, the controller's blank lines), the legend and
// the signature block; a category's heading on the sheet of its first row,
// and the header row on every sheet that has rows.
const PAGE_BUDGET = { all: 8, product: 5 };
test("the annexes print complete on A4 and Letter within the page budget, version and digest on every page, in both languages", async () => {
 const ctx = await S.browser.newContext();
 const page = await ctx.newPage();
 for (const [lang, prefix] of LANGS) {
  const file = path.join(S.out, prefix, "api", "tom.json");
  const tom = JSON.parse(fs.readFileSync(file, "utf8"));
  const { createHash } = await import("node:crypto");
  const digest = createHash("sha256").update(fs.readFileSync(file)).digest("hex");
  // the page header's words in the annex's language (templates/i18n)
  const t = JSON.parse(fs.readFileSync(path.join(ROOT, "templates", "i18n", `${lang}.json`), "utf8"));
  // a date as the language writes it in a sentence (date.format)
  const day = (iso) => { const [year, month, d] = iso.split("-");
    return t["date.format"].replace("{year}", year).replace("{month}", month).replace("{day}", d); };
  // a product's annex names its product on every sheet (review F7)
  const header = (version, date, product) => t[product ? "print.header_product" : "print.header"]
    .replace("{organisation}", tom.organisation).replace("{product}", product)
    .replace("{version}", version).replace("{date}", day(date));
  const abs = (rel) => `${tom.base_url}${prefix}/api/${rel}`;
  // URLs in the data are absolute (base_url): the site path of each
  const annexes = [{ p: prefix + "/annex/", heading: header(tom.version, tom.date) },
    ...tom.scopes.filter((s) => s.kind === "product").map((s) => ({ p: new URL(s.url).pathname + "annex/",
      heading: header(tom.version, tom.date, s.name) }))].map((a) => ({ ...a, digest, url: abs("tom.json") }));
  const versions = JSON.parse(fs.readFileSync(path.join(S.out, prefix, "api", "versions.json"), "utf8"));
  for (const v of versions.versions.filter((x) => x.released)) {
    const rel = JSON.parse(fs.readFileSync(path.join(S.out, prefix, "api", "versions", v.version, "tom.json"), "utf8"));
    const at = { digest: v.sha256, heading: header(v.version, v.date), url: abs(`versions/${v.version}/tom.json`) };
    annexes.push({ p: `${prefix}/versions/${v.version}/annex/`, ...at });
    // the product's name as the page shows it (a translation's words)
    const names = Object.fromEntries(JSON.parse(fs.readFileSync(path.join(S.out, prefix, "api", "tom.json"), "utf8"))
      .scopes.map((x) => [x.id, x.name]));
    for (const s of rel.scopes.filter((x) => x.kind === "product"))
      annexes.push({ p: `${prefix}/versions/${v.version}/products/${s.id}/annex/`, ...at,
        heading: header(v.version, v.date, names[s.id] || s.name) });
  }
  assert.ok(annexes.some((a) => a.p.includes("/versions/")), `${lang}: no released version's annex to print`);
  // How often word w stands in text (spaces normalised) as a whole word. A
  // compound is counted by its parts: it may break at its hyphen, and
  // pdftotext then drops the hyphen or puts the rest of the line elsewhere;
  // a part is bounded only where the compound is.
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const B = "[\\p{L}\\p{N}]";
  const count = (text, w) => Math.min(...w.split("-").filter(Boolean).map((part, i, all) =>
    (text.match(new RegExp(`${i === 0 ? `(?<!${B})` : ""}${esc(part)}${i === all.length - 1 ? `(?!${B})` : ""}`, "gu")) || []).length));
  for (const { p, digest, heading, url } of annexes) {
    await page.goto(S.base + p, { waitUntil: "networkidle" });
    await page.emulateMedia({ media: "print" });
    const want = await page.evaluate(() => {
      const shown = (el) => el.getClientRects().length > 0;
      // the words of every badge, counted one by one: a badge's words may
      // wrap, and pdftotext reads the cards' columns line by line
      const words = {};
      for (const w of document.querySelectorAll("main .badge .w"))
        if (shown(w)) for (const t of w.textContent.split(/\s+/).filter(Boolean)) words[t] = (words[t] || 0) + 1;
      const scopes = new Set([...document.querySelectorAll("main td[data-scope], main thead th")]
        .filter(shown).map((e) => e.dataset.scope || e.textContent.trim()));
      const ids = [...document.querySelectorAll("main tr[id]")].map((tr) => tr.id);
      const icons = new Set([...document.querySelectorAll("main .badge .icon")].map((i) => i.textContent));
      const heads = [...document.querySelectorAll("main thead th")].slice(0, 2).map((h) => h.textContent.trim());
      // each category's heading and its first measure row
      const cats = [...document.querySelectorAll("main section.annex-cat")].filter((c) => c.querySelector("tr[id]"))
        .map((c) => ({ title: c.querySelector("h2, h3").textContent.trim(), first: c.querySelector("tr[id]").id }));
      const legend = [...document.querySelectorAll(".annex-legend li")].map((li) => li.textContent.trim());
      return { words, scopes: [...scopes].filter((x) => !heads.includes(x)), ids, icons: [...icons], cats, legend };
    });
    assert.ok(want.legend.length >= 6 && want.cats.length > 0, `${p}: ${JSON.stringify(want.cats)}`);
    const budget = p.includes("/products/") ? PAGE_BUDGET.product : PAGE_BUDGET.all;
    const lines = (sheet) => sheet.split("\n").map((l) => l.trim());
    assert.ok(want.ids.length > 0 && want.scopes.length > 0, p);
    for (const format of ["A4", "Letter"]) {
      const pdf = await page.pdf({ format, printBackground: true });
      const raw = execFileSync("pdftotext", ["-", "-"], { input: pdf }).toString();
      // the words in the order the PDF draws them (cell by cell): narrow
      // columns side by side are not read across; a badge's icon may sit
      // beside the second line of its words
      const drawn = execFileSync("pdftotext", ["-raw", "-", "-"], { input: pdf }).toString();
      const text = want.icons.reduce((t, i) => t.split(i).join(" "), drawn).replace(/\s+/g, " ");
      const sheets = raw.split("\f").filter((t) => t.trim());
      const where = `${p} on ${format}`;
      // white space ignored: a narrow column breaks a long name (as the
      // PDF does, without a hyphen)
      const solid = text.replace(/\s+/g, "");
      for (const s of want.scopes) assert.ok(solid.includes(s.replace(/\s+/g, "")), `${where}: scope ${s}`);
      for (const id of want.ids) assert.ok(new RegExp(`\\b${id}\\b`).test(text), `${where}: ${id}`);
      for (const [w, n] of Object.entries(want.words))
        assert.ok(count(text, w) >= n, `${where}: "${w}" ${count(text, w)} times, the page's badges show it ${n} times`);
      assert.ok(sheets.length <= budget, `${where}: ${sheets.length} pages, the budget is ${budget}`);
      for (const [i, sheet] of sheets.entries()) {
        assert.ok(sheet.replace(/\s+/g, "").includes(digest), `${where}: no digest on page ${i + 1}`);
        assert.ok(sheet.replace(/\s+/g, "").includes(url), `${where}: no ${url} on page ${i + 1}`);
        assert.ok(sheet.replace(/\s+/g, " ").includes(heading), `${where}: no "${heading}" on page ${i + 1}`);
        const pageOf = t["print.page"].replace("{page}", i + 1).replace("{pages}", sheets.length);
        assert.ok(sheet.replace(/\s+/g, " ").includes(pageOf), `${where}: no "${pageOf}" on page ${i + 1}`);
        // a sheet with measure rows repeats the table's header row
        // (pdftotext puts a row's ID alone on its line or before its text)
        if (lines(sheet).some((l) => want.ids.some((id) => l === id || l.startsWith(id + " "))))
          assert.ok(lines(sheet).some((l) => l === t.measure || l === `${t.id} ${t.measure}`),
            `${where}: rows without the header row on page ${i + 1}`);
      }
      // the cover: the processor, the controller's blank lines, the legend
      const cover = sheets[0].replace(/\s+/g, " ");
      for (const w of [t.processor, tom.organisation, t["pdf.controller"], t["pdf.controller_blank"], t.legend, ...want.legend])
        assert.ok(cover.includes(w), `${where}: the cover lacks "${w}"`);
      // the signature block, whole on the last sheet
      const last = lines(sheets[sheets.length - 1]);
      assert.ok(last.includes(t["pdf.signatures"]) && last.includes(t["pdf.for_controller"]) &&
        last.join(" ").includes(`${t["pdf.for_processor"]}: ${tom.organisation}`), `${where}: no signature block at the end`);
      for (const w of ["pdf.place_date", "pdf.name_role", "pdf.signature"])
        assert.equal(last.filter((l) => l === t[w]).length, 2, `${where}: "${t[w]}" for both parties`);
      // no heading left at the foot of a sheet: it shares its sheet with
      // the category's first row
      for (const { title, first } of want.cats) {
        const at = sheets.findIndex((t) => lines(t).includes(title));
        assert.ok(at >= 0, `${where}: no heading "${title}"`);
        const after = sheets[at].slice(sheets[at].indexOf(title));
        assert.ok(new RegExp(`\\b${first}\\b`).test(after), `${where}: "${title}" on page ${at + 1}, its first row ${first} is not`);
      }
    }
    await page.emulateMedia({ media: "screen" });
  }
 }
  await ctx.close();
});

test("page weight: the largest page with CSS and JS is under 60 KB gzipped", () => {
  const files = [];
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name)));
  walk(S.out);
  const gz = (f) => zlib.gzipSync(fs.readFileSync(f)).length;
  const largest = Math.max(...files.filter((f) => f.endsWith(".html")).map(gz));
  const total = largest + gz(path.join(S.out, "assets", "style.css")) + gz(path.join(S.out, "assets", "tc.js"));
  assert.ok(total < 60 * 1024, `${total} bytes`);
  // 5 KB until the script took its words from the page's language
  assert.ok(fs.statSync(path.join(S.out, "assets", "tc.js")).size < 5.5 * 1024);
});

// Issue 26: a customer reaches /dpa/ from the home page, without
// JavaScript, in each language, chooses two products and the released
// version, enters a company with umlauts, and gets the PDF made for them.
test("/dpa/: the form of a customer's annex, without JavaScript, in both languages, gives their PDF", async () => {
  const ctx = await S.browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
  for (const [code, prefix] of LANGS) {
    const page = await ctx.newPage();
    await page.goto(S.base + prefix + "/");
    await Promise.all([page.waitForURL(new RegExp(`${prefix}/dpa/$`)), page.click(`a[href="${prefix}/dpa/"]`)]);
    await page.check("#dp-cloud-servers");
    await page.check("#dp-managed-servers");
    await page.selectOption("#dv", "2026.1");
    assert.equal(await page.inputValue("#dl"), code, "the document in the page's language by default");
    const name = `Müller & Söhne ${code} GmbH`;
    await page.fill("#dn", name);
    await page.fill("#da", "Hauptstraße 12\n80331 München");
    await page.fill("#dc", "Jürgen Weiß");
    await page.fill("#de", "jw@mueller.example");
    await page.fill("#dd", "2026-12-01");
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click(".dpa button[type=submit]")]);
    const file = await dl.path();
    assert.ok(fs.readFileSync(file).subarray(0, 5).toString() === "%PDF-", `${code}: not a PDF`);
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
    // the date of generation as the document's language writes it
    const date = code === "de" ? "01.12.2026" : "2026-12-01";
    for (const w of [name, "Hauptstraße 12", "80331 München", "Jürgen Weiß", "jw@mueller.example", date])
      assert.ok(text.includes(w), `${code}: the PDF lacks "${w}"`);
    assert.match(text, code === "de" ? /Dokument-ID [0-9a-f]{64}/ : /Document ID [0-9a-f]{64}/);
    await page.close();
  }
  await ctx.close();
});
