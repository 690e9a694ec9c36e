// The till in Chromium: the basket on the counter, the pay dialog (cash,
// card, both, the change), the receipt and what to give back, the till
// opened before the first sale, and the close counted note by note; in
// French and in English, with screenshots to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { serve, launch, open, baseAnswers, till } from "./harness.mjs";

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

/** Adds the eSIM, a top-up and the Zen eSIM, then removes the top-up. */
async function fillBasket(page) {
  await page.click(".card[data-id='esim-eu']");
  await page.click("#sale-add");
  await page.waitForSelector(".basket-line[data-line='1']");
  await page.click(".card[data-id='topup-fr']");
  await page.fill("#sale-line", "0684587587");
  await page.press("#sale-line", "Enter");
  await page.waitForSelector(".basket-line[data-line='2']");
  await page.click(".card[data-id='esim-zen']");
  await page.click("#sale-add");
  await page.waitForSelector(".basket-line[data-line='3']");
  await page.click(".basket-line[data-line='2'] .basket-remove");
  await page.waitForFunction(() => !document.querySelector(".basket-line[data-line='2']"));
}

for (const [locale, words] of [
  ["fr-FR", { total: /49,90\s*€/, change: /50,10\s*€/, missing: /Il manque/, cash: "Espèces" }],
  ["en-GB", { total: /€49\.90/, change: /€50\.10/, missing: /Still due/, cash: "Cash" }],
]) {
  test(`a basket of several lines, paid in cash with the change in large type (${locale})`, async () => {
    const app = await open(browser, server.url, baseAnswers(till()), { locale });
    const { page } = app;
    await fillBasket(page);
    assert.match(await page.textContent("#basket-total"), words.total, "the total always in sight");
    await page.screenshot({ path: new URL(`basket-${locale}.png`, shots).pathname });
    await page.click("#basket-pay");
    await page.waitForSelector("#pay-dialog");
    assert.equal(await page.isDisabled("#pay-confirm"), true, "nothing paid yet");
    await page.fill("#pay-cash", "20");
    assert.match(await page.textContent("#pay-change"), words.missing);
    await page.click("[data-note='100']");
    assert.match(await page.textContent("#pay-change-amount"), words.change);
    await page.screenshot({ path: new URL(`pay-cash-${locale}.png`, shots).pathname });
    await page.click("#pay-confirm");
    await page.waitForSelector("#receipt");
    assert.match(await page.textContent("#receipt-change"), words.change);
    assert.match(await page.textContent("#receipt-payments"), new RegExp(words.cash));
    assert.deepEqual(app.calls().find(([c]) => c === "basket_pay")[1], { given: { cash: 10000, card: null }, customerRef: null });
    await page.screenshot({ path: new URL(`receipt-${locale}.png`, shots).pathname, fullPage: true });
    // The next customer starts with an empty basket.
    await page.click("#receipt-next");
    await page.waitForSelector("#basket-empty");
    assert.deepEqual(app.errors, []);
    await app.close();
  });
}

test("split: 20 € in cash and the rest by card, with the terminal's authorisation", async () => {
  const app = await open(browser, server.url, baseAnswers(till()), { locale: "fr-FR" });
  const { page } = app;
  await fillBasket(page);
  await page.click("#basket-pay");
  await page.fill("#pay-cash", "20,00");
  await page.click("#pay-card-rest");
  assert.equal(await page.inputValue("#pay-card"), "29,90");
  assert.match(await page.textContent("#pay-change-amount"), /0,00\s*€/);
  await page.fill("#pay-auth", "123456");
  await page.screenshot({ path: new URL("pay-split-fr-FR.png", shots).pathname });
  await page.click("#pay-confirm");
  await page.waitForSelector("#receipt");
  assert.deepEqual(app.calls().find(([c]) => c === "basket_pay")[1], { given: { cash: 2000, card: 2990, authorisation: "123456" }, customerRef: null });
  assert.match(await page.textContent("#receipt-payments"), /Carte bancaire\s*29,90\s*€ · 123456/);
  await app.close();
});

test("a card above what is due, or an amount that is not one, is refused before anything is sent", async () => {
  const app = await open(browser, server.url, baseAnswers(till()), { locale: "en-GB" });
  const { page } = app;
  await fillBasket(page);
  await page.click("#basket-pay");
  await page.fill("#pay-card", "60");
  assert.match(await page.textContent("#pay-change"), /terminal gives no change/);
  assert.equal(await page.isDisabled("#pay-confirm"), true);
  await page.fill("#pay-card", "12,3,4");
  assert.match(await page.textContent("#pay-change"), /Unreadable amount/);
  assert.equal(await page.isDisabled("#pay-confirm"), true);
  await page.click("#pay-cancel");
  await page.waitForFunction(() => !document.querySelector("#pay-dialog"));
  assert.equal(app.calls().filter(([c]) => c === "basket_pay").length, 0);
  assert.equal(await page.locator(".basket-line").count(), 2, "the basket is kept");
  await app.close();
});

for (const locale of ["fr-FR", "en-GB"]) {
  test(`a line the provider refuses says plainly what to give back, and in which means (${locale})`, async () => {
    const app = await open(browser, server.url, baseAnswers(till({ refuse: ["esim-zen"] })), { locale });
    const { page } = app;
    await fillBasket(page);
    await page.click("#basket-pay");
    await page.fill("#pay-cash", "50");
    await page.click("#pay-confirm");
    await page.waitForSelector("#receipt-give-back");
    const said = await page.textContent("#receipt-give-back");
    if (locale === "fr-FR") assert.match(said, /Zen 12 Go non délivré : rendre 19,90\s*€ en espèces/);
    else assert.match(said, /Zen 12 Go not delivered: give back €19\.90 in cash/);
    assert.match(await page.textContent(".receipt-line[data-line='3']"), locale === "fr-FR" ? /Non délivré/ : /Not delivered/);
    // What was given back is its own ticket, naming this one; it prints apart.
    const correction = page.locator(".receipt-correction[data-correction='C1-000001-R1']");
    assert.match(await correction.textContent(), locale === "fr-FR" ? /Annulé en partie par le ticket C1-000001-R1 \(-19,90\s*€\)/ : /Partly cancelled by receipt C1-000001-R1 \(-€19\.90\)/);
    await correction.locator("button").click();
    await correction.locator(".correction-print-result").getByText(/Office/).waitFor();
    assert.deepEqual(app.calls().filter(([c]) => c === "print_receipt").map(([, a]) => a.number), ["C1-000001-R1"]);
    await page.screenshot({ path: new URL(`receipt-refund-${locale}.png`, shots).pathname, fullPage: true });
    await app.close();
  });
}

test("the pay dialog opens a closed till first, with the float counted", async () => {
  const app = await open(browser, server.url, baseAnswers(till({ open: false })), { locale: "fr-FR" });
  const { page } = app;
  await fillBasket(page);
  await page.click("#basket-pay");
  await page.waitForSelector("#till-float");
  await page.screenshot({ path: new URL("till-open-fr-FR.png", shots).pathname });
  await page.fill("#till-float", "150,00");
  await page.click("#till-open");
  await page.waitForSelector("#pay-cash");
  assert.deepEqual(app.calls().find(([c]) => c === "till_open")[1], { floatCents: 15000 });
  await app.close();
});

test("the basket the journal keeps is there again after a restart of the window", async () => {
  const answers = baseAnswers(till());
  const first = await open(browser, server.url, answers);
  await fillBasket(first.page);
  await first.close();
  const again = await open(browser, server.url, answers);
  await again.page.waitForSelector(".basket-line[data-line='3']");
  assert.equal(await again.page.locator(".basket-line").count(), 2);
  await again.page.click("#basket-clear").catch(() => undefined);
  await again.close();
});

for (const [locale, words] of [
  // In French the shop's database does not answer at the close: 3 sales wait.
  ["fr-FR", { diff: /\+13,00\s*€/, closed: /Caisse clôturée/, unshared: /^3 ventes de cette caisse n'ont pas pu être partagées avant la clôture/ }],
  ["en-GB", { diff: /\+€13\.00/, closed: /Till closed/ }],
]) {
  test(`the till: a cash out with its reason, the drawer counted note by note, closed with its difference (${locale})`, async () => {
    const answers = till();
    if (words.unshared) {
      const close = answers.till_close;
      answers.till_close = (args) => ({ ...close(args), unshared: 3 });
    }
    const app = await open(browser, server.url, baseAnswers(answers), { locale, hash: "#/till" });
    const { page } = app;
    await page.waitForSelector("#till-expected");
    await page.fill("#cash-amount", "12,50");
    await page.click("#cash-out");
    await page.waitForSelector("#cash-message .notice.error");
    await page.fill("#cash-amount", "12,50");
    await page.fill("#cash-reason", "fournisseur");
    await page.click("#cash-out");
    await page.waitForFunction(() => /137/.test(document.querySelector("#till-expected")?.textContent ?? ""));
    assert.deepEqual(app.calls().filter(([c]) => c === "till_cash").at(-1)[1], { putIn: false, amountCents: 1250, reason: "fournisseur" });
    await page.fill("#count-5000", "2");
    await page.fill("#count-2000", "1");
    await page.fill("#count-1000", "3");
    await page.fill("#count-50", "1");
    assert.equal(await page.inputValue("#till-counted"), locale === "fr-FR" ? "150,50" : "150.50");
    assert.match(await page.textContent("#till-difference"), words.diff);
    await page.screenshot({ path: new URL(`till-close-${locale}.png`, shots).pathname, fullPage: true });
    await page.click("#till-close");
    await page.waitForSelector("#till-closed-report");
    assert.match(await page.textContent("#till-closed-report"), words.closed);
    assert.deepEqual(app.calls().find(([c]) => c === "till_close")[1], { countedCents: 15050 });
    if (words.unshared) assert.match(await page.textContent("#till-unshared"), words.unshared);
    else assert.equal(await page.locator("#till-unshared").count(), 0, "nothing said when everything was shared");
    await page.click("#till-print");
    await page.waitForSelector("#till-print-result .notice.success");
    assert.deepEqual(app.calls().find(([c]) => c === "print_shift")[1], { shift: "S-1", to: "printer", layout: undefined });
    await page.screenshot({ path: new URL(`till-closed-${locale}.png`, shots).pathname, fullPage: true });
    await app.close();
  });
}

test("Settings › Till: the counter's code, the means the shop takes and the default one", async () => {
  const answers = baseAnswers({
    ...till(),
    shop_settings: { name: null, address: null, printer: null, system_printer: null, paper: "receipt" },
    system_printers: [],
    list_cashiers: [],
    keys_status: { local: null, server: null, ready: false },
    giftcard_settings: { retailers: [], hidden: [], face_values: [], culture: "fr-FR", cultures: ["fr-FR"] },
    till_settings: { counter: "C1", tenders: ["cash", "card", "internet-plus"], default_tender: "card" },
    set_till_settings: null,
  });
  const app = await open(browser, server.url, answers, { locale: "fr-FR", hash: "#/settings" });
  const { page } = app;
  await page.waitForSelector("#till-settings");
  await page.waitForFunction(() => document.querySelector("#till-counter")?.value === "C1");
  await page.fill("#till-counter", "CAISSE2");
  await page.uncheck("#till-tender-internet-plus");
  await page.selectOption("#till-default", "cash");
  await page.click("#till-settings-save");
  await page.waitForSelector("#till-settings-result .notice.success");
  assert.deepEqual(app.calls().find(([c]) => c === "set_till_settings")[1], { till: { counter: "CAISSE2", tenders: ["cash", "card"], default_tender: "cash" } });
  await page.evaluate(() => document.getElementById("till-settings")?.scrollIntoView());
  await page.screenshot({ path: new URL("settings-till-fr-FR.png", shots).pathname });
  await app.close();
});

const fiscal = {
  siret: "",
  fiscal_year_end: "12-31",
  taxes: [
    { provider: "orange-travel", kind: "esim", treatment: "vat:20", default: "vat:20" },
    { provider: "orange-travel", kind: "topup", treatment: "agent", default: "agent" },
    { provider: "amilon", kind: "giftcard", treatment: "vat:5.5", default: "mpv" },
    { provider: "internet-plus", kind: "payment", treatment: "agent", default: "agent" },
  ],
};

for (const locale of ["fr-FR", "en-GB"]) {
  test(`Settings › Register and VAT: the SIRET, the fiscal year's end and each kind's VAT, a refusal said (${locale})`, async () => {
    let refuse = true;
    const answers = baseAnswers({
      ...till(),
      shop_settings: { name: null, address: null, printer: null, system_printer: null, paper: "receipt" },
      system_printers: [],
      list_cashiers: [],
      keys_status: { local: null, server: null, ready: false },
      giftcard_settings: { retailers: [], hidden: [], face_values: [], culture: "fr-FR", cultures: ["fr-FR"] },
      till_settings: { counter: "C1", tenders: ["cash", "card"], default_tender: "card" },
      fiscal_settings: fiscal,
      set_fiscal_settings: () =>
        refuse ? ((refuse = false), { __reject: { kind: "invalid_input", code: "settings.bad_value", message: "x", params: { key: "shop.siret", reason: "a SIRET is 14 digits" } } }) : null,
    });
    const app = await open(browser, server.url, answers, { locale, hash: "#/settings" });
    const { page } = app;
    const fr = locale === "fr-FR";
    await page.waitForSelector("#fiscal-tax-amilon-giftcard");
    assert.equal(await page.inputValue("#fiscal-year-end"), "12-31");
    assert.match(await page.textContent("#fiscal-year-end option[value='12-31']"), fr ? /^31 décembre$/ : /^31 December$/);
    assert.match(await page.textContent("#fiscal-year-end option[value='02-28']"), fr ? /^fin février$/ : /^end of February$/);
    // A rate outside the list is shown as set; the default is named.
    assert.equal(await page.inputValue("#fiscal-tax-amilon-giftcard"), "vat:5.5");
    assert.match(await page.textContent("#fiscal-tax-amilon-giftcard option[value='vat:5.5']"), fr ? /TVA 5,5\s%/ : /VAT 5\.5%/);
    assert.match(await page.textContent("#fiscal-tax-amilon-giftcard option[value='mpv']"), fr ? /Bon polyvalent.*par défaut/ : /Multi-purpose voucher.*\(default\)/);
    assert.match(await page.textContent("label[for='fiscal-tax-orange-travel-topup']"), fr ? /Orange Travel B2B · Recharge/ : /Orange Travel B2B · Top-up/);
    await page.fill("#fiscal-siret", "12");
    await page.click("#fiscal-save");
    await page.waitForSelector("#fiscal-result .notice.error");
    assert.match(await page.textContent("#fiscal-result"), fr ? /un SIRET compte 14 chiffres/ : /a SIRET is 14 digits/);
    await page.fill("#fiscal-siret", "732 829 320 00074");
    await page.selectOption("#fiscal-year-end", "06-30");
    await page.selectOption("#fiscal-tax-orange-travel-topup", "vat:20");
    await page.click("#fiscal-save");
    await page.waitForSelector("#fiscal-result .notice.success");
    const saved = app.calls().filter(([c]) => c === "set_fiscal_settings").at(-1)[1].fiscal;
    assert.equal(saved.siret, "732 829 320 00074");
    assert.equal(saved.fiscal_year_end, "06-30");
    assert.deepEqual(saved.taxes.map((c) => c.treatment), ["vat:20", "vat:20", "vat:5.5", "agent"]);
    await page.evaluate(() => document.getElementById("fiscal-settings")?.scrollIntoView());
    await (await page.$("#fiscal-settings")).screenshot({ path: new URL(`settings-fiscal-${locale}.png`, shots).pathname });
    await app.close();
  });
}

/** Three closings as the core lists them, newest first. */
const closing = (seq, kind, period, from, to) => ({
  kind, period, from, to, seq, at: "2027-01-01T00:10:00+01:00", counter: "C1", receipts: 1, refunds: 0,
  period_total: 65, perpetual_total: 75, perpetual_absolute: 75, by_rate: [{ rate: 2000, base: 25, tax: 5, total: 30 }],
  out_of_scope: 35, tenders: [{ tender: "cash", amount: 50 }, { tender: "card", amount: 15 }], currency: "EUR",
  hash: "ab".repeat(32), signature: "c2ln", made: false,
});
const closings = [
  closing(3, "year", "2026-01-01/2026-12-31", "2026-01-01", "2026-12-31"),
  closing(2, "month", "2026-12", "2026-12-01", "2026-12-31"),
  closing(1, "day", "2026-12-31", "2026-12-31", "2026-12-31"),
];

for (const locale of ["fr-FR", "en-GB"]) {
  test(`the Register screen verifies the register and shows a defect plainly (${locale})`, async () => {
    let tampered = false;
    const answers = baseAnswers({
      register_key: "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAuf05nLkWDOxYyZoU6M4pXbp9sDZmvc94H/09dGz9xAs=\n-----END PUBLIC KEY-----\n",
      register_verify: () =>
        tampered
          ? { __reject: { kind: "tampered", code: "register.tampered", message: "receipt record 1 was changed after it was written", params: { chain: "receipt", seq: 1, what: "values" } } }
          : { records: 15, chains: { receipt: 7, refund: 1, print: 2, event: 2, closing: 3 }, cross_checked: 9, ok: true },
      register_closings: closings,
      print_closing: { order: "closing 3", to: "default", job: "7" },
      choose_file: ({ name }) => `/media/usb/comptoir-registre-${name}.zip`,
      register_archive: ({ from, to, path }) =>
        to > "2026-12-31"
          ? { __reject: { kind: "invalid_input", code: "register.bad_period", message: "an archive holds one fiscal year at most", params: {} } }
          : { from, to, path, records: { receipt: 7, closing: 3 }, files: {} },
    });
    const app = await open(browser, server.url, answers, { locale, hash: "#/register" });
    const { page } = app;
    await page.waitForFunction(() => document.querySelector("#register-key")?.textContent?.includes("BEGIN PUBLIC KEY"));
    await page.click("#register-verify");
    await page.waitForSelector("#register-result .notice.success");
    assert.match(await page.textContent("#register-result"), locale === "fr-FR" ? /Registre intact : 15 enregistrements/ : /Register intact: 15 records/);
    assert.equal(await page.locator("#register-result .row").count(), 5);
    // The closings, newest first, with their totals; each prints.
    assert.equal(await page.locator("#register-closings tr[data-closing]").count(), 3);
    assert.equal(await page.getAttribute("#register-closings tbody tr:first-child", "data-kind"), "year");
    const day = await page.textContent('#register-closings tr[data-kind="day"]');
    assert.match(day, locale === "fr-FR" ? /Journée.*31 décembre 2026.*65,00\s€.*75,00\s€/ : /Day.*31 December 2026.*€65\.00.*€75\.00/);
    await page.click('#register-closings tr[data-kind="day"] .print-closing');
    await page.waitForSelector("#register-print-result .notice.success");
    assert.match(await page.textContent("#register-print-result"), locale === "fr-FR" ? /Ticket envoyé à l'imprimante par défaut\./ : /Ticket sent to the default printer\./);
    assert.deepEqual(app.calls().find(([c]) => c === "print_closing")[1], { seq: 1, to: "printer", layout: undefined });
    // The days are written day first, in both languages (a date input
    // showed 12/01/2026 in a French window); one that is not a day is
    // refused before anything is asked.
    assert.match(await page.inputValue("#register-from"), /^01\/\d\d\/\d{4}$/);
    await page.fill("#register-from", "31/02/2026");
    await page.click("#register-archive-go");
    await page.waitForSelector("#register-archive-result .notice.error");
    assert.equal(await page.getAttribute("#register-from", "aria-invalid"), "true");
    assert.equal(app.calls().filter(([c]) => c === "choose_file" || c === "register_archive").length, 0);
    // A closed period archived, and one too long refused in the shop's words.
    await page.fill("#register-from", "01/12/2026");
    await page.fill("#register-to", "31/12/2026");
    await page.click("#register-archive-go");
    await page.waitForSelector("#register-archive-result .notice.success");
    assert.match(await page.textContent("#register-archive-result"), /comptoir-registre-2026-12-01-2026-12-31\.zip \(10/);
    assert.deepEqual(app.calls().find(([c]) => c === "register_archive")[1], { from: "2026-12-01", to: "2026-12-31", path: "/media/usb/comptoir-registre-2026-12-01-2026-12-31.zip" });
    assert.equal(app.calls().find(([c]) => c === "choose_file")[1].purpose, "register_archive");
    await page.screenshot({ path: new URL(`register-${locale}.png`, shots).pathname, fullPage: true });
    await page.fill("#register-to", "31/01/2027");
    await page.click("#register-archive-go");
    await page.waitForSelector("#register-archive-result .notice.error");
    assert.match(await page.textContent("#register-archive-result"), locale === "fr-FR" ? /un exercice au plus/ : /one fiscal year at most/);
    tampered = true;
    await page.click("#register-verify");
    await page.waitForSelector("#register-result .notice.error");
    assert.match(await page.textContent("#register-result"), /receipt record 1 was changed/);
    await page.screenshot({ path: new URL(`register-defect-${locale}.png`, shots).pathname });
    await app.close();
  });
}
