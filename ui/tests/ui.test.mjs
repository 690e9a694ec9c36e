// UI tests in a real Chromium against the built UI.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, open, baseAnswers, order, items, forms, status, paymentView, till } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

test("the core hears once that the counter is painted, after its catalog is on screen", async () => {
  const app = await open(browser, server.url, baseAnswers());
  const { page } = app;
  await page.waitForSelector(".card[data-id='esim-eu']");
  await page.waitForTimeout(200);
  const painted = app.calls().filter(([c]) => c === "painted");
  assert.deepEqual(painted, [["painted", { view: "#/counter" }]]);
  const order = app.calls().map(([c]) => c);
  assert.ok(order.indexOf("catalog") < order.indexOf("painted"), "after the catalog was asked for");
  await app.close();
});

test("counter shows the catalog with stock, reasons, and the training banner", async () => {
  const app = await open(browser, server.url, baseAnswers());
  const { page } = app;
  await page.waitForSelector(".card[data-id='esim-eu']");
  assert.equal(await page.isVisible("#training-banner"), true);
  assert.match(await page.textContent("#training-banner"), /TRAINING MODE/);
  const us = page.locator(".card[data-id='esim-us']");
  assert.equal(await us.isDisabled(), true);
  assert.match(await us.textContent(), /Out of stock/);
  assert.match(await page.textContent(".card[data-id='esim-zen']"), /Only 3 left/);
  assert.match(await page.textContent(".card[data-id='esim-eu']"), /€30\.00/);
  // The catalog is refreshed in the background after showing the cache.
  await page.waitForFunction(() => true);
  await page.waitForTimeout(100);
  assert.ok(app.calls().some(([c]) => c === "sync_catalog"));
  assert.deepEqual(app.errors, []);
  await app.close();
});

test("picking a product shows it in the current sale with price and margin", async () => {
  const app = await open(browser, server.url, baseAnswers());
  const { page } = app;
  await page.click(".card[data-id='esim-zen']");
  assert.match(await page.textContent("#sale"), /Zen 12 Go/);
  assert.equal(await page.textContent("#sale-price"), "€19.90");
  assert.match(await page.textContent("#sale"), /Margin\s*€2\.00/);
  assert.equal(await page.getAttribute(".card[data-id='esim-zen']", "class"), "card selected low");
  await app.close();
});

test("tabs and search are sent to the core as a catalog filter", async () => {
  const app = await open(browser, server.url, baseAnswers());
  const { page } = app;
  await page.waitForSelector(".card");
  await page.click(".tab[data-type='esim']");
  await page.fill("#catalog-search", "FR");
  await page.selectOption("#filter-data", "10");
  await page.selectOption("#filter-days", "14");
  await page.waitForSelector("#filter-supplier option[value='Orange France']", { state: "attached" });
  await page.selectOption("#filter-supplier", "Orange France");
  await page.waitForTimeout(100);
  const last = app.calls().filter(([c]) => c === "catalog").at(-1);
  assert.deepEqual(last[1].filter, { type: "esim", search: "FR", supplier: "Orange France", category: undefined, min_data_gb: 10, min_validity_days: 14, limit: 61 });
  await app.close();
});

test("French system: French words and French amounts", async () => {
  const app = await open(browser, server.url, baseAnswers(), { locale: "fr-FR" });
  const { page } = app;
  await page.waitForSelector(".card[data-id='esim-zen']");
  assert.equal(await page.textContent("#nav-orders"), "Commandes");
  assert.match(await page.textContent("#training-banner"), /MODE FORMATION/);
  assert.match(await page.textContent(".card[data-id='esim-zen']"), /19,90\s€/);
  assert.match(await page.textContent(".card[data-id='esim-us']"), /Épuisé/);
  await app.close();
});

test("a provider error shows a translated sentence, and the cached catalog stays", async () => {
  const answers = baseAnswers({ sync_catalog: { __reject: { kind: "unavailable", code: "provider.unreachable", message: "x", params: { provider: "orange-travel" } } } });
  const app = await open(browser, server.url, answers, { locale: "fr-FR" });
  const { page } = app;
  await page.waitForSelector(".notice.warning");
  assert.match(await page.textContent(".notice.warning"), /injoignable/);
  assert.equal(await page.locator(".card").count(), 4);
  await app.close();
});

test("orders: an eSIM's line, which Orange gives already national, is grouped as the customer knows it", async () => {
  const esim = { ...order, id: "CPT-261122-ESIM01", kind: "esim", product_name: "Europe 30 Go", phone: "0680655762", iccid: "8933200000080655762" };
  const app = await open(browser, server.url, baseAnswers({ orders: { orders: [esim], total: 1, more: false } }), { hash: "#/orders" });
  const { page } = app;
  await page.waitForSelector("tr[data-id='CPT-261122-ESIM01']");
  assert.match(await page.textContent("tr[data-id='CPT-261122-ESIM01']"), /06 80 65 57 62/);
  await app.close();
});

test("offline indicator follows the core's connectivity check", async () => {
  const app = await open(browser, server.url, baseAnswers({ connectivity: { online: false, providers: [{ provider: "orange-travel", reachable: false }] } }));
  const { page } = app;
  await page.waitForSelector("#net.offline");
  assert.equal(await page.textContent("#net"), "Offline");
  await app.close();
});

test("orders: search goes to the journal, a row opens the order with its history", async () => {
  const app = await open(browser, server.url, baseAnswers(), { hash: "#/orders" });
  const { page } = app;
  await page.waitForSelector("tr[data-id='CPT-261122-7K3Q9X']");
  assert.equal(await page.textContent("#orders-count"), "1 order", "one order, not order(s)");
  assert.match(await page.textContent("tr[data-id='CPT-261122-7K3Q9X']"), /Dupont · 06 84 58 75 87/, "the number as the customer knows it");
  const shots = new URL("../../target/ui-shots/", import.meta.url);
  await import("node:fs").then((fs) => fs.mkdirSync(shots, { recursive: true }));
  await page.screenshot({ path: new URL("orders-en.png", shots).pathname });
  await page.fill("#orders-search", "6845");
  await page.selectOption("#orders-status", "delivered");
  await page.waitForTimeout(100);
  const last = app.calls().filter(([c]) => c === "orders").at(-1)[1].filter;
  assert.equal(last.search, "6845");
  assert.equal(last.status, "delivered");
  assert.equal(last.offset, 0);
  await page.click("tr[data-id='CPT-261122-7K3Q9X']");
  await page.waitForSelector("#order-events li");
  assert.equal(await page.locator("#order-events li").count(), 2);
  assert.match(await page.textContent(".order"), /TRX-42/);
  assert.match(await page.textContent(".order"), /06 84 58 75 87/);
  assert.match(await page.textContent(".order"), /Delivered/);
  await app.close();
});

test("orders: an earlier keystroke's answer that comes back last is not drawn over the latest one's", async () => {
  // "06 8" is slow to answer and finds nothing; "06 84" answers at once.
  const answer = ({ filter }) =>
    filter.search === "06 8"
      ? new Promise((done) => setTimeout(() => done({ orders: [], total: 0, more: false }), 500))
      : { orders: [order], total: 1, more: false };
  const app = await open(browser, server.url, baseAnswers({ orders: answer }), { hash: "#/orders" });
  const { page } = app;
  await page.waitForSelector("tr[data-id='CPT-261122-7K3Q9X']");
  await page.fill("#orders-search", "06 8");
  await page.fill("#orders-search", "06 84");
  await page.waitForTimeout(900);
  assert.equal(await page.locator("tr[data-id='CPT-261122-7K3Q9X']").count(), 1, "the latest search's order stays");
  assert.equal(await page.textContent("#orders-count"), "1 order");
  await app.close();
});

test("orders: past the core's count, more than 10,000, and the pages go on while full", async () => {
  const full = Array.from({ length: 50 }, (_, i) => ({ ...order, id: `CPT-261122-${String(i).padStart(6, "0")}` }));
  const pageOf = ({ filter }) => ({ orders: (filter.offset ?? 0) < 10050 ? full : full.slice(0, 7), total: 10000, more: true });
  for (const [locale, text] of [["fr-FR", /^Plus de 10\s000 commandes$/], ["en-GB", /^More than 10,000 orders$/]]) {
    const app = await open(browser, server.url, baseAnswers({ orders: pageOf }), { hash: "#/orders", locale });
    const { page } = app;
    await page.waitForSelector("#orders-count");
    assert.match(await page.textContent("#orders-count"), text);
    assert.equal(await page.isDisabled("#orders-next"), false, "a full page: there is a next one");
    await app.close();
  }
  const app = await open(browser, server.url, baseAnswers({ orders: ({ filter }) => ({ ...pageOf({ filter: { offset: 10100 } }), total: 10000 }) }), { hash: "#/orders" });
  await app.page.waitForSelector("#orders-count");
  assert.equal(await app.page.isDisabled("#orders-next"), true, "a short page is the last");
  await app.close();
});

test("an order that is not in the journal says so", async () => {
  const answers = baseAnswers({ order: { __reject: { kind: "invalid_input", code: "order.not_found", message: "x", params: { id: "CPT-X" } } } });
  const app = await open(browser, server.url, answers, { hash: "#/orders/CPT-X" });
  await app.page.waitForSelector(".notice.error");
  assert.match(await app.page.textContent(".notice.error"), /Order CPT-X is not in the journal/);
  await app.close();
});

test("an error naming order statuses, or why a value was refused, says them in French", async () => {
  const params = { id: "CPT-X", from: "delivered", to: "failed" };
  const answers = baseAnswers({ order: { __reject: { kind: "invalid_input", code: "order.bad_transition", message: "x", params } } });
  const app = await open(browser, server.url, answers, { locale: "fr-FR", hash: "#/orders/CPT-X" });
  await app.page.waitForSelector(".notice.error");
  const said = await app.page.textContent(".notice.error");
  assert.match(said, /ne peut pas passer de « Livrée » à « Échouée »/);
  assert.doesNotMatch(said, /delivered|failed/);
  await app.close();
  // Why a value was refused, written in English by the core, said in French.
  const reason = { key: "shop.siret", reason: "a SIRET is 14 digits" };
  const refused = baseAnswers({ order: { __reject: { kind: "invalid_input", code: "settings.bad_value", message: "x", params: reason } } });
  const again = await open(browser, server.url, refused, { locale: "fr-FR", hash: "#/orders/CPT-X" });
  await again.page.waitForSelector(".notice.error");
  assert.equal((await again.page.textContent(".notice.error")).trim(), "Valeur refusée pour shop.siret : un SIRET compte 14 chiffres.");
  await again.close();
});

test("settings: providers' modes, and the language switch is saved and applied", async () => {
  const app = await open(browser, server.url, baseAnswers(), { hash: "#/settings" });
  const { page } = app;
  await page.waitForSelector("#providers");
  assert.match(await page.textContent("tr[data-provider='orange-travel']"), /Training/);
  assert.match(await page.textContent("tr[data-provider='amilon']"), /COMPTOIR_AMILON_PASSWORD/);
  assert.match(await page.textContent("#settings-about"), /About Comptoir.*Version\s*0\.1\.0/s, "the core's version, under About");
  await (await page.$("#settings-about")).screenshot({ path: new URL("../../target/ui-shots/about-en-GB.png", import.meta.url).pathname });
  await page.selectOption("#settings-language", "fr");
  await page.waitForSelector("text=Réglages");
  assert.deepEqual(app.calls().find(([c]) => c === "set_locale")[1], { locale: "fr" });
  assert.equal(await page.textContent("#nav-counter"), "Comptoir");
  assert.match(await page.textContent("#settings-about"), /À propos de Comptoir.*Version\s*0\.1\.0/s);
  await (await page.$("#settings-about")).screenshot({ path: new URL("../../target/ui-shots/about-fr-FR.png", import.meta.url).pathname });
  await app.close();
});

test("a top-up line is added from the scanner's digits and Enter, ready for the next number", async () => {
  const app = await open(browser, server.url, baseAnswers(till()));
  const { page } = app;
  await page.click(".card[data-id='topup-fr']");
  assert.equal(await page.isDisabled("#sale-add"), true, "nothing to add without a number");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "sale-line", "the number field takes the scanner's input");
  await page.keyboard.type("0684587587");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".basket-line[data-line='1']");
  assert.match(await page.textContent("#basket"), /for 0684587587/);
  assert.match(await page.textContent("#basket-total"), /£10.00|€10.00/);
  const call = app.calls().find(([c]) => c === "basket_add")[1];
  assert.deepEqual(call, { line: { kind: "topup", offer: "topup-fr", msisdn: "0684587587", sim_id: null } });
  assert.equal(await page.inputValue("#sale-line"), "", "ready for the next number");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "sale-line", "and the scanner types into it");
  await app.close();
});

test("a line whose outcome is unknown is to settle on the receipt, which warns not to sell it again", async () => {
  const app = await open(browser, server.url, baseAnswers(till({ unknown: ["topup-fr"] })), { locale: "fr-FR" });
  const { page } = app;
  await page.click(".card[data-id='topup-fr']");
  await page.fill("#sale-line", "0684587587");
  await page.click("#sale-add");
  await page.waitForSelector(".basket-line");
  await page.click("#basket-pay");
  await page.click("#pay-exact");
  await page.fill("#pay-customer", "Dupont");
  await page.click("#pay-confirm");
  await page.waitForSelector("#receipt");
  assert.match(await page.textContent("#receipt"), /Ne le revendez pas/);
  assert.match(await page.textContent(".receipt-line[data-line='1']"), /À régulariser/);
  assert.deepEqual(app.calls().find(([c]) => c === "basket_pay")[1], { given: { cash: 1000, card: null }, customerRef: "Dupont" });
  await app.close();
});

test("a refused number is explained and can be corrected", async () => {
  const bad = { __reject: { kind: "invalid_input", code: "orange_travel.bad_msisdn", message: "x", params: { value: "12" } } };
  const app = await open(browser, server.url, baseAnswers({ ...till(), basket_add: bad }));
  const { page } = app;
  await page.click(".card[data-id='topup-fr']");
  await page.fill("#sale-line", "12");
  await page.press("#sale-line", "Enter");
  await page.waitForSelector("#sale-result .notice.error");
  assert.match(await page.textContent("#sale-result"), /not a French or Spanish mobile number/);
  assert.equal(await page.isDisabled("#sale-add"), false);
  assert.equal(await page.inputValue("#sale-line"), "12", "kept, to correct");
  await app.close();
});

test("an eSIM paid in the basket opens its QR screen from the receipt, with number, PIN, PUK and the KYC duty", async () => {
  const card = /** @type {any} */ (baseAnswers().esim_card);
  const app = await open(browser, server.url, baseAnswers({ ...till(), esim_card: (a) => ({ ...card, order_id: a.orderId }), print_ticket: (a) => ({ order: a.orderId, to: "Office", job: "Office-3" }) }));
  const { page } = app;
  await page.click(".card[data-id='esim-eu']");
  await page.click("#sale-add");
  await page.waitForSelector(".basket-line");
  await page.click("#basket-pay");
  await page.click("#pay-card-rest");
  await page.fill("#pay-auth", "A1B2C3");
  await page.click("#pay-confirm");
  await page.waitForSelector("#receipt");
  assert.equal(await page.evaluate(() => location.hash), "#/receipt/C1-000001");
  await page.click("a[data-qr='CPT-1']");
  await page.waitForSelector("#esim-qr");
  assert.deepEqual(app.calls().find(([c]) => c === "basket_pay")[1], { given: { cash: null, card: 3000, authorisation: "A1B2C3" }, customerRef: null });
  assert.deepEqual(app.calls().find(([c]) => c === "esim_card")[1], { orderId: "CPT-1" });
  assert.match(await page.getAttribute("#esim-qr", "src"), /^data:image\/svg\+xml;base64,/);
  const width = await page.evaluate(() => document.getElementById("esim-qr").getBoundingClientRect().width);
  assert.ok(width >= 300, `QR big enough to scan from the screen (${width}px)`);
  const text = await page.textContent("#esim-card");
  for (const needle of ["0612345678", "71289750", "travel.orange.com/fr/orange-holidays"]) assert.match(text, new RegExp(needle.replace(/\./g, "\\.")));
  assert.match(text, /22 December 2026/, "the KYC deadline in the app's language");
  // Print: the ticket goes to the computer's printer through the core.
  await page.click("#esim-print");
  await page.waitForSelector("#esim-print-result .notice.success");
  assert.match(await page.textContent("#esim-print-result"), /sent to the printer Office/);
  assert.deepEqual(app.calls().find(([c]) => c === "print_ticket")[1], { orderId: "CPT-1", to: "printer", layout: undefined, path: null }, "the paper set in Settings");
  await app.close();
});

test("without the shop's key, adding an eSIM says what to do", async () => {
  const noKey = { __reject: { kind: "config", code: "orange_travel.no_key", message: "x" } };
  const app = await open(browser, server.url, baseAnswers({ ...till(), basket_add: noKey }), { locale: "fr-FR" });
  const { page } = app;
  await page.click(".card[data-id='esim-eu']");
  await page.click("#sale-add");
  await page.waitForSelector("#sale-result .notice.error");
  assert.match(await page.textContent("#sale-result"), /envoyez-la dans Réglages/);
  await app.close();
});

test("settings: create the key, then upload it after confirming", async () => {
  let status = { local: null, server: null, ready: false };
  const answers = baseAnswers({
    keys_status: () => status,
    keys_generate: () => (status = { local: "64d817c4d2dda468", server: null, ready: false }),
    keys_upload: () => (status = { local: "64d817c4d2dda468", server: "64d817c4d2dda468", ready: true }),
  });
  const app = await open(browser, server.url, answers, { hash: "#/settings" });
  const { page } = app;
  page.on("dialog", (d) => d.accept());
  await page.waitForSelector("#keys-generate");
  assert.equal(await page.isDisabled("#keys-upload"), true, "nothing to upload yet");
  await page.click("#keys-generate");
  await page.waitForSelector("#key-local");
  assert.equal(await page.textContent("#key-local"), "64d817c4d2dda468");
  assert.deepEqual(app.calls().find(([c]) => c === "keys_generate")[1], { force: false });
  await page.click("#keys-upload");
  await page.waitForFunction(() => document.getElementById("key-server")?.textContent === "64d817c4d2dda468");
  assert.match(await page.textContent("#keys"), /Ready: eSIMs can be sold/);
  await app.close();
});

test("order page: SIM status and usage, with the age of a cached answer", async () => {
  const answers = baseAnswers({
    esim_status: { data: { status: "suspended kyc default" }, fetched_at: "2026-11-22T10:00:00.000Z", from_cache: false, meaning: "x" },
    esim_usage: {
      data: { buckets: [{ name: "Holiday", data_remaining: 13.2, data_unit: "Gb", airtime_remaining: 0, sms_remaining: 0, expiration_date: null }] },
      fetched_at: "2026-11-21T09:00:00.000Z",
      from_cache: true,
    },
  });
  const app = await open(browser, server.url, answers, { hash: "#/orders/CPT-261122-7K3Q9X", locale: "fr-FR" });
  const { page } = app;
  await page.click("#support-status");
  await page.waitForSelector(".sim-status");
  assert.match(await page.textContent("#support-result"), /pièce d'identité n'a pas été enregistrée/);
  await page.click("#support-usage");
  await page.waitForSelector("#support-result .notice.warning");
  assert.match(await page.textContent("#support-result"), /13,2 Gb/);
  assert.match(await page.textContent("#support-result"), /dernière réponse connue, du 21\/11\/2026/);
  assert.deepEqual(app.calls().find(([c]) => c === "esim_usage")[1], { orderId: "CPT-261122-7K3Q9X" });
  await app.close();
});

test("settings: Orange credentials are sent to the core and the secret field is emptied", async () => {
  const app = await open(browser, server.url, baseAnswers({ set_credentials: null }), { hash: "#/settings" });
  const { page } = app;
  await page.click("#credentials-orange-travel summary");
  await page.fill("#cred-orange-travel-client_id", "shop-42");
  await page.fill("#cred-orange-travel-client_secret", "s3cret");
  await page.click("#cred-orange-travel-save");
  await page.waitForSelector("#credentials-orange-travel-result .notice.success");
  assert.deepEqual(app.calls().find(([c]) => c === "set_credentials")[1], {
    provider: "orange-travel",
    values: { client_id: "shop-42", client_secret: "s3cret" },
  });
  assert.equal(await page.inputValue("#cred-orange-travel-client_secret"), "");
  assert.equal(await page.getAttribute("#cred-orange-travel-client_secret", "type"), "password");
  await app.close();
});

test("settings: every provider has its form from the core's fields; Amilon's is saved, tested and its status follows", async () => {
  let saved = false;
  const amilonLive = { provider: "amilon", name: "Amilon", mode: "live", simulated: true };
  const savedForms = () => {
    const f = forms();
    for (const field of f.find((x) => x.provider === "amilon").fields) {
      if (field.role === "secret") field.set = true;
      else if (field.role === "credential") (field.value = `v-${field.name}`), (field.set = true);
    }
    return f;
  };
  const app = await open(
    browser,
    server.url,
    baseAnswers({
      app_status: () => (saved ? status({ providers: [status().providers[0], amilonLive] }) : status()),
      provider_forms: () => (saved ? savedForms() : forms()),
      set_credentials: () => ((saved = true), null),
      test_connection: (args) =>
        args.provider === "amilon" && saved
          ? { provider: "amilon", training: false }
          : { __reject: { kind: "config", code: "auth.rejected", message: "x", provider_code: "invalid_grant" } },
    }),
    { hash: "#/settings" },
  );
  const { page } = app;
  // One form a provider, with the fields of the core's table.
  for (const f of forms()) {
    await page.waitForSelector(`#credentials-${f.provider}`);
    for (const field of f.fields) assert.ok(await page.$(`#cred-${f.provider}-${field.name}`), `${f.provider} ${field.name}`);
  }
  await page.click("#credentials-amilon summary");
  assert.equal(await page.getAttribute("#cred-amilon-culture", "placeholder"), "fr-FR");
  assert.equal(await page.getAttribute("#cred-amilon-password", "type"), "password");
  assert.equal(await page.textContent("#providers tr[data-provider=amilon]"), "AmilonIncompleteIncomplete credentials for amilon: COMPTOIR_AMILON_PASSWORD missing.");
  const values = { client_id: "b2b", client_secret: "cs", username: "shop.counter", password: "p w@d", contract_id: "c-1" };
  for (const [k, v] of Object.entries(values)) await page.fill(`#cred-amilon-${k}`, v);
  await page.click("#cred-amilon-save");
  await page.waitForSelector("#credentials-amilon-result .notice.success");
  assert.deepEqual(app.calls().find(([c]) => c === "set_credentials")[1], { provider: "amilon", values });
  // Redrawn from the core: the row says live, secrets show as saved, never their value.
  assert.match(await page.textContent("#providers tr[data-provider=amilon]"), /Live/);
  assert.equal(await page.inputValue("#cred-amilon-password"), "");
  assert.match(await page.getAttribute("#cred-amilon-password", "placeholder"), /saved/);
  assert.equal(await page.inputValue("#cred-amilon-client_id"), "v-client_id");
  await page.click("#cred-amilon-test");
  await page.waitForSelector("#credentials-amilon-result .notice.success");
  assert.match(await page.textContent("#credentials-amilon-result"), /Connected: Amilon gave a token/);
  // A refused test says what to do.
  await page.click("#credentials-orange-travel summary");
  await page.click("#cred-orange-travel-test");
  await page.waitForSelector("#credentials-orange-travel-result .notice.error");
  assert.match(await page.textContent("#credentials-orange-travel-result"), /refuses the credentials. Check them in Settings/);
  assert.deepEqual(app.errors, []);
  await app.close();
});

test("settings: an offer's name and fees are saved, a refusal is explained", async () => {
  let refuse = false;
  const answers = baseAnswers({
    customize_offer: () => (refuse ? { __reject: { kind: "invalid_input", code: "offers.bad_fees", message: "x" } } : null),
  });
  const app = await open(browser, server.url, answers, { hash: "#/settings" });
  const { page } = app;
  const row = page.locator("tr[data-offer='topup-fr']");
  await row.locator("input").first().fill("Recharge 10 € boutique");
  await row.locator("input.fees").fill("1.5");
  await row.locator("select").selectOption("percent");
  await row.locator("button").click();
  await page.waitForFunction(() => document.querySelector("tr[data-offer='topup-fr'] .muted")?.textContent === "Offer updated.");
  assert.deepEqual(app.calls().find(([c]) => c === "customize_offer")[1], {
    offerId: "topup-fr", name: "Recharge 10 € boutique", fees: 1.5, feesType: "percent",
  });
  refuse = true;
  await row.locator("button").click();
  await page.waitForFunction(() => /positive number/.test(document.querySelector("tr[data-offer='topup-fr'] .muted")?.textContent ?? ""));
  await app.close();
});

test("settings: back the key up to a file, and restore it after confirming", async () => {
  const answers = baseAnswers({
    keys_status: { local: "64d817c4d2dda468", server: "64d817c4d2dda468", ready: true },
    keys_backup_suggestion: "/home/shop/Documents/comptoir-key-64d817c4d2dda468.pem",
    keys_backup: (a) => (a.passphrase === a.confirm ? null : { __reject: { kind: "invalid_input", code: "secret.mismatch", message: "x" } }),
    keys_restore: { local: "64d817c4d2dda468", server: "64d817c4d2dda468", ready: true },
    choose_file: "/media/usb/cle.pem",
  });
  const app = await open(browser, server.url, answers, { hash: "#/settings" });
  const { page } = app;
  page.on("dialog", (d) => d.accept());
  await page.waitForFunction(() => document.getElementById("backup-path")?.value.endsWith(".pem"));
  await page.fill("#backup-pass", "horse battery staple");
  await page.fill("#backup-again", "horse battery stapel");
  await page.click("#backup-save");
  await page.waitForSelector("#backup-result .notice.error");
  assert.match(await page.textContent("#backup-result"), /passphrases differ/);
  await page.fill("#backup-again", "horse battery staple");
  await page.click("#backup-save");
  await page.waitForSelector("#backup-result .notice.success");
  assert.deepEqual(app.calls().filter(([c]) => c === "keys_backup").at(-1)[1], {
    path: "/home/shop/Documents/comptoir-key-64d817c4d2dda468.pem", passphrase: "horse battery staple", confirm: "horse battery staple",
  });
  assert.equal(await page.inputValue("#backup-pass"), "", "passphrases are not kept on screen");
  // Browse: the system's dialog starts from the field's path and fills it.
  await page.click("#backup-browse");
  await page.waitForFunction(() => document.getElementById("backup-path").value === "/media/usb/cle.pem");
  assert.deepEqual(app.calls().find(([c]) => c === "choose_file")[1], {
    purpose: "keys_backup", title: "Save the keys' backup", name: "/home/shop/Documents/comptoir-key-64d817c4d2dda468.pem",
    buttons: { cancel: "Cancel", open: "Open", save: "Save", folder: "Choose this folder" }, language: "en",
  });
  await page.fill("#backup-pass", "horse battery staple");
  await page.click("#backup-restore");
  await page.waitForFunction(() => true);
  await page.waitForTimeout(100);
  assert.equal(app.calls().find(([c]) => c === "keys_restore")[1].force, true, "replacing a key needs the confirmation");
  await app.close();
});

test("an order of unknown outcome can be checked with the provider from its page; a provider that cannot answer is explained", async () => {
  let status = "unknown";
  let reachable = false;
  const answers = baseAnswers({
    order: () => ({ order: { ...order, status }, events: [], sold_at: null }),
    reconcile: () => {
      if (!reachable) {
        return { settled: [], unsettled: [{ order: order.id, error: { kind: "unavailable", code: "provider.unreachable", message: "x", params: { provider: "Orange Travel" } } }] };
      }
      status = "delivered";
      return { settled: [{ order: order.id, from: "unknown", to: "delivered" }], unsettled: [] };
    },
  });
  const app = await open(browser, server.url, answers, { hash: `#/orders/${order.id}` });
  const { page } = app;
  await page.waitForSelector("#order-reconcile");
  assert.match(await page.textContent(".order"), /do not sell it again/);
  await page.click("#order-reconcile");
  await page.waitForSelector("#reconcile-result .notice.error");
  assert.doesNotMatch(await page.textContent("#reconcile-result"), /provider\.unreachable/, "in words, not a code");
  assert.equal(await page.isVisible(".status.unknown"), true, "still unknown");
  reachable = true;
  await page.click("#order-reconcile");
  await page.waitForSelector(".status.delivered");
  assert.equal(await page.isVisible("#order-reconcile"), false, "settled: nothing left to check");
  await app.close();
});

test("reports: today's sales per provider and kind, with totals, chart and orders to settle", async () => {
  const line = (kind, sales, amount, cost, currency = "EUR") => ({ provider: "orange-travel", kind, currency, sales, amount, cost, fees: amount - cost, margin: amount - cost, refunds: 0, refunded: 0, cancellations: 0 });
  const report = {
    from: "2026-11-22", to: "2026-11-22",
    lines: [line("esim", 1, 30, 27.5), line("topup", 2, 30, 23.92), { ...line("giftcard", 1, 25, 22, "GBP"), provider: "amilon" }],
    totals: [{ ...line(null, 3, 60, 51.42), provider: null, kind: null }, { ...line(null, 1, 25, 22, "GBP"), provider: null, kind: null }],
    to_settle: ["CPT-261122-OPEN01"],
    tenders: [{ tender: "cash", taken: 45, refunded: 10 }, { tender: "card", taken: 40, refunded: 0 }],
    training_left_out: 12,
  };
  const app = await open(browser, server.url, baseAnswers({ report }), { hash: "#/reports", locale: "fr-FR" });
  const { page } = app;
  await page.waitForSelector("#report-table");
  // The till's takings split by means, with what was given back.
  assert.match(await page.textContent("#report-tenders tr[data-tender='cash']"), /Espèces\s*45,00\s€\s*10,00\s€/);
  assert.match(await page.textContent("#report-tenders tr[data-tender='card']"), /Carte bancaire\s*40,00\s€/);
  const call = app.calls().find(([c]) => c === "report")[1];
  assert.equal(call.from, call.to, "today by default");
  assert.match(call.from, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(await page.locator("#report-chart .chart-row").count(), 3);
  const totals = await page.locator("#report-table tr.total").allTextContents();
  assert.equal(totals.length, 2, "one total per currency, never added");
  assert.match(totals[0], /Total EUR/);
  assert.match(totals[0], /60,00\s€/);
  assert.match(totals[0], /8,58\s€/);
  assert.match(totals[1], /Total GBP.*25,00\s£/);
  assert.match(await page.textContent("#report-body"), /CPT-261122-OPEN01/);
  assert.equal(await page.textContent("#report-training"), "12 commandes de formation ne sont pas comptées.", "what training left out, counted");
  await page.screenshot({ path: new URL("../../target/ui-shots/report-fr-FR.png", import.meta.url).pathname, fullPage: true });
  // The day is shown and typed day first, in the app's language (a
  // date input would follow the system's: 11/01/2026, month first).
  assert.match(await page.inputValue("#report-from"), /^\d\d\/\d\d\/\d{4}$/);
  assert.equal(await page.getAttribute("#report-from", "placeholder"), "jj/mm/aaaa");
  await page.fill("#report-from", "1/11/2026");
  await page.dispatchEvent("#report-from", "change");
  await page.waitForTimeout(100);
  assert.equal(app.calls().filter(([c]) => c === "report").at(-1)[1].from, "2026-11-01");
  assert.equal(await page.inputValue("#report-from"), "01/11/2026");
  // Not a day: marked, and no report asked for it.
  const asked = app.calls().filter(([c]) => c === "report").length;
  await page.fill("#report-from", "31/02/2026");
  await page.dispatchEvent("#report-from", "change");
  await page.waitForTimeout(100);
  assert.equal(await page.getAttribute("#report-from", "aria-invalid"), "true");
  assert.equal(app.calls().filter(([c]) => c === "report").length, asked);
  // Today, in the same form.
  await page.click("#report-today");
  await page.waitForTimeout(100);
  assert.match(await page.inputValue("#report-from"), /^\d\d\/\d\d\/\d{4}$/);
  assert.match(app.calls().filter(([c]) => c === "report").at(-1)[1].from, /^\d{4}-\d\d-\d\d$/);
  await app.close();
});

test("orders: kind, live-only and sort, and a CSV export with the current filters", async () => {
  let chosen = null;
  const app = await open(
    browser,
    server.url,
    baseAnswers({ choose_file: () => chosen, export_orders: (a) => a.path }),
    { hash: "#/orders" },
  );
  const { page } = app;
  await page.waitForSelector("tr[data-id]");
  await page.selectOption("#orders-kind", "esim");
  await page.check("#orders-live");
  await page.waitForTimeout(100);
  let f = app.calls().filter(([c]) => c === "orders").at(-1)[1].filter;
  assert.equal(f.kind, "esim");
  assert.equal(f.training, false);
  assert.equal(f.sort, "newest", "newest first unless chosen");
  await page.selectOption("#orders-sort", "highest");
  await page.waitForTimeout(100);
  f = app.calls().filter(([c]) => c === "orders").at(-1)[1].filter;
  assert.equal(f.sort, "highest");
  // Days typed day first, whatever the system's locale.
  assert.equal(await page.getAttribute("#orders-from", "placeholder"), "dd/mm/yyyy");
  await page.fill("#orders-from", "01/11/2026");
  await page.dispatchEvent("#orders-from", "change");
  await page.fill("#orders-to", "30.11.2026");
  await page.dispatchEvent("#orders-to", "change");
  await page.waitForTimeout(100);
  f = app.calls().filter(([c]) => c === "orders").at(-1)[1].filter;
  assert.equal(f.from, "2026-11-01");
  assert.equal(f.to, "2026-11-30");
  assert.equal(await page.inputValue("#orders-to"), "30/11/2026");
  assert.equal(f.offset, 0, "a new sort starts at the first page");
  // The system's dialog is asked where; cancelling it writes nothing.
  await page.click("#orders-export");
  await page.waitForFunction(() => document.getElementById("orders-export"));
  await page.waitForTimeout(150);
  assert.deepEqual(app.calls().find(([c]) => c === "choose_file")[1], { purpose: "orders_export", title: "Export orders (CSV)", name: null, buttons: { cancel: "Cancel", open: "Open", save: "Save", folder: "Choose this folder" }, language: "en" });
  assert.equal(app.calls().filter(([c]) => c === "export_orders").length, 0, "cancelled: nothing written");
  assert.equal(await page.textContent("#orders-exported"), "");
  chosen = "/media/usb/ventes.csv";
  await page.click("#orders-export");
  await page.waitForSelector("#orders-exported .notice.success");
  assert.match(await page.textContent("#orders-exported"), /\/media\/usb\/ventes\.csv/);
  const exp = app.calls().find(([c]) => c === "export_orders")[1];
  assert.equal(exp.path, "/media/usb/ventes.csv");
  assert.equal(exp.delimiter, ";");
  assert.equal(exp.filter.kind, "esim");
  assert.equal(exp.filter.sort, "highest", "the export keeps the screen's order");
  await app.close();
});

test("order page: print on the computer's printer, reprint as PDF, and a missing printer is explained", async () => {
  let printers = { __reject: { kind: "config", code: "printer.unknown", message: "x", params: { printer: "Comptoir-80" } } };
  const answers = baseAnswers({
    choose_file: (a) => `/home/shop/Documents/ticket-${a.name}-a4.pdf`,
    print_ticket: (a) =>
      a.to === "pdf" ? { order: a.orderId, to: a.path, job: null }
      : a.to === "thermal" ? { __reject: { kind: "config", code: "printer.not_set", message: "x" } }
      : printers,
  });
  const app = await open(browser, server.url, answers, { hash: `#/orders/${order.id}` });
  const { page } = app;
  await page.click("#ticket-a4");
  await page.waitForSelector("#ticket-result .notice.success");
  assert.match(await page.textContent("#ticket-result"), /ticket-CPT-261122-7K3Q9X-a4\.pdf/);
  assert.equal(app.calls().find(([c]) => c === "choose_file")[1].purpose, "ticket_pdf");
  await page.click("#ticket-thermal");
  await page.waitForSelector("#ticket-result .notice.error");
  assert.match(await page.textContent("#ticket-result"), /No thermal printer/);
  // The system printer named in Settings is gone: the sentence names it and says where to choose.
  await page.click("#ticket-print");
  await page.waitForFunction(() => /Comptoir-80/.test(document.getElementById("ticket-result").textContent));
  assert.match(await page.textContent("#ticket-result"), /no printer named Comptoir-80: choose one in Settings/);
  printers = { order: order.id, to: "default", job: "Office-12" };
  await page.click("#ticket-print");
  await page.waitForSelector("#ticket-result .notice.success");
  assert.match(await page.textContent("#ticket-result"), /Ticket sent to the default printer\./);
  const print = app.calls().filter(([c]) => c === "print_ticket").at(-1)[1];
  assert.equal(print.to, "printer");
  assert.equal(print.layout, undefined, "the paper set in Settings");
  await app.close();
});

test("settings: the shop's name, address and printers are saved; the computer's printers are offered", async () => {
  const answers = baseAnswers({
    shop_settings: { name: "Bazar", address: null, printer: null, system_printer: "Old-Printer", paper: "receipt" },
    system_printers: [{ name: "Office", default: true }, { name: "EPSON_TM-T20III", default: false }],
    set_shop_settings: null,
  });
  const app = await open(browser, server.url, answers, { hash: "#/settings" });
  const { page } = app;
  await page.waitForFunction(() => document.getElementById("shop-name")?.value === "Bazar");
  const options = await page.$$eval("#shop-system-printer option", (os) => os.map((o) => o.value));
  assert.deepEqual(options, ["", "Office", "EPSON_TM-T20III", "Old-Printer"], "the chosen printer stays listed");
  assert.equal(await page.inputValue("#shop-system-printer"), "Old-Printer");
  await page.selectOption("#shop-system-printer", "EPSON_TM-T20III");
  await page.selectOption("#shop-paper", "a4");
  await page.fill("#shop-address", "12 rue de la Gare");
  await page.fill("#shop-printer", "tcp://192.168.1.50:9100");
  await page.click("#shop-save");
  await page.waitForSelector("#shop-result .notice.success");
  assert.deepEqual(app.calls().find(([c]) => c === "set_shop_settings")[1], {
    shop: {
      name: "Bazar", address: "12 rue de la Gare", printer: "tcp://192.168.1.50:9100",
      system_printer: "EPSON_TM-T20III", paper: "a4",
    },
  });
  await app.close();
});

test("orders: a malformed import is refused with its line, a good one reloads the list", async () => {
  let good = false;
  const answers = baseAnswers({
    choose_file: "/media/usb/history.csv",
    import_orders: () => good ? { imported: 12, skipped: 3 } : { __reject: { kind: "invalid_input", code: "import.bad_line", message: "x", params: { line: 7, reason: "amount `x` is not an amount such as 12.50" } } },
  });
  const app = await open(browser, server.url, answers, { hash: "#/orders", locale: "fr-FR" });
  const { page } = app;
  assert.equal(await page.$("#orders-import-path"), null, "no path typed: the system's dialog");
  await page.click("#orders-import");
  await page.waitForSelector("#orders-exported .notice.error");
  assert.match(await page.textContent("#orders-exported"), /rien n'a été importé : ligne 7/);
  good = true;
  const before = app.calls().filter(([c]) => c === "orders").length;
  await page.click("#orders-import");
  await page.waitForSelector("#orders-exported .notice.success");
  assert.match(await page.textContent("#orders-exported"), /12 commandes importées, 3 déjà présentes\./);
  await page.waitForTimeout(100);
  assert.ok(app.calls().filter(([c]) => c === "orders").length > before, "the list reloads after an import");
  assert.deepEqual(app.calls().find(([c]) => c === "import_orders")[1], { path: "/media/usb/history.csv" });
  assert.deepEqual(app.calls().find(([c]) => c === "choose_file")[1], { purpose: "orders_import", title: "Importer des commandes (CSV)", name: null, buttons: { cancel: "Annuler", open: "Ouvrir", save: "Enregistrer", folder: "Choisir ce dossier" }, language: "fr" });
  await app.close();
});

// Gift cards (Amilon).
const PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>';
const giftcards = [
  { provider: "amilon", id: "FNAC_25_EUR", type: "giftcard", name: "Carte cadeau Fnac 25 €", price: 25, cost: 23.75, currency: "EUR", stock: null, available: true, unavailable_reason: null, supplier: "Fnac", countries: ["FR"], data_gb: null, validity_days: null, tags: ["retail"], recipient: null, logo: "0123456789abcdef.png", min_quantity: 1, max_quantity: 20, synced_at: "2026-11-22T10:00:00.000Z" },
  { provider: "amilon", id: "STEAM_20_EUR", type: "giftcard", name: "Carte cadeau Steam 20 €", price: 20, cost: 19.4, currency: "EUR", stock: null, available: true, unavailable_reason: null, supplier: "Steam", countries: ["FR"], data_gb: null, validity_days: null, tags: ["gaming"], recipient: null, logo: null, min_quantity: 1, max_quantity: 5, synced_at: "2026-11-22T10:00:00.000Z" },
];
const giftOrder = (status) => ({ ...order, id: "CPT-G", provider: "amilon", kind: "giftcard", status, product_name: "Carte cadeau Fnac 25 €", quantity: 2, amount: 50 });
const voucherCards = [1, 2].map((item) => ({
  item, code: `FNAC-AAAA-BBBB-000${item}`, pin: `123${item}`, url: null, expiry: "2027-11-22T23:59:59", value: 25, currency: "EUR",
  status: null, instructions: "Valable 12 mois", product_id: "FNAC_25_EUR", qr_payload: `FNAC-AAAA-BBBB-000${item}`, qr_svg: SVG,
}));
const giftAnswers = (over = {}) =>
  baseAnswers({
    catalog: (args) => [...items, ...giftcards].filter((i) => (!args.filter.type || i.type === args.filter.type) && (!args.filter.category || i.tags.includes(args.filter.category))),
    catalog_facets: { suppliers: ["Fnac", "Orange France", "Steam"], categories: ["gaming", "retail"] },
    catalog_logo: PIXEL,
    ...over,
  });

test("gift cards: by category with logos; quantity within limits, total and margin; the order waits for its vouchers", async () => {
  let waited = 0;
  const app = await open(browser, server.url, giftAnswers({
    ...till({ catalog: [...items, ...giftcards] }),
    order: { order: giftOrder("processing"), events: [], sold_at: null },
    wait_vouchers: async () => {
      waited += 1;
      await new Promise((ok) => setTimeout(ok, 1500));
      return giftOrder("delivered");
    },
    vouchers: voucherCards,
  }), { locale: "fr-FR" });
  const { page } = app;
  await page.click(".tab[data-type='giftcard']");
  await page.waitForSelector(".card[data-id='FNAC_25_EUR'] img.logo[src^='data:image/png']");
  assert.equal(await page.isVisible("#filter-category"), true);
  assert.equal(await page.isVisible("#filter-data"), false, "data filters are for eSIMs");
  // Amilon's categories are English slugs: the shop reads its own words.
  assert.match(await page.textContent(".card[data-id='FNAC_25_EUR'] .countries"), /^Fnac · magasins$/);
  assert.match(await page.textContent("#filter-category option[value='gaming']"), /^jeux vidéo$/);
  await page.selectOption("#filter-category", "gaming");
  await page.waitForFunction(() => !document.querySelector(".card[data-id='FNAC_25_EUR']"));
  assert.equal(app.calls().filter(([c]) => c === "catalog").at(-1)[1].filter.category, "gaming");
  await page.selectOption("#filter-category", "");
  await page.click(".card[data-id='FNAC_25_EUR']");
  assert.match(await page.textContent("#sale"), /Marge\s*1,25\s*€/);
  await page.fill("#sale-quantity", "21");
  assert.equal(await page.isDisabled("#sale-add"), true, "above the card's maximum");
  await page.fill("#sale-quantity", "2");
  assert.match(await page.textContent("#sale-total"), /50,00\s*€/);
  await page.click("#sale-add");
  await page.waitForSelector(".basket-line");
  assert.match(await page.textContent("#basket"), /2 × Carte cadeau Fnac 25 €/);
  await page.click("#basket-pay");
  await page.click("[data-note='50']");
  await page.click("#pay-confirm");
  await page.click("a[data-vouchers='CPT-1']");
  await page.waitForSelector("#vouchers-waiting");
  assert.match(await page.textContent("#vouchers-waiting"), /Amilon prépare les bons/);
  await page.waitForSelector(".voucher[data-item='2']");
  assert.equal(waited, 1);
  assert.deepEqual(app.calls().find(([c]) => c === "basket_add")[1], { line: { kind: "giftcard", product: "FNAC_25_EUR", quantity: 2 } });
  const text = await page.textContent("#vouchers");
  for (const needle of ["FNAC-AAAA-BBBB-0001", "FNAC-AAAA-BBBB-0002", "1231", "Valable 12 mois", "Bon 2 sur 2", "22 novembre 2027"]) assert.ok(text.includes(needle), needle);
  assert.equal(await page.locator(".voucher img.qr").count(), 2);
  await page.click("#vouchers-hide");
  await page.waitForSelector("#catalog");
  assert.deepEqual(app.errors, []);
  await app.close();
});

test("gift cards: a refusal is explained, a late or failed order says what to do", async () => {
  const noFunds = { __reject: { kind: "refused", code: "amilon.insufficient_funds", message: "x", params: {} } };
  let app = await open(browser, server.url, giftAnswers({ ...till(), basket_add: noFunds }), { locale: "fr-FR" });
  await app.page.click(".tab[data-type='giftcard']");
  await app.page.click(".card[data-id='STEAM_20_EUR']");
  await app.page.click("#sale-add");
  await app.page.waitForSelector("#sale-result .notice.error");
  assert.match(await app.page.textContent("#sale-result"), /budget Amilon de la boutique est épuisé/);
  await app.close();

  app = await open(browser, server.url, giftAnswers({
    order: { order: giftOrder("processing"), events: [], sold_at: null },
    wait_vouchers: async () => {
      await new Promise((ok) => setTimeout(ok, 3000));
      return giftOrder("processing");
    },
    stop_waiting: null,
  }), { hash: "#/vouchers/CPT-G" });
  await app.page.click("#vouchers-stop");
  assert.deepEqual(app.calls().find(([c]) => c === "stop_waiting")[1], { orderId: "CPT-G" });
  await app.page.waitForSelector("#vouchers-wait-again");
  assert.match(await app.page.textContent("#vouchers"), /nothing will be ordered twice/);
  await app.close();

  app = await open(browser, server.url, giftAnswers({ order: { order: giftOrder("failed"), events: [], sold_at: null } }), { hash: "#/vouchers/CPT-G" });
  await app.page.waitForSelector("#vouchers .notice.error");
  assert.match(await app.page.textContent("#vouchers"), /did not deliver this order \(failed\)/);
  await app.close();
});

test("settings: gift-card retailers hidden and face values offered are sent to the core", async () => {
  const app = await open(browser, server.url, giftAnswers({
    giftcard_settings: {
      culture: "fr-FR", cultures: ["pt-PT", "fr-FR", "it-IT"], face_values: [],
      retailers: [
        { id: "tw", name: "Twitch", category: "gaming", logo: "0123456789abcdef.png", hidden: false },
        { id: "fn", name: "Fnac", category: "retail", logo: null, hidden: true },
      ],
    },
    set_retailer_hidden: 12,
    set_face_values: 8,
    set_culture: [],
  }), { hash: "#/settings" });
  const { page } = app;
  await page.waitForSelector("#giftcards-retailers input[data-retailer='tw']");
  assert.equal(await page.isChecked("input[data-retailer='fn']"), false, "hidden retailers are unticked");
  await page.uncheck("input[data-retailer='tw']");
  await page.waitForSelector("#giftcards-result .notice.success");
  assert.deepEqual(app.calls().find(([c]) => c === "set_retailer_hidden")[1], { retailer: "tw", hidden: true });
  await page.fill("#giftcards-values", "10 25,5");
  await page.click("#giftcards-values-save");
  await page.waitForFunction(() => /8 gift cards on sale/.test(document.querySelector("#giftcards-result")?.textContent ?? ""));
  assert.deepEqual(app.calls().find(([c]) => c === "set_face_values")[1], { values: [10, 25.5] });
  await page.selectOption("#giftcards-culture", "it-IT");
  await page.waitForTimeout(200);
  assert.deepEqual(app.calls().find(([c]) => c === "set_culture")[1], { culture: "it-IT" });
  await app.close();
});

test("order page: every history event is in words, a reveal included", async () => {
  const app = await open(browser, server.url, giftAnswers({
    order: { order: giftOrder("delivered"), events: [
      { seq: 1, at: "2026-11-22T09:30:00.000Z", event: "created", from_status: null, to_status: "pending", message: "" },
      { seq: 2, at: "2026-11-22T09:30:03.000Z", event: "reveal", from_status: null, to_status: null, message: "2 voucher(s) shown" },
      { seq: 3, at: "2026-11-22T09:31:00.000Z", event: "note", from_status: null, to_status: null, message: "ticket printed" },
    ], sold_at: null },
  }), { hash: "#/orders/CPT-G" });
  const { page } = app;
  await page.waitForSelector("#order-events li");
  const text = await page.textContent("#order-events");
  assert.match(text, /Secret shown/);
  assert.doesNotMatch(text, /event\./, "no untranslated key");
  assert.match(await page.textContent("#order-show-vouchers"), /Show vouchers/);
  await app.close();
});

test("order page: the history's notes, kept in the core's English, are read in French", async () => {
  const app = await open(browser, server.url, giftAnswers({
    order: { order: giftOrder("delivered"), events: [
      { seq: 1, at: "2026-11-22T09:30:00.000Z", event: "created", from_status: null, to_status: "pending", message: "" },
      { seq: 2, at: "2026-11-22T09:30:02.000Z", event: "status", from_status: "pending", to_status: "delivered", message: "Amilon answered" },
      { seq: 3, at: "2026-11-22T09:30:03.000Z", event: "reveal", from_status: null, to_status: null, message: "3 vouchers shown" },
      { seq: 4, at: "2026-11-22T09:31:00.000Z", event: "print", from_status: null, to_status: null, message: "ticket printed: /home/shop/ticket.pdf" },
      { seq: 5, at: "2026-11-22T09:32:00.000Z", event: "status", from_status: "delivered", to_status: "unknown", message: "journal.read_only" },
      { seq: 6, at: "2026-11-22T09:33:00.000Z", event: "status", from_status: "unknown", to_status: "delivered", message: "Réponse libre du fournisseur" },
    ], sold_at: null },
  }), { hash: "#/orders/CPT-G", locale: "fr-FR" });
  const { page } = app;
  await page.waitForSelector("#order-events li");
  const text = await page.textContent("#order-events");
  for (const french of ["réponse d'Amilon", "3 codes affichés", "Impression", "ticket imprimé : /home/shop/ticket.pdf", "lecture seule", "Réponse libre du fournisseur"]) {
    assert.ok(text.includes(french), `${french} in ${text}`);
  }
  for (const english of ["answered", "shown", "printed", "journal.read_only", "event."]) {
    assert.ok(!text.includes(english), `${english} in ${text}`);
  }
  await page.screenshot({ path: new URL("../../target/ui-shots/order-history-fr-FR.png", import.meta.url).pathname, fullPage: true });
  await app.close();
});

test("payments: a new payment opens the page's QR, a pasted return completes it", async () => {
  let state = "pending";
  const app = await open(
    browser,
    server.url,
    baseAnswers({
      pay_session: () => paymentView(),
      payment: () => (state === "pending" ? paymentView() : paymentView({ status: "delivered", provider_ref: "trx-1" }, { qr_svg: null })),
      pay_return: () => ((state = "delivered"), { ...paymentView().order, status: "delivered" }),
    }),
    { hash: "#/payments" },
  );
  const { page } = app;
  await page.waitForSelector("#pay-offer option[value='1111']", { state: "attached" });
  assert.match(await page.textContent("#pay-offer"), /Abonnement mensuel 2 €.*monthly subscription/);
  await page.fill("#pay-ip", "90.57.78.52");
  await page.fill("#pay-customer", "Dupont");
  await page.click("#pay-open");
  await page.waitForSelector("#pay-qr");
  assert.deepEqual(app.calls().find(([c]) => c === "pay_session")[1], { offerId: "458723", clientIp: "90.57.78.52", customerRef: "Dupont" });
  assert.match(page.url(), /#\/pay\/CPT-261201-PAY001$/);
  assert.match(await page.textContent("#pay-countdown"), /stays open 1[34]:\d\d/);
  assert.equal(await page.textContent("#pay-link"), "http://127.0.0.1:9/internet-plus/ppo/sid-1");
  await page.fill("#pay-return", "http://127.0.0.1:47813/internet-plus/return?trxId=t&h=x");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#pay .notice.success");
  assert.match(await page.textContent("#pay"), /Paid: delivered and confirmed/);
  assert.deepEqual(app.calls().find(([c]) => c === "pay_return")[1], { url: "http://127.0.0.1:47813/internet-plus/return?trxId=t&h=x" });
  assert.deepEqual(app.errors, []);
  await app.close();
});

test("payments: open payments show the time left, under 2 hours in red; a refused IP says what to do", async () => {
  const soon = paymentView({ id: "CPT-SOON", status: "processing" }, { seconds_left: 3600, transaction_id: "t1" });
  const later = paymentView({ id: "CPT-LATER", status: "processing" }, { seconds_left: 20 * 3600, transaction_id: "t2" });
  const app = await open(
    browser,
    server.url,
    baseAnswers({
      open_payments: [soon, later],
      pay_confirm: () => ({ ...later.order, status: "delivered" }),
      pay_session: { __reject: { kind: "invalid_input", code: "internet_plus.4042", message: "x", params: { value: "192.168.1.2" } } },
    }),
    { hash: "#/payments", locale: "fr-FR" },
  );
  const { page } = app;
  await page.waitForSelector("#payments-table tr[data-order='CPT-SOON']");
  assert.match(await page.textContent("tr[data-order='CPT-SOON'] td.late"), /1 h 00 avant la limite/);
  assert.equal(await page.$("tr[data-order='CPT-LATER'] td.late"), null);
  await page.click("tr[data-order='CPT-LATER'] button[data-action='confirm']");
  await page.waitForSelector("#payments-open-result .notice.success");
  assert.deepEqual(app.calls().find(([c]) => c === "pay_confirm")[1], { id: "CPT-LATER" });
  await page.fill("#pay-ip", "192.168.1.2");
  await page.click("#pay-open");
  await page.waitForSelector("#pay-new-result .notice.error");
  assert.match(await page.textContent("#pay-new-result"), /Box Orange ou Bouygues Telecom, sans VPN/);
  await app.close();
});

test("counter: a catalog of thousands draws a screenful and asks to narrow the search", async () => {
  const many = Array.from({ length: 5000 }, (_, n) => ({ ...giftcards[0], id: `FNAC_${n}_EUR`, name: `Carte cadeau Fnac ${n} €`, logo: null }));
  const app = await open(browser, server.url, giftAnswers({ catalog: (args) => many.slice(0, args.filter.limit ?? Infinity) }), { locale: "fr-FR" });
  const { page } = app;
  await page.waitForSelector("#catalog-more");
  assert.equal(await page.locator("#catalog .card").count(), 60);
  assert.match(await page.textContent("#catalog-more"), /^Plus de 60 produits : précisez la recherche/);
  const asked = app.calls().filter(([c]) => c === "catalog").map(([, a]) => a.filter.limit);
  assert.deepEqual([...new Set(asked)], [61], "never the whole catalog over IPC");
  await app.close();
});

test("counter: a search waits for a pause in typing, and a slow earlier answer never replaces a later one", async () => {
  const app = await open(
    browser,
    server.url,
    baseAnswers({
      catalog: (args) =>
        new Promise((ok) => {
          const q = (args.filter.search ?? "").toLowerCase();
          const found = items.filter((i) => i.name.toLowerCase().includes(q));
          // "europe" answers late, "zen" at once.
          setTimeout(() => ok(found), q === "europe" ? 700 : 5);
        }),
    }),
  );
  const { page } = app;
  await page.waitForSelector("#catalog .card");
  const before = app.calls().filter(([c]) => c === "catalog").length;
  await page.type("#catalog-search", "europe", { delay: 20 });
  await page.waitForTimeout(250);
  const typed = app.calls().filter(([c]) => c === "catalog").length - before;
  assert.equal(typed, 1, "one search for six letters");
  await page.fill("#catalog-search", "zen");
  await page.waitForTimeout(1200);
  const names = await page.locator("#catalog .card .name").allTextContents();
  assert.deepEqual(names, ["Zen 12 Go"], "the later search's answer stays");
  await app.close();
});

test("orders in French: days typed and shown day first, and a screenshot to look at", async () => {
  const app = await open(browser, server.url, baseAnswers(), { hash: "#/orders", locale: "fr-FR" });
  const { page } = app;
  await page.waitForSelector("tr[data-id]");
  assert.equal(await page.getAttribute("#orders-from", "placeholder"), "jj/mm/aaaa");
  await page.fill("#orders-from", "01/12/2026");
  await page.dispatchEvent("#orders-from", "change");
  await page.waitForTimeout(100);
  assert.equal(app.calls().filter(([c]) => c === "orders").at(-1)[1].filter.from, "2026-12-01");
  assert.equal(await page.textContent("#orders-count"), "1 commande");
  const shots = new URL("../../target/ui-shots/", import.meta.url);
  await import("node:fs").then((fs) => fs.mkdirSync(shots, { recursive: true }));
  await page.screenshot({ path: new URL("orders-fr.png", shots).pathname });
  assert.deepEqual(app.errors, []);
  await app.close();
});

test("a payment and the gift card it paid for link to each other; a refunded payment says the card stays valid (FR and EN screenshots)", async () => {
  const card = { ...order, id: "CPT-261204-CARD01", provider: "amilon", kind: "giftcard", product_name: "Carte cadeau Fnac 25 €", amount: 25, details: { paid_by: "CPT-261204-PAY001" } };
  const payment = {
    ...order, id: "CPT-261204-PAY001", provider: "internet-plus", kind: "payment", status: "refunded", product_name: "Fnac 25 €", amount: 25,
    details: { delivered_order: card.id, product_after_refund: "stays_valid", transaction_id: "trx-1" },
  };
  const answers = baseAnswers({ order: ({ id }) => ({ order: id === card.id ? card : payment, events: [] }) });
  const shots = new URL("../../target/ui-shots/", import.meta.url);
  await import("node:fs").then((fs) => fs.mkdirSync(shots, { recursive: true }));
  for (const [locale, stays] of [["fr-FR", /reste valable/], ["en-GB", /stays valid/]]) {
    const app = await open(browser, server.url, answers, { hash: `#/orders/${payment.id}`, locale });
    const { page } = app;
    await page.waitForSelector("[data-link='order.paid_for']");
    assert.equal(await page.textContent("[data-link='order.paid_for']"), card.id);
    assert.match(await page.textContent(".order"), stays);
    await page.screenshot({ path: new URL(`payment-link-${locale}.png`, shots).pathname });
    await page.click("[data-link='order.paid_for']");
    await page.waitForSelector("[data-link='order.paid_by']");
    assert.equal(await page.textContent("[data-link='order.paid_by']"), payment.id);
    assert.deepEqual(app.errors, []);
    await app.close();
  }
});
