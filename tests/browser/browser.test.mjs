// The site in a real browser: every page clean, accessible (axe-core, WCAG 2.1
// AA, light and dark), search as you type, the product switcher, search with
// JavaScript off, copy link, a printable annex, page weight.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { start } from "./stack.mjs";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
let S;

before(async () => { S = await start(); });
after(async () => { if (S) await S.stop(); });

function sitemapPaths() {
  const xml = fs.readFileSync(path.join(S.out, "sitemap.xml"), "utf8");
  return [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
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
    .flatMap((a) => fs.readdirSync(path.join(S.out, "compare", a.name)).map((b) => `/compare/${a.name}/${b}/`));
  assert.equal(compare.length, 56);
  const paths = [...sitemapPaths(), ...compare, "/api/search?q=firewall",
    "/api/search?q=data&product=web-hosting&status=provided&limit=5&offset=5"];
  assert.equal(sitemapPaths().length, 31);
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
  "/annex/", "/products/web-hosting/annex/", "/api/"];

for (const scheme of ["light", "dark"]) {
  test(`axe-core finds no WCAG 2.1 AA violations (${scheme})`, async () => {
    const ctx = await S.browser.newContext({ colorScheme: scheme, bypassCSP: true });
    for (const p of AXE_PAGES) {
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

test("the DPA annex prints to a clean PDF, one category per page", async () => {
  const ctx = await S.browser.newContext();
  const page = await ctx.newPage();
  await page.goto(S.base + "/annex/", { waitUntil: "networkidle" });
  const digest = await page.textContent(".digest");
  const tom = fs.readFileSync(path.join(S.out, "api", "tom.json"));
  const { createHash } = await import("node:crypto");
  assert.equal(digest, createHash("sha256").update(tom).digest("hex"));
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible("header.top"), false, "no navigation in print");
  assert.equal(await page.isVisible("footer"), false);
  const pdf = await page.pdf({ format: "A4", printBackground: true });
  assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 11, `${pages} pages: the front matter and one per category`);
  const png = await page.screenshot({ fullPage: true });
  assert.equal(png.subarray(1, 4).toString(), "PNG");
  await ctx.close();
});

test("phones: no page scrolls sideways at 360 px, tables scroll inside", async () => {
  const ctx = await S.browser.newContext({ viewport: { width: 360, height: 740 } });
  for (const p of ["/", "/matrix/", "/products/cloud-servers/", "/compare/colocation/web-hosting/"]) {
    const page = await ctx.newPage();
    await page.goto(S.base + p);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `${p} is ${width}px wide`);
    await page.close();
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
  assert.ok(fs.statSync(path.join(S.out, "assets", "tc.js")).size < 5 * 1024);
});
