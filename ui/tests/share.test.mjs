// Several counters in Chromium: the header's badge while the shop's
// database does not answer (the sales waiting, the oldest one's time, a
// click that tries again) and Settings › the shared database, in French
// and English, with screenshots to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { serve, launch, open, baseAnswers } from "./harness.mjs";
import { shareStatus, order } from "./fixtures.mjs";

let server, browser;
const shots = new URL("../../target/ui-shots/", import.meta.url);
before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** 10:42 today, in the browser's own zone (the badge says local time). */
const at1042 = () => {
  const d = new Date();
  d.setHours(10, 42, 0, 0);
  if (d.getTime() > Date.now()) d.setDate(d.getDate() - 1);
  return d.toISOString();
};

const waiting = () =>
  shareStatus({
    database: "postgres://comptoir@boutique:5432/comptoir",
    counter: "C2",
    unsent: 11,
    unsent_sales: 3,
    oldest_unsent_at: at1042(),
    oldest_unsent_sale_at: at1042(),
    last_push_at: at1042(),
    problem: "the shop's database cannot be reached (connection refused)",
  });

for (const [locale, words] of [
  ["fr-FR", { badge: "3 ventes non partagées (la plus ancienne : 10:42)", down: "injoignable", shared: "Tout est partagé." }],
  ["en-GB", { badge: "3 sales not shared (oldest: 10:42)", down: "unreachable", shared: "Everything is shared." }],
]) {
  test(`sales waiting for the shop's database are said in the header and sent on a click (${locale})`, async () => {
    let pushed = false;
    const app = await open(
      browser,
      server.url,
      baseAnswers({
        share_status: () => (pushed ? shareStatus({ database: "postgres://comptoir@boutique:5432/comptoir", counter: "C2", reachable: true }) : waiting()),
        share_push: () => ((pushed = true), shareStatus({ database: "postgres://comptoir@boutique:5432/comptoir", counter: "C2", reachable: true })),
      }),
      { locale },
    );
    const { page } = app;
    await page.waitForSelector("#share-badge:not([hidden])");
    assert.equal((await page.textContent("#share-badge")).trim(), words.badge);
    assert.match(await page.getAttribute("#share-badge", "title"), /connection refused/);
    await page.screenshot({ path: new URL(`share-badge-${locale}.png`, shots).pathname });
    await page.click("#share-badge");
    await page.waitForSelector("#share-badge[hidden]", { state: "attached" });
    assert.ok(app.calls().some(([c]) => c === "share_push"), "the click pushes");
    assert.deepEqual(app.errors, []);
    await app.close();
  });

  test(`Settings shows the shared database, this counter, the last push and what waits (${locale})`, async () => {
    let pushed = false;
    const answers = baseAnswers({
      shop_settings: { name: null, address: null, printer: null, system_printer: null, paper: "receipt" },
      system_printers: [],
      list_cashiers: [],
      keys_status: { local: null, server: null, ready: false },
      giftcard_settings: { retailers: [], hidden: [], face_values: [], culture: "fr-FR", cultures: ["fr-FR"] },
      till_settings: { counter: "C2", tenders: ["cash", "card"], default_tender: "card" },
      share_status: () => (pushed ? { ...waiting(), problem: null, reachable: true, unsent: 0, unsent_sales: 0, conflicts: 1 } : waiting()),
      share_push: () => ((pushed = true), { ...waiting(), problem: null, reachable: true, unsent: 0, unsent_sales: 0, conflicts: 1 }),
    });
    const app = await open(browser, server.url, answers, { locale, hash: "#/settings" });
    const { page } = app;
    await page.waitForSelector("#share-database");
    assert.equal(await page.textContent("#share-database"), "postgres://comptoir@boutique:5432/comptoir");
    assert.equal(await page.textContent("#share-counter"), "C2");
    assert.equal(await page.textContent("#share-reachable"), words.down);
    assert.match(await page.textContent("#share-unsent"), /11.*3/);
    assert.ok(
      app.calls().some(([c, a]) => c === "share_status" && a.check === true),
      "Settings asks the database itself (the badge only reads this counter's journal)",
    );
    await page.evaluate(() => document.getElementById("share")?.scrollIntoView());
    await page.screenshot({ path: new URL(`settings-share-${locale}.png`, shots).pathname });
    await page.click("#share-push");
    await page.waitForSelector("#share-result .notice.success");
    assert.equal(await page.textContent("#share-result"), words.shared);
    assert.equal(await page.textContent("#share-conflicts"), "1");
    assert.deepEqual(app.errors, []);
    await app.close();
  });
}

test("a counter working alone shows no badge and says so in Settings", async () => {
  const app = await open(browser, server.url, baseAnswers({
    shop_settings: { name: null, address: null, printer: null, system_printer: null, paper: "receipt" },
    system_printers: [],
    list_cashiers: [],
    keys_status: { local: null, server: null, ready: false },
    giftcard_settings: { retailers: [], hidden: [], face_values: [], culture: "fr-FR", cultures: ["fr-FR"] },
    till_settings: { counter: "C1", tenders: ["cash", "card"], default_tender: "card" },
  }), { locale: "fr-FR", hash: "#/settings" });
  const { page } = app;
  await page.waitForSelector("#share-alone");
  assert.equal(await page.isHidden("#share-badge"), true);
  await app.close();
});

for (const [locale, words] of [
  ["fr-FR", { everywhere: "Tous les comptoirs", counter: "Comptoir", soldAt: "Vendu au comptoir", offline: "seules les commandes de ce comptoir" }],
  ["en-GB", { everywhere: "Every counter", counter: "Counter", soldAt: "Sold at counter", offline: "only this counter's orders" }],
]) {
  test(`the Orders screen lists every counter's orders, and opens another counter's sale (${locale})`, async () => {
    const shared = shareStatus({ database: "postgres://comptoir@boutique:5432/comptoir", counter: "B", reachable: true });
    const atA = { ...order, id: "CPT-A-261122-7K3Q9X", customer_ref: "Martin" };
    let reachable = true;
    const app = await open(
      browser,
      server.url,
      baseAnswers({
        share_status: shared,
        orders_everywhere: () =>
          reachable
            ? { orders: [{ counter: "A", ...atA }, { counter: "B", ...order }], count: 2, offline: null }
            : { orders: [{ counter: "B", ...order }], count: 1, offline: "the shop's database cannot be reached" },
        order: (/** @type {{ id: string }} */ { id }) => (id === atA.id ? { order: atA, events: [], sold_at: "A" } : { order, events: [], sold_at: null }),
      }),
      { locale, hash: "#/orders" },
    );
    const { page } = app;
    await page.waitForSelector("label:has(#orders-everywhere):not([hidden])");
    assert.match(await page.textContent("label:has(#orders-everywhere)"), new RegExp(words.everywhere));
    await page.check("#orders-everywhere");
    await page.waitForSelector(`tr[data-id='${atA.id}']`);
    assert.ok((await page.textContent("#orders-table thead")).includes(words.counter));
    assert.equal((await page.textContent(`tr[data-id='${atA.id}'] td.at-counter`)).trim(), "A");
    await page.screenshot({ path: new URL(`orders-everywhere-${locale}.png`, shots).pathname });
    // The database goes away: this counter's own, said.
    reachable = false;
    await page.fill("#orders-search", "0");
    await page.waitForSelector("#orders-offline .notice");
    assert.match(await page.textContent("#orders-offline"), new RegExp(words.offline));
    assert.equal(await page.locator(`tr[data-id='${atA.id}']`).count(), 0);
    reachable = true;
    await page.fill("#orders-search", "");
    await page.waitForSelector(`tr[data-id='${atA.id}']`);
    assert.equal(await page.locator("#orders-offline .notice").count(), 0);
    // Another counter's sale opens: sold at A, its history left there.
    await page.click(`tr[data-id='${atA.id}'] td`);
    await page.waitForSelector(".order .rows");
    assert.match(await page.textContent(".order .rows"), new RegExp(`${words.soldAt}\\s*A`));
    assert.equal(await page.locator("#reconcile").count(), 0);
    await page.screenshot({ path: new URL(`order-elsewhere-${locale}.png`, shots).pathname });
    assert.deepEqual(app.errors, []);
    await app.close();
  });
}

test("a counter working alone is not offered every counter's orders", async () => {
  const app = await open(browser, server.url, baseAnswers({}), { locale: "fr-FR", hash: "#/orders" });
  const { page } = app;
  await page.waitForSelector("#orders-table tr[data-id]");
  // The screen asked whether this counter shares before deciding.
  for (let i = 0; i < 50 && !app.calls().some(([c]) => c === "share_status"); i++) await page.waitForTimeout(20);
  await page.waitForTimeout(50);
  assert.equal(await page.isHidden("label:has(#orders-everywhere)"), true);
  assert.ok(!app.calls().some(([c]) => c === "orders_everywhere"));
  await app.close();
});
