// Runs the built UI (ui/dist) in a real Chromium with the Tauri IPC stood in
// for by fixtures: each test says what every command answers and then
// reads what the page shows and which commands it called with what.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

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

export const status = (over = {}) => ({
  version: "0.1.0",
  data_dir: "/tmp/comptoir",
  secret_store: "os",
  training: true,
  providers: [
    { provider: "orange-travel", name: "Orange Travel B2B", mode: "training", simulated: true },
    { provider: "amilon", name: "Amilon", mode: "error", simulated: false, error: { kind: "config", code: "provider.partial_credentials", message: "x", params: { provider: "amilon", missing: "COMPTOIR_AMILON_PASSWORD" } } },
  ],
  catalog_synced: [{ provider: "orange-travel", synced_at: "2026-11-22T10:00:00.000Z", items: 3 }],
  ...over,
});

export const items = [
  { provider: "orange-travel", id: "esim-eu", type: "esim", name: "Europe 30 Go", price: 30, cost: 27.5, currency: "EUR", stock: 120, available: true, unavailable_reason: null, supplier: "Orange France", countries: ["FR", "ES"], data_gb: 30, validity_days: 14, tags: [], synced_at: "2026-11-22T10:00:00.000Z" },
  { provider: "orange-travel", id: "esim-zen", type: "esim", name: "Zen 12 Go", price: 19.9, cost: 17.9, currency: "EUR", stock: 3, available: true, unavailable_reason: null, supplier: "Orange France", countries: ["FR"], data_gb: 12, validity_days: 14, tags: [], synced_at: "2026-11-22T10:00:00.000Z" },
  { provider: "orange-travel", id: "topup-fr", type: "topup", name: "Recharge Orange France 10 €", price: 10, cost: 7.92, currency: "EUR", stock: 101, available: true, unavailable_reason: null, supplier: "Orange France", countries: ["FR"], data_gb: 5, validity_days: 30, tags: [], recipient: "msisdn", synced_at: "2026-11-22T10:00:00.000Z" },
  { provider: "orange-travel", id: "esim-us", type: "esim", name: "USA 5 Go", price: 22, cost: 19, currency: "EUR", stock: 0, available: false, unavailable_reason: "out_of_stock", supplier: "Welcome Travelers", countries: ["US"], data_gb: 5, validity_days: 15, tags: [], synced_at: "2026-11-22T10:00:00.000Z" },
];

export const order = {
  id: "CPT-261122-7K3Q9X", provider: "orange-travel", kind: "topup", status: "delivered", provider_ref: "TRX-42",
  product_id: "o1", product_name: "Recharge Orange France 10 €", quantity: 1, customer_ref: "Dupont", phone: "684587587",
  sim_id: null, iccid: null, amount: 10, cost: 7.92, fees: 2.08, currency: "EUR", training: true, details: {},
  created_at: "2026-11-22T09:30:00.000Z", updated_at: "2026-11-22T09:30:01.000Z",
};

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

export const baseAnswers = (over = {}) => ({
  get_preferences: { locale: null },
  app_status: status(),
  connectivity: { online: true, providers: [] },
  catalog: (args) => items.filter((i) => !args.filter.type || i.type === args.filter.type),
  sync_catalog: [{ provider: "orange-travel", items: 3, training: true }],
  orders: { orders: [order], total: 1 },
  order: { order, events: [
    { seq: 1, at: "2026-11-22T09:30:00.000Z", event: "created", from_status: null, to_status: "pending", message: "" },
    { seq: 2, at: "2026-11-22T09:30:01.000Z", event: "status", from_status: "pending", to_status: "delivered", message: "ok" },
  ] },
  set_locale: null,
  keys_status: { local: null, server: null, ready: false },
  esim_card: {
    order_id: "CPT-E", product_name: "Europe 30 Go", activation_code: "LPA:1$smdp.io$K2-X",
    qr_svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    phone: "0612345678", iccid: "8933200000000000001", pin: "0000", puk: "71289750", data_gb: 30, validity_days: 14,
    kyc_url: "https://travel.orange.com/fr/orange-holidays", kyc_deadline: "2026-12-22",
  },
  ...over,
});
