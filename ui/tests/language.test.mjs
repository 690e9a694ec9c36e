// The window's language before the shop chooses one: the system's, as the
// core reads it (LC_ALL, LC_MESSAGES, LANG: what the command line speaks
// too), whatever the web view's own guess; the shop's choice wins over it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, open, baseAnswers } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

for (const [prefs, viewLocale, orders] of [
  [{ locale: null, system: "fr" }, "en-GB", "Commandes"],
  [{ locale: null, system: "en" }, "fr-FR", "Orders"],
  [{ locale: "en", system: "fr" }, "fr-FR", "Orders"],
  [{ locale: null, system: null }, "fr-FR", "Commandes"],
]) {
  test(`the window speaks ${orders === "Orders" ? "English" : "French"} for ${JSON.stringify(prefs)} in a ${viewLocale} web view`, async () => {
    const app = await open(browser, server.url, baseAnswers({ get_preferences: prefs }), { locale: viewLocale });
    const { page } = app;
    await page.waitForSelector("nav a[href='#/orders']");
    assert.equal((await page.textContent("nav a[href='#/orders']")).trim(), orders);
    assert.equal(await page.getAttribute("html", "lang"), orders === "Orders" ? "en" : "fr");
    await app.close();
  });
}
