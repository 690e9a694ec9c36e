// The window: a header with navigation, the training banner and the
// network indicator, and one screen at a time chosen by the URL hash.
import "./style.css";
import { api } from "./api";
import { h, clear } from "./dom";
import { setLocale, setSystemLocale, systemLocale, t, type Locale } from "./i18n";
import { counterView } from "./views/counter";
import { ordersView } from "./views/orders";
import { orderView } from "./views/order";
import { settingsView } from "./views/settings";
import { payView } from "./views/pay";
import { paymentsView } from "./views/payments";
import { esimView } from "./views/esim";
import { reportView } from "./views/report";
import { vouchersView } from "./views/vouchers";
import { ticketsView } from "./views/tickets";
import { ticketView } from "./views/ticket";
import { ticketFormView } from "./views/ticketform";
import { receiptView } from "./views/receipt";
import { tillView } from "./views/till";
import { registerView } from "./views/register";
import { can, cashierBadge, lockScreen, startCashiers } from "./cashier";
import { shareBadge, startShare } from "./share";

const CONNECTIVITY_EVERY_MS = 30_000;

const app = document.getElementById("app")!;
const banner = h("div", { class: "training-banner", id: "training-banner", hidden: true });
const net = h("span", { class: "net", id: "net" });
const nav = h("nav", { class: "nav" });
const main = h("main", { id: "screen" });
let online = navigator.onLine;

function renderChrome(): void {
  banner.textContent = t("banner.training");
  const here = location.hash || "#/counter";
  clear(
    nav,
    (
      [
        ["#/counter", "nav.counter"],
        ["#/till", "nav.till"],
        ["#/orders", "nav.orders"],
        ["#/payments", "nav.payments"],
        ["#/tickets", "nav.tickets"],
        ["#/reports", "nav.reports"],
        ["#/register", "nav.register"],
        ["#/settings", "nav.settings"],
      ] as const
    )
      // What the cashier may not do is not offered (the core refuses it anyway).
      .filter(([href]) => !["#/settings", "#/register"].includes(href) || can("administer"))
      .map(([href, key]) => h("a", { href, id: `nav-${key.slice(4)}`, class: here.startsWith(href) ? "active" : "" }, t(key))),
  );
  renderNet();
}

function renderNet(): void {
  net.className = online ? "net online" : "net offline";
  net.textContent = online ? t("net.online") : t("net.offline");
  net.title = online ? "" : t("net.offline_hint");
}

async function checkConnectivity(): Promise<void> {
  try {
    online = navigator.onLine && (await api.connectivity()).online;
  } catch {
    online = false;
  }
  renderNet();
}

function route(): void {
  renderChrome();
  const hash = location.hash || "#/counter";
  const order = hash.match(/^#\/orders\/(.+)$/);
  const esim = hash.match(/^#\/esim\/(.+)$/);
  const vouchers = hash.match(/^#\/vouchers\/(.+)$/);
  const pay = hash.match(/^#\/pay\/(.+)$/);
  const ticket = hash.match(/^#\/tickets\/(.+)$/);
  const receipt = hash.match(/^#\/receipt\/(.+)$/);
  if (receipt) void receiptView(main, decodeURIComponent(receipt[1]));
  else if (hash.startsWith("#/till")) void tillView(main);
  else if (hash.startsWith("#/register")) registerView(main);
  else if (esim) void esimView(main, decodeURIComponent(esim[1]));
  else if (vouchers) void vouchersView(main, decodeURIComponent(vouchers[1]));
  else if (order) void orderView(main, decodeURIComponent(order[1]));
  else if (pay) void payView(main, decodeURIComponent(pay[1]));
  else if (hash === "#/tickets/new") void ticketFormView(main);
  else if (ticket) void ticketView(main, decodeURIComponent(ticket[1]));
  else if (hash.startsWith("#/tickets")) ticketsView(main);
  else if (hash.startsWith("#/payments")) paymentsView(main);
  else if (hash.startsWith("#/orders")) ordersView(main);
  else if (hash.startsWith("#/settings")) void settingsView(main, applyLocale);
  else if (hash.startsWith("#/reports")) reportView(main);
  else counterView(main);
}

/**
 * Someone else at the counter, or nobody: the tabs follow their rights, and
 * a screen they may not see (Settings, left open by the owner) is left for
 * the counter. Other screens stay as they were (a sale in progress is kept).
 */
function cashierChanged(): void {
  if (location.hash.startsWith("#/settings") && !can("administer")) location.hash = "#/counter";
  else renderChrome();
}

function applyLocale(chosen: Locale | null): void {
  setLocale(chosen ?? systemLocale());
  route();
}

async function start(): Promise<void> {
  clear(
    app,
    h("header", { class: "top" }, h("span", { class: "brand" }, "Comptoir"), nav, cashierBadge(), net),
    banner,
    shareBadge(),
    main,
    lockScreen(),
  );
  const [prefs, status] = await Promise.all([api.preferences().catch(() => ({ locale: null, system: null })), api.status().catch(() => null)]);
  setSystemLocale(prefs.system);
  setLocale(prefs.locale ?? systemLocale());
  banner.hidden = !status?.training;
  await startCashiers(cashierChanged).catch(() => undefined);
  startShare();
  window.addEventListener("hashchange", route);
  window.addEventListener("online", () => void checkConnectivity());
  window.addEventListener("offline", () => void checkConnectivity());
  route();
  reportPainted();
  void checkConnectivity();
  setInterval(() => void checkConnectivity(), CONNECTIVITY_EVERY_MS);
}

/**
 * Tells the core once the first screen is drawn: on the counter, once its
 * catalog (or the word that it is empty) is on screen, two frames later.
 * The log keeps how long the start took; make bench times it.
 */
function reportPainted(): void {
  const drawn = () => {
    const catalog = document.querySelector("#catalog");
    return !catalog || catalog.childElementCount > 0 || !!document.querySelector("#catalog-info")?.textContent;
  };
  const done = () => {
    requestAnimationFrame(() => requestAnimationFrame(() => void api.painted(location.hash || "#/counter").catch(() => undefined)));
  };
  if (drawn()) return done();
  const watch = new MutationObserver(() => {
    if (!drawn()) return;
    watch.disconnect();
    done();
  });
  watch.observe(main, { childList: true, subtree: true, characterData: true });
}

void start();
