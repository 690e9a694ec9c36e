// The PIN pad in Chromium: signing in by clicks and by the keyboard
// (numeric keypad included), a wrong PIN and a lock said in words, the
// idle lock keeping the sale, switching cashier in two taps, and a
// manager's approval asked in place, in French and in English.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, open, baseAnswers, cashiers, staff } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

const rights = { owner: ["sell", "reveal_own_today", "reveal_any", "manage", "administer"], manager: ["sell", "reveal_own_today", "reveal_any", "manage"], cashier: ["sell", "reveal_own_today"] };
const pins = { Sophie: "48213597", Marc: "7314", "Léa": "2580" };
const shots = new URL("../../target/ui-shots/", import.meta.url);

/** Signs in on the lock screen's pad with the keyboard, and waits for the screen. */
async function signIn(page, name, pin) {
  await page.click(`[data-name='${name}']`);
  await page.keyboard.type(pin);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#lock-screen", { state: "hidden" });
}

/** A core with staff: sign_in checks the PIN; five wrong ones lock. */
function core(over = {}) {
  let actor = null;
  let wrong = 0;
  return baseAnswers({
    cashier_state: () => cashiers({ has_accounts: true, accounts: staff, actor, lock_minutes: 1, rights: actor ? rights[actor.role] : [] }),
    sign_in: ({ name, pin }) => {
      if (wrong >= 5) return { __reject: { kind: "invalid_input", code: "cashier.locked", message: "x", params: { name, minutes: 5 } } };
      if (pins[name] !== pin) {
        wrong += 1;
        if (wrong >= 5) return { __reject: { kind: "invalid_input", code: "cashier.locked", message: "x", params: { name, minutes: 5 } } };
        return { __reject: { kind: "invalid_input", code: "cashier.bad_pin", message: "x", params: { name, tries_left: 5 - wrong } } };
      }
      wrong = 0;
      actor = { name, role: staff.find((s) => s.name === name).role };
      return actor;
    },
    sign_out: () => ((actor = null), null),
    ...over,
  });
}

for (const [locale, words] of [["fr-FR", { who: /Qui êtes-vous/, wrong: /Code faux pour Léa : encore 4 essai/, locked: /verrouillé/, switch: "Changer de caissier" }], ["en-GB", { who: /Who are you/, wrong: /Wrong PIN for Léa: 4 more tries/, locked: /locked/, switch: "Switch cashier" }]]) {
  test(`PIN pad (${locale}): clicks and keyboard sign in, a wrong PIN and the lock in words, switching in two taps`, async () => {
    const app = await open(browser, server.url, core(), { locale });
    const { page } = app;
    await page.waitForSelector("#pin-pad");
    assert.match(await page.textContent("#pin-pad"), words.who);
    await page.screenshot({ path: new URL(`pinpad-${locale}.png`, shots).pathname });
    // Clicks: Léa, then 1 2 3 4, OK: wrong.
    await page.click("[data-name='Léa']");
    for (const k of ["1", "2", "3", "4", "ok"]) await page.click(`#pin-pad [data-key='${k}']`);
    await page.waitForFunction(() => document.querySelector("#pin-pad-error")?.textContent);
    assert.match(await page.textContent("#pin-pad-error"), words.wrong);
    // The keyboard, with the numeric keypad's keys: 2 5 8 0, Enter.
    for (const k of ["Numpad2", "Numpad5", "Numpad8", "Numpad0"]) await page.keyboard.press(k);
    assert.equal(await page.textContent("#pin-pad-dots"), "●●●●");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#lock-screen", { state: "hidden" });
    assert.equal(await page.textContent("#cashier-name"), "Léa");
    assert.equal(await page.isVisible("#nav-settings"), false, "a cashier is not offered Settings");
    // Two taps: the name, then switch.
    await page.click("#cashier-name");
    assert.equal(await page.textContent("#cashier-switch"), words.switch);
    await page.click("#cashier-switch");
    await page.waitForSelector("#pin-pad");
    assert.ok(app.calls().some(([c, a]) => c === "sign_out" && a.why === "logout"));
    // Five wrong PINs lock, said in words.
    await page.click("[data-name='Marc']");
    for (let i = 0; i < 5; i++) {
      await page.keyboard.type("0000");
      await page.keyboard.press("Enter");
      await page.waitForTimeout(50);
    }
    await page.waitForFunction(() => /5/.test(document.querySelector("#pin-pad-error")?.textContent ?? ""));
    assert.match(await page.textContent("#pin-pad-error"), words.locked);
    await page.screenshot({ path: new URL(`pinpad-locked-${locale}.png`, shots).pathname });
    assert.deepEqual(app.errors, []);
    await app.close();
  });
}

test("the window locks itself after the idle time and keeps the sale under the pad", async () => {
  const app = await open(browser, server.url, core());
  const { page } = app;
  await page.waitForSelector("#pin-pad");
  await signIn(page, "Léa", "2580");
  await page.click(".card[data-id='esim-zen']");
  assert.match(await page.textContent("#sale"), /Zen 12 Go/);
  // A minute and more without input (the clock moved on).
  await page.evaluate(() => {
    const now = Date.now();
    Date.now = () => now + 70_000;
  });
  await page.waitForSelector("#pin-pad", { timeout: 10_000 });
  assert.ok(app.calls().some(([c, a]) => c === "sign_out" && a.why === "lock"));
  assert.match(await page.textContent("#sale"), /Zen 12 Go/, "the sale is kept");
  await app.close();
});

for (const [locale, why] of [["fr-FR", /accord d'un responsable \(montrer les codes d'une autre vente\)/], ["en-GB", /a manager's approval \(show another sale's codes\)/]]) {
  test(`a manager approves one refused action in place (${locale})`, async () => {
    let approved = false;
    const card = baseAnswers().esim_card;
    const answers = core({
      esim_card: () => (approved ? card : { __reject: { kind: "invalid_input", code: "cashier.forbidden", message: "x", params: { right: "reveal_any", name: "Léa" } } }),
      approve: ({ name, pin }) => (pins[name] === pin && name !== "Léa" ? ((approved = true), { name, role: "manager" }) : { __reject: { kind: "invalid_input", code: "cashier.bad_pin", message: "x", params: { name, tries_left: 4 } } }),
      end_approval: () => ((approved = false), null),
    });
    const app = await open(browser, server.url, answers, { locale });
    const { page } = app;
    await page.waitForSelector("#pin-pad");
    await signIn(page, "Léa", "2580");
    // Léa opens yesterday's eSIM: refused, the approval pad asks a manager.
    await page.evaluate(() => (location.hash = "#/orders"));
    await page.evaluate(() => (location.hash = "#/esim/CPT-E"));
    await page.waitForSelector("#approval-pad");
    assert.match(await page.textContent("#approval-pad"), why);
    assert.equal(await page.locator("#approval-pad [data-name]").count(), 2, "managers and owners only");
    await page.screenshot({ path: new URL(`approval-${locale}.png`, shots).pathname });
    await page.click("#approval-pad [data-name='Marc']");
    await page.keyboard.type("1111");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("#approval-pad-error")?.textContent);
    await page.keyboard.type("7314");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#approval", { state: "detached" });
    await page.waitForFunction(() => document.body.textContent?.includes("71289750"));
    const names = app.calls().map(([c]) => c);
    assert.ok(names.lastIndexOf("end_approval") > names.lastIndexOf("esim_card"), "the approval ends with the action");
    assert.equal(approved, false);
    await app.close();
  });
}

test("the owner's Settings screen is not left open for the cashier who signs in after her", async () => {
  const app = await open(browser, server.url, core());
  const { page } = app;
  await page.waitForSelector("#pin-pad");
  await signIn(page, "Sophie", "48213597");
  await page.evaluate(() => (location.hash = "#/settings"));
  await page.waitForSelector("#nav-settings.active");
  await page.click("#cashier-name");
  await page.click("#cashier-switch");
  await signIn(page, "Léa", "2580");
  await page.waitForFunction(() => location.hash === "#/counter");
  assert.equal(await page.isVisible("#nav-settings"), false);
  await app.close();
});

for (const [locale, who, none] of [["fr-FR", "Caissier", "(avant les comptes)"], ["en-GB", "Cashier", "(before accounts)"]]) {
  test(`the report sums sales per cashier and the order page names who sold it (${locale})`, async () => {
    const line = (kind, sales, amount, cost) => ({ provider: "orange-travel", kind, currency: "EUR", sales, amount, cost, fees: amount - cost, margin: amount - cost, refunds: 0, refunded: 0, cancellations: 0 });
    const report = {
      from: "2026-12-04", to: "2026-12-04",
      lines: [line("esim", 2, 60, 55), line("topup", 1, 10, 7.92)],
      totals: [{ ...line(null, 3, 70, 62.92), provider: null, kind: null }],
      to_settle: [],
      by_cashier: [
        { cashier: null, currency: "EUR", sales: 1, amount: 10 },
        { cashier: "Léa", currency: "EUR", sales: 2, amount: 60 },
      ],
    };
    const base = baseAnswers();
    const sold = { ...base.order.order, cashier: "Léa" };
    const events = base.order.events.map((e) => ({ ...e, cashier: "Léa" }));
    const app = await open(browser, server.url, baseAnswers({ report, order: { order: sold, events, sold_at: null } }), { hash: "#/reports", locale });
    const { page } = app;
    await page.waitForSelector("#report-cashiers");
    assert.match(await page.textContent("#report-cashiers thead"), new RegExp(who));
    assert.match(await page.textContent("#report-cashiers tr[data-cashier='Léa']"), /60/);
    assert.match(await page.textContent("#report-cashiers"), new RegExp(none.replace(/[()]/g, "\\$&")));
    await page.screenshot({ path: new URL(`report-cashiers-${locale}.png`, shots).pathname, fullPage: true });
    await page.evaluate((id) => (location.hash = `#/orders/${id}`), sold.id);
    await page.waitForSelector("#order-events li");
    assert.match(await page.textContent(".order .rows"), /Léa/);
    assert.match(await page.textContent("#order-events"), /Léa/);
    await page.screenshot({ path: new URL(`order-cashier-${locale}.png`, shots).pathname });
    assert.deepEqual(app.errors, []);
    await app.close();
  });
}

test("Settings › Cashiers adds an account and resets a PIN (English, screenshot)", async () => {
  let list = staff.slice(0, 1);
  const app = await open(browser, server.url, baseAnswers({
    list_cashiers: () => list,
    add_cashier: ({ name, role }) => {
      const a = { name, role, active: true, locked_until: null };
      list = [...list, a];
      return a;
    },
    set_cashier_pin: ({ name }) => list.find((a) => a.name === name),
  }), { hash: "#/settings" });
  const { page } = app;
  await page.waitForSelector("#cashiers-table");
  await page.fill("#cashier-new-name", "Marc");
  await page.selectOption("#cashier-new-role", "manager");
  await page.fill("#cashier-new-pin", "7314");
  await page.click("#cashier-add");
  await page.waitForSelector("#cashiers-table tr[data-cashier='Marc']");
  const added = app.calls().find(([c]) => c === "add_cashier")[1];
  assert.deepEqual(added, { name: "Marc", role: "manager", pin: "7314" });
  assert.equal(await page.inputValue("#cashier-new-pin"), "", "the PIN field is emptied");
  await page.locator("#cashiers").scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL("settings-cashiers-en-GB.png", shots).pathname });
  await app.close();
});

for (const [locale, differ] of [["fr-FR", /Les deux codes diffèrent/], ["en-GB", /The two PINs differ/]]) {
  test(`a cashier changes her own PIN from her badge, typed twice (${locale})`, async () => {
    const app = await open(browser, server.url, core({ set_cashier_pin: ({ name }) => staff.find((s) => s.name === name) }), { locale });
    const { page } = app;
    await page.waitForSelector("#pin-pad");
    await signIn(page, "Léa", "2580");
    await page.click("#cashier-name");
    await page.screenshot({ path: new URL(`badge-menu-${locale}.png`, shots).pathname, clip: { x: 640, y: 0, width: 640, height: 220 } });
    await page.click("#cashier-own-pin");
    await page.waitForSelector("#own-pin-pad");
    await page.keyboard.type("1357");
    await page.keyboard.press("Enter");
    await page.keyboard.type("1358");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("#own-pin-pad-error")?.textContent);
    assert.match(await page.textContent("#own-pin-pad-error"), differ);
    await page.screenshot({ path: new URL(`own-pin-${locale}.png`, shots).pathname });
    assert.ok(!app.calls().some(([c]) => c === "set_cashier_pin"), "nothing sent while they differ");
    for (let i = 0; i < 2; i++) {
      await page.keyboard.type("1357");
      await page.keyboard.press("Enter");
    }
    await page.waitForSelector("#own-pin", { state: "detached" });
    assert.deepEqual(app.calls().filter(([c]) => c === "set_cashier_pin").map(([, a]) => a), [{ name: "Léa", pin: "1357" }]);
    assert.deepEqual(app.errors, []);
    await app.close();
  });
}
