// The voucher screen: waits for Amilon's vouchers with a visible count of
// seconds (the core does the polling and its backoff), then shows each
// voucher with its code, PIN, validity, link, instructions and QR code, to
// show or print. Leaving the screen hides them; the order page shows them
// again on demand, and each showing is recorded in the order's history.
import { api, asCoreError, type Order, type VoucherCard } from "../api";
import { h, clear } from "../dom";
import { errorText, t } from "../i18n";
import { day, money } from "../format";
import { notice } from "./notice";
import { printButton } from "./print";

export async function vouchersView(root: HTMLElement, orderId: string): Promise<void> {
  let order: Order;
  try {
    order = (await api.order(orderId)).order;
  } catch (e) {
    clear(root, notice(errorText(asCoreError(e)), "error"));
    return;
  }
  if (["pending", "processing", "unknown"].includes(order.status)) {
    order = await waiting(root, order);
    if (!location.hash.includes(encodeURIComponent(orderId))) return; // the cashier moved on
  }
  if (order.status === "delivered") await show(root, order);
  else if (["pending", "processing", "unknown"].includes(order.status)) late(root, order);
  else clear(root, h("section", { class: "vouchers", id: "vouchers" }, notice(t("vouchers.failed", { status: order.status }), "error"), actions(order)));
}

/** Shows the seconds passing while the core waits; Stop ends the wait. */
async function waiting(root: HTMLElement, order: Order): Promise<Order> {
  const started = Date.now();
  const text = h("p", { class: "waiting-text", id: "vouchers-waiting" });
  const tick = () => (text.textContent = t("vouchers.waiting", { s: Math.floor((Date.now() - started) / 1000) }));
  tick();
  const timer = setInterval(tick, 1000);
  const stop = h("button", { id: "vouchers-stop", onclick: () => void api.stopWaiting(order.id) }, t("vouchers.stop"));
  clear(
    root,
    h(
      "section",
      { class: "vouchers", id: "vouchers" },
      h("h1", {}, t("vouchers.title")),
      h("h2", {}, order.product_name),
      h("div", { class: "waiting", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), text),
      h("p", { class: "muted" }, t("vouchers.waiting_hint")),
      h("div", { class: "actions" }, stop),
    ),
  );
  try {
    return await api.waitVouchers(order.id);
  } catch (e) {
    clear(root, notice(errorText(asCoreError(e)), "error"), actions(order));
    return order;
  } finally {
    clearInterval(timer);
  }
}

function late(root: HTMLElement, order: Order): void {
  clear(
    root,
    h(
      "section",
      { class: "vouchers", id: "vouchers" },
      h("h1", {}, t("vouchers.title")),
      notice(t("vouchers.late"), "warning"),
      h(
        "div",
        { class: "actions" },
        h("button", { id: "vouchers-wait-again", class: "primary", onclick: () => void vouchersView(root, order.id) }, t("vouchers.wait_again")),
        h("a", { href: `#/orders/${encodeURIComponent(order.id)}`, class: "button" }, t("vouchers.order_page")),
      ),
    ),
  );
}

async function show(root: HTMLElement, order: Order): Promise<void> {
  let list: VoucherCard[];
  try {
    list = await api.vouchers(order.id);
  } catch (e) {
    clear(root, notice(errorText(asCoreError(e)), "error"), actions(order));
    return;
  }
  const row = (label: string, value: string | null, cls = "value mono") =>
    value && h("div", { class: "row" }, h("span", { class: "label" }, label), h("span", { class: cls }, value));
  clear(
    root,
    h(
      "section",
      { class: "vouchers", id: "vouchers" },
      h("h1", {}, t("vouchers.title")),
      h("h2", {}, `${order.product_name} × ${order.quantity}`),
      h(
        "div",
        { class: "voucher-list" },
        list.map((v) =>
          h(
            "article",
            { class: "voucher", "data-item": v.item },
            v.qr_svg && h("img", { class: "qr", alt: "QR code", src: `data:image/svg+xml;base64,${btoa(v.qr_svg)}` }),
            h(
              "div",
              { class: "voucher-info" },
              h("div", { class: "muted" }, t("vouchers.n", { n: v.item, total: list.length })),
              h("div", { class: "voucher-code mono" }, v.code ?? ""),
              h(
                "div",
                { class: "rows" },
                row(t("vouchers.pin"), v.pin),
                row(t("vouchers.expiry"), v.expiry ? day(v.expiry.slice(0, 10)) : null, "value"),
                v.value !== null && row(t("sale.price"), money(v.value, v.currency ?? order.currency), "value"),
                row(t("vouchers.link"), v.url),
              ),
              v.instructions && h("p", { class: "instructions" }, v.instructions),
            ),
          ),
        ),
      ),
      h("p", { class: "muted" }, t("vouchers.scan")),
      actions(order, true),
    ),
  );
}

function actions(order: Order, printable = false): HTMLElement {
  return h(
    "div",
    { class: "actions no-print" },
    printable && printButton(order.id, "vouchers-print"),
    h("a", { href: "#/counter", id: "vouchers-hide", class: "button big" }, t("vouchers.hide")),
    h("a", { href: `#/orders/${encodeURIComponent(order.id)}`, class: "button" }, t("vouchers.order_page")),
  );
}
