// Runs the built UI (ui/dist) in a real Chromium with the Tauri IPC stood in
// for by fixtures: each test says what every command answers and then
// reads what the page shows and which commands it called with what.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export { status, items, order, baseAnswers, forms, paymentView, ticketForm, ticketView, cashiers, staff, till } from "./fixtures.mjs";

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist");
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };

export async function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    const file = path.join(dist, url.pathname === "/" ? "index.html" : url.pathname);
    if (!file.startsWith(dist) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/**
 * Opens the app with `answers` (command name → value, or function of args;
 * a value `{__reject: err}` makes the command fail with err).
 * Returns the page and `calls()` listing [command, args] in order.
 */
export async function open(browser, url, answers, { locale = "en-GB", hash = "" } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  const calls = [];
  await page.exposeFunction("__ipc", async (cmd, args) => {
    calls.push([cmd, args]);
    let answer = answers[cmd];
    if (typeof answer === "function") answer = answer(args);
    if (answer === undefined) return { __reject: { kind: "internal", code: "test.unanswered", message: cmd } };
    return answer;
  });
  await page.addInitScript(() => {
    window.__TAURI_INTERNALS__ = {
      invoke: async (cmd, args) => {
        const answer = await window.__ipc(cmd, args ?? {});
        if (answer && typeof answer === "object" && "__reject" in answer) throw answer.__reject;
        return answer ?? null;
      },
      transformCallback: () => 0,
      unregisterCallback: () => {},
    };
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(url + hash);
  return { page, calls: () => calls, errors, close: () => context.close() };
}
