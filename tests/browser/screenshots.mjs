// Writes docs/screenshots/*.png: the main pages at desktop and phone widths,
// light scheme, in English and German (*-de-*), from the bundled content
// (`make screenshots`).
import fs from "node:fs";
import path from "node:path";
import { start, ROOT } from "./stack.mjs";

const PAGES = [["index", "/"], ["product", "/products/cloud-servers/"],
  ["category", "/categories/electronic-access-control/"], ["matrix", "/matrix/"],
  ["compare", "/compare/managed-servers/dedicated-servers/"],
  ["search", "/api/search?q=TLS"], ["annex", "/products/web-hosting/annex/"]];
const SIZES = [["desktop", { width: 1366, height: 900 }], ["phone", { width: 390, height: 844 }]];

const S = await start();
try {
  const dir = path.join(ROOT, "docs", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  for (const [size, viewport] of SIZES) {
    const ctx = await S.browser.newContext({ viewport, deviceScaleFactor: 1 });
    // both languages: English at the root, German under /de/ (-de)
    for (const [suffix, prefix] of [["", ""], ["-de", "/de"]]) {
      for (const [name, p] of PAGES) {
        const page = await ctx.newPage();
        const url = p.startsWith("/api/") ? (prefix ? `${p}&lang=de` : p) : prefix + p;
        await page.goto(S.base + url, { waitUntil: "networkidle" });
        await page.screenshot({ path: path.join(dir, `${name}${suffix}-${size}.png`) });
        await page.close();
      }
    }
    await ctx.close();
  }
  console.log("screenshots in " + dir);
} finally {
  await S.stop();
}
