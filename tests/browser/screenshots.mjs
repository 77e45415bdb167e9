// Writes docs/screenshots/*.png (`make screenshots`): the main pages at
// desktop and phone widths, light scheme, in English and German (*-de-*),
// from the bundled content; the certificates, subprocessors and contact
// pages from the fictional example content (examples/fictional/, which
// fills every page type the bundled content leaves empty), desktop and
// phone; and the annex as the browser prints it (A4, its cover and a table
// page, through pdftoppm).
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { start, ROOT } from "./stack.mjs";

const PAGES = [["index", "/"], ["product", "/products/cloud-servers/"],
  ["category", "/categories/electronic-access-control/"], ["matrix", "/matrix/"],
  ["compare", "/compare/managed-servers/dedicated-servers/"],
  ["search", "/api/search?q=TLS"], ["annex", "/products/web-hosting/annex/"]];
const TRUST_PAGES = [["certificates", "/certificates/"], ["subprocessors", "/subprocessors/"],
  ["contact", "/contact/"]];
const SIZES = [["desktop", { width: 1366, height: 900 }], ["phone", { width: 390, height: 844 }]];
const dir = path.join(ROOT, "docs", "screenshots");

async function shoot(S, pages, langs) {
  for (const [size, viewport] of SIZES) {
    const ctx = await S.browser.newContext({ viewport, deviceScaleFactor: 1 });
    for (const [suffix, prefix] of langs) {
      for (const [name, p] of pages) {
        const page = await ctx.newPage();
        const url = p.startsWith("/api/") ? (prefix ? `${p}&lang=de` : p) : prefix + p;
        await page.goto(S.base + url, { waitUntil: "networkidle" });
        await page.screenshot({ path: path.join(dir, `${name}${suffix}-${size}.png`) });
        await page.close();
      }
    }
    await ctx.close();
  }
}

// The annex of all products printed from the browser to A4; its first
// (cover) and second (tables) pages as PNGs, grey, at 60 dpi to stay small.
async function printed(S) {
  const ctx = await S.browser.newContext();
  const page = await ctx.newPage();
  await page.goto(S.base + "/annex/", { waitUntil: "networkidle" });
  await page.emulateMedia({ media: "print" });
  const pdf = path.join(S.tmp, "annex.pdf");
  fs.writeFileSync(pdf, await page.pdf({ format: "A4", printBackground: true }));
  for (const [n, name] of [[1, "annex-print-cover"], [2, "annex-print-table"]])
    execFileSync("pdftoppm", ["-png", "-gray", "-r", "60", "-f", String(n), "-l", String(n), "-singlefile",
      pdf, path.join(dir, name)]);
  await ctx.close();
}

fs.mkdirSync(dir, { recursive: true });
let S = await start();
try {
  // both languages: English at the root, German under /de/ (-de)
  await shoot(S, PAGES, [["", ""], ["-de", "/de"]]);
  await printed(S);
} finally {
  await S.stop();
}
S = await start({ content: path.join("examples", "fictional") });
try {
  await shoot(S, TRUST_PAGES, [["", ""]]);
} finally {
  await S.stop();
}
console.log("screenshots in " + dir);
