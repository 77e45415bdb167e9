// Lighthouse (mobile, its default) on every page kind of the bundled
// content in both languages, against nginx and tc-search as `make serve`
// runs them, with Debian's chromium (issue 24): every category scores at
// least 0.95 (`make check-lighthouse`). Search result pages keep their
// noindex: their SEO score is reported, not required. The 404 page is not
// audited: Lighthouse refuses a document answered with an error status.
// LH_PAGES and LH_LANGS (en,de) narrow a run.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { start, ROOT } from "./stack.mjs";

const run = promisify(execFile);
const MIN = 0.95;
const KINDS = ["/", "/categories/electronic-access-control/", "/products/cloud-servers/",
  "/products/cloud-servers/annex/", "/products/cloud-servers/changes/", "/matrix/", "/compare/",
  "/compare/cloud-servers/", "/compare/managed-servers/dedicated-servers/", "/annex/", "/api/",
  "/changes/", "/versions/", "/versions/2026.1/", "/versions/2026.1/annex/", "/dpa/", "/certificates/",
  "/subprocessors/", "/contact/", "/api/search?q=firewall"];
const only = process.env.LH_PAGES ? process.env.LH_PAGES.split(",") : null;
const bin = process.env.LIGHTHOUSE || path.join(ROOT, "tests", "browser", "node_modules", ".bin", "lighthouse");

const S = await start();
const failed = [];
try {
  const langs = (process.env.LH_LANGS || "en,de").split(",");
  for (const [lang, prefix] of [["en", ""], ["de", "/de"]].filter(([l]) => langs.includes(l))) {
    for (const k of only || KINDS) {
      const p = k.startsWith("/api/search") ? (prefix ? `${k}&lang=${lang}` : k) : prefix + k;
      const { stdout } = await run(bin, [S.base + p, "--output=json", "--output-path=stdout", "--quiet",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM || "/usr/bin/chromium" }, maxBuffer: 64 << 20 });
      const r = JSON.parse(stdout);
      if (r.runtimeError) {
        console.log(`ERR ${p} ${r.runtimeError.message}`);
        failed.push(p);
        continue;
      }
      const scores = Object.fromEntries(Object.entries(r.categories).map(([id, c]) => [id, c.score]));
      const low = Object.entries(scores).filter(([id, s]) => s < MIN && !(id === "seo" && p.includes("/api/search")));
      const why = low.map(([id]) => r.categories[id].auditRefs.map((a) => r.audits[a.id])
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative").map((a) => a.id).join(",")).join(" ");
      console.log(`${low.length ? "LOW " : "ok  "}${p} ${JSON.stringify(scores)}${low.length ? " " + why : ""}`);
      if (low.length) failed.push(p);
    }
  }
} finally {
  await S.stop();
}
if (failed.length) {
  console.error(`below ${MIN}: ${failed.join(" ")}`);
  process.exit(1);
}
