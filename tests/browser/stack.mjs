// Starts what `make serve` runs (nginx + tc-search via deploy/serve.sh) on a
// free loopback port, with a site generated into a temporary folder, and
// headless Debian chromium. stop() ends everything, also after a failure.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = process.env.TC_BIN || path.join(ROOT, "build");

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// content: the sources to build, relative to the repository (the bundled
// content unless said).
export async function start({ content = "content" } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tc-browser-"));
  const out = path.join(tmp, "public");
  const index = path.join(tmp, "tc-index.sqlite");
  execFileSync(path.join(BIN, "tc-gen"), ["--content", path.join(ROOT, content),
    "--templates", path.join(ROOT, "templates"), "--output", out, "--index", index],
    { stdio: "ignore" });
  const port = await freePort();
  const serve = spawn(path.join(ROOT, "deploy", "serve.sh"),
    ["--port", String(port), "--root", out, "--index", index, "--bin", BIN],
    { detached: true, stdio: ["ignore", "pipe", "inherit"] });
  const stack = { tmp, out, base: `http://127.0.0.1:${port}`, serve, browser: null };
  const kill = () => { try { process.kill(-serve.pid, "SIGTERM"); } catch { /* gone */ } };
  process.on("exit", kill);
  stack.stop = async () => {
    if (stack.browser) await stack.browser.close().catch(() => {});
    if (serve.exitCode === null) {
      const done = new Promise((r) => serve.once("exit", r));
      kill();
      await Promise.race([done, new Promise((r) => setTimeout(r, 15000))]);
      try { process.kill(-serve.pid, "SIGKILL"); } catch { /* gone */ }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  };
  try {
    await new Promise((resolve, reject) => {
      let seen = "";
      serve.stdout.on("data", (b) => {
        seen += b;
        if (seen.includes("serving")) resolve();
      });
      serve.once("exit", (c) => reject(new Error("serve.sh exited with " + c)));
      setTimeout(() => reject(new Error("serve.sh did not start")), 20000);
    });
    stack.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  } catch (e) {
    await stack.stop();
    throw e;
  }
  return stack;
}
