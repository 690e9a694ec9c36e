// The Payments screen (Internet+ Box): a new payment (offer, the customer's
// IP, a reference), the payments still open with the time left before
// W-HA's 24-hour limit (a warning under 2 hours), a transaction looked up
// and refunded, a customer's subscriptions ended now or at their due date.
import { api, asCoreError, type PaymentView, type RefundReason, type Subscription } from "../api";
import { h, clear } from "../dom";
import { errorText, t, type Key } from "../i18n";
import { money } from "../format";
import { notice } from "./notice";

const WARN_SECONDS = 2 * 3600;

export function paymentsView(root: HTMLElement): void {
  clear(
    root,
    h(
      "section",
      { class: "payments", id: "payments" },
      h("h1", {}, t("payments.title")),
      newPayment(),
      openPanel(),
      lookupPanel(),
      subscriptionsPanel(),
    ),
  );
}

function say(el: HTMLElement, e: unknown): void {
  clear(el, notice(errorText(asCoreError(e)), "error"));
}

function newPayment(): HTMLElement {
  const result = h("div", { id: "pay-new-result" });
  const offer = h("select", { id: "pay-offer" });
  const ip = h("input", { id: "pay-ip", autocomplete: "off", inputmode: "decimal", placeholder: "90.57.78.52" });
  const customer = h("input", { id: "pay-customer", autocomplete: "off" });
  void api.payOffers().then(
    (offers) => {
      if (offers.length === 0) offer.append(h("option", { value: "" }, t("payments.no_offers")));
      for (const o of offers) {
        const key = `payments.period.${o.period}` as Key;
        const period = o.period ? (t(key) === key ? o.period.toLowerCase() : t(key)) : "";
        const what = o.period ? t("payments.every", { period }) : t("payments.once");
        offer.append(h("option", { value: o.id }, `${o.name} — ${money(o.amount)} ${what}`));
      }
    },
    (e) => say(result, e),
  );
  return h(
    "form",
    {
      class: "panel form-grid",
      id: "pay-new",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        clear(result, notice(t("pay.working"), "info"));
        try {
          const v = await api.paySession(offer.value, ip.value, customer.value.trim() || null);
          location.hash = `#/pay/${encodeURIComponent(v.order.id)}`;
        } catch (e) {
          say(result, e);
        }
      },
    },
    h("h2", {}, t("payments.new")),
    h("label", { for: "pay-offer" }, t("payments.offer")),
    offer,
    h("label", { for: "pay-ip" }, t("payments.ip")),
    h("span", { class: "field" }, ip, h("small", { class: "muted" }, t("payments.ip_help"))),
    h("label", { for: "pay-customer" }, t("sale.customer")),
    customer,
    h("button", { class: "primary", type: "submit", id: "pay-open" }, t("payments.open_page")),
    result,
  );
}

function leftText(p: PaymentView): [string, boolean] {
  const s = p.seconds_left;
  if (s === null || p.order.status === "pending") return [t("payments.waiting_return"), false];
  if (s <= 0) return [t("payments.too_late"), true];
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  return [t("payments.left", { h: hours, m: String(minutes).padStart(2, "0") }), s < WARN_SECONDS];
}

function openPanel(): HTMLElement {
  const panel = h("div", { class: "panel", id: "payments-open" });
  const result = h("div", { id: "payments-open-result" });
  const draw = async () => {
    let list: PaymentView[];
    try {
      list = await api.openPayments();
    } catch (e) {
      clear(panel, h("h2", {}, t("payments.open")), notice(errorText(asCoreError(e)), "error"));
      return;
    }
    const act = (label: string, id: string, run: () => Promise<unknown>) =>
      h(
        "button",
        {
          "data-action": id,
          onclick: async () => {
            try {
              await run();
              clear(result, notice(t("payments.done"), "success"));
            } catch (e) {
              say(result, e);
            }
            await draw();
          },
        },
        label,
      );
    clear(
      panel,
      h("h2", {}, t("payments.open")),
      list.length === 0
        ? h("p", { class: "muted" }, t("payments.none_open"))
        : h(
            "table",
            { class: "orders-table", id: "payments-table" },
            h(
              "tbody",
              {},
              list.map((p) => {
                const [text, warn] = leftText(p);
                const o = p.order;
                return h(
                  "tr",
                  { "data-order": o.id },
                  h("td", {}, h("a", { href: `#/pay/${encodeURIComponent(o.id)}` }, o.id)),
                  h("td", {}, o.product_name),
                  h("td", { class: "num" }, money(o.amount, o.currency)),
                  h("td", {}, t(`status.${o.status}` as Key)),
                  h("td", { class: warn ? "late" : "muted" }, text),
                  h(
                    "td",
                    {},
                    o.status === "processing"
                      ? [act(t("pay.confirm"), "confirm", () => api.payConfirm(o.id)), " ", act(t("pay.cancel"), "cancel", () => api.payCancel(o.id))]
                      : null,
                  ),
                );
              }),
            ),
          ),
      result,
    );
  };
  void draw();
  return panel;
}

function lookupPanel(): HTMLElement {
  const result = h("div", { id: "pay-lookup-result" });
  const id = h("input", { id: "pay-lookup-id", autocomplete: "off" });
  const refund = h("div", { id: "pay-refund" });
  let reasons: RefundReason[] = [];
  void api.refundReasons().then((r) => (reasons = r), () => undefined);
  const showRefund = (orderId: string) => {
    const reason = h("select", { id: "pay-refund-reason" }, reasons.map((r) => h("option", { value: r.code }, `${r.code} — ${r.description}`)));
    const comment = h("input", { id: "pay-refund-comment", autocomplete: "off" });
    clear(
      refund,
      h(
        "form",
        {
          class: "form-grid",
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            try {
              const o = await api.payRefund(orderId, reason.value, comment.value);
              clear(result, notice(t("payments.refunded", { id: o.id }), "success"));
              clear(refund);
            } catch (e) {
              say(result, e);
            }
          },
        },
        h("label", { for: "pay-refund-reason" }, t("payments.refund_reason")),
        reason,
        h("label", { for: "pay-refund-comment" }, t("payments.refund_comment")),
        comment,
        h("button", { type: "submit", id: "pay-refund-send" }, t("payments.refund")),
      ),
    );
  };
  return h(
    "form",
    {
      class: "panel form-grid",
      id: "pay-lookup",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        clear(refund);
        try {
          const c = await api.payConsult(id.value.trim());
          clear(
            result,
            notice(t("payments.found", { id: c.order.id, status: c.transaction.status ?? "?", amount: money(c.order.amount, c.order.currency) }), "info"),
          );
          if (c.order.status === "delivered") showRefund(c.order.id);
        } catch (e) {
          say(result, e);
        }
      },
    },
    h("h2", {}, t("payments.lookup")),
    h("label", { for: "pay-lookup-id" }, t("payments.lookup_id")),
    id,
    h("button", { type: "submit", id: "pay-lookup-send" }, t("payments.lookup_send")),
    result,
    refund,
  );
}

function subscriptionsPanel(): HTMLElement {
  const result = h("div", { id: "subs-result" });
  const list = h("div", { id: "subs-list" });
  const user = h("input", { id: "subs-user", autocomplete: "off" });
  const draw = (subs: Subscription[]) =>
    clear(
      list,
      subs.length === 0
        ? h("p", { class: "muted" }, t("payments.no_subscriptions"))
        : h(
            "table",
            { class: "orders-table" },
            h(
              "tbody",
              {},
              subs.map((s) =>
                h(
                  "tr",
                  { "data-sub": s.subId ?? "" },
                  h("td", { class: "mono" }, s.subId ?? ""),
                  h("td", {}, s.status ?? ""),
                  h("td", {}, s.offer?.offerId ?? ""),
                  h("td", {}, t("payments.next", { date: s.chargeNextDate ?? "-" })),
                  h(
                    "td",
                    {},
                    (["now", "due"] as const).map((when) =>
                      h(
                        "button",
                        {
                          "data-terminate": when,
                          onclick: async () => {
                            try {
                              const done = await api.terminateSubscription(s.subId ?? "", when === "due");
                              clear(result, notice(t("payments.terminated", { status: done.status ?? "" }), "success"));
                            } catch (e) {
                              say(result, e);
                            }
                          },
                        },
                        t(when === "now" ? "payments.terminate_now" : "payments.terminate_due"),
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ),
    );
  return h(
    "form",
    {
      class: "panel form-grid",
      id: "subs",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          draw(await api.subscriptionsOf(user.value.trim()));
          clear(result);
        } catch (e) {
          say(result, e);
        }
      },
    },
    h("h2", {}, t("payments.subscriptions")),
    h("label", { for: "subs-user" }, t("payments.user")),
    user,
    h("button", { type: "submit", id: "subs-send" }, t("payments.lookup_send")),
    result,
    list,
  );
}
