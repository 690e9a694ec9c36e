// One order: everything the journal knows, and its history.
import { api, asCoreError, providerName, type Paper } from "../api";
import { h, clear } from "../dom";
import { errorText, noteText, t, type Key } from "../i18n";
import { chooseFile } from "../files";
import { dateTime, money, phone } from "../format";
import { notice } from "./notice";
import { statusBadge } from "./orders";
import { supportPanel } from "./support";
import { outcome, printTicket } from "./print";

export async function orderView(root: HTMLElement, id: string): Promise<void> {
  const back = h("a", { href: "#/orders", class: "back" }, t("order.back"));
  try {
    const { order: o, events, sold_at: soldAt } = await api.order(id);
    const row = (label: Key, value: string | null) => value && h("div", { class: "row" }, h("span", { class: "label" }, t(label)), h("span", { class: "value" }, value));
    clear(
      root,
      h(
        "section",
        { class: "order" },
        back,
        h("h1", {}, o.product_name, " ", statusBadge(o.status), o.training && h("span", { class: "tag" }, t("orders.training"))),
        h("p", { class: "mono" }, o.id),
        soldAt && notice(t("order.elsewhere"), "info"),
        o.kind === "esim" && o.status === "delivered" &&
          h("a", { href: `#/esim/${encodeURIComponent(o.id)}`, class: "button primary", id: "order-show-qr" }, t("esim.show")),
        o.kind === "giftcard" && ["delivered", "processing", "pending", "unknown"].includes(o.status) &&
          h("a", { href: `#/vouchers/${encodeURIComponent(o.id)}`, class: "button primary", id: "order-show-vouchers" }, t(o.status === "delivered" ? "vouchers.show" : "vouchers.wait_again")),
        h(
          "div",
          { class: "rows" },
          row("order.provider", providerName(o.provider)),
          row("order.created", dateTime(o.created_at)),
          row("order.customer", o.customer_ref),
          row("order.cashier", o.cashier),
          row("order.sold_at", soldAt),
          row("order.phone", phone(o.phone, o.details)),
          row("order.sim_id", o.sim_id),
          row("order.iccid", o.iccid),
          row("order.provider_ref", o.provider_ref),
          row("order.amount", money(o.amount, o.currency)),
          o.cost !== null && row("order.cost", money(o.cost, o.currency)),
          o.fees !== null && row("order.fees", money(o.fees, o.currency)),
          linkRow("order.paid_by", detail(o.details, "paid_by")),
          linkRow("order.paid_for", detail(o.details, "delivered_order")),
        ),
        detail(o.details, "product_after_refund") === "stays_valid" &&
          notice(t("order.product_stays_valid", { order: detail(o.details, "delivered_order") ?? "" }), "warning"),
        // Another counter's sale is settled and looked after there.
        !soldAt && ["pending", "unknown", "processing"].includes(o.status) && reconcilePanel(o.id, root),
        o.status === "delivered" && ticketPanel(o.id),
        !soldAt && o.provider === "orange-travel" && o.provider_ref && supportPanel(o.id),
        !soldAt && h("h2", {}, t("order.history")),
        h(
          "ol",
          { class: "timeline", id: "order-events" },
          events.map((e) =>
            h(
              "li",
              {},
              h("span", { class: "when" }, dateTime(e.at)),
              h("span", { class: "what" }, t(`event.${e.event}` as Key)),
              e.to_status && statusBadge(e.to_status),
              e.message && h("span", { class: "msg" }, noteText(e.message)),
              e.cashier && h("span", { class: "who" }, e.cashier),
            ),
          ),
        ),
      ),
    );
  } catch (e) {
    clear(root, back, notice(errorText(asCoreError(e)), "error"));
  }
}

/** A text in an order's details (JSON from the core), if there is one. */
function detail(details: unknown, key: string): string | null {
  const v = details && typeof details === "object" ? (details as Record<string, unknown>)[key] : null;
  return typeof v === "string" && v ? v : null;
}

/** A payment and the product it paid for link to each other. */
function linkRow(label: Key, id: string | null): HTMLElement | null {
  return id
    ? h("div", { class: "row" }, h("span", { class: "label" }, t(label)),
        h("a", { class: "value mono", href: `#/orders/${encodeURIComponent(id)}`, "data-link": label }, id))
    : null;
}

/** For an order whose outcome is not settled: ask the provider now. */
function reconcilePanel(id: string, root: HTMLElement): HTMLElement {
  const result = h("div", { id: "reconcile-result" });
  return h(
    "div",
    { class: "panel" },
    notice(t("order.unsettled"), "warning"),
    h(
      "button",
      {
        id: "order-reconcile",
        class: "primary",
        onclick: async () => {
          try {
            const done = await api.reconcile();
            const stuck = done.unsettled.find((u) => u.order === id);
            if (done.settled.some((c) => c.order === id)) void orderView(root, id);
            else if (stuck) clear(result, notice(errorText(stuck.error), "error"));
            else clear(result, notice(t("order.reconcile_none"), "info"));
          } catch (e) {
            clear(result, notice(errorText(asCoreError(e)), "error"));
          }
        },
      },
      t("order.reconcile"),
    ),
    result,
  );
}

/** Reprint the customer's ticket, offline: on the computer's printer (Settings), as PDF in two sizes, or on the thermal printer. */
function ticketPanel(id: string): HTMLElement {
  const result = h("div", { id: "ticket-result" });
  const run = async (what: () => Promise<string>) => clear(result, await outcome(what));
  // Cancelling the file dialog leaves the panel as it was.
  const pdf = (layout: Paper) => async () => {
    const path = await chooseFile("ticket_pdf", id).catch(() => null);
    if (path) await run(async () => t("ticket.saved", { path: (await api.printTicket(id, "pdf", layout, path)).to }));
  };
  const print = async () => clear(result, await printTicket(id));
  const thermal = () => run(async () => (await api.printTicket(id, "thermal"), t("ticket.sent")));
  return h(
    "div",
    { class: "panel" },
    h("h2", {}, t("ticket.title")),
    h(
      "div",
      { class: "actions" },
      h("button", { id: "ticket-print", class: "primary", onclick: print }, t("ticket.print")),
      h("button", { id: "ticket-receipt", onclick: pdf("receipt") }, t("ticket.receipt")),
      h("button", { id: "ticket-a4", onclick: pdf("a4") }, t("ticket.a4")),
      h("button", { id: "ticket-thermal", onclick: thermal }, t("ticket.thermal")),
    ),
    result,
  );
}
