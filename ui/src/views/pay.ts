// One Internet+ payment at the counter: the operator's payment page as a QR
// code for the customer's phone (and as a link), the time left on it, and the
// wait for the signed return. The window's listener receives the return when
// the page was opened on this computer; otherwise the cashier scans or pastes
// the return URL (a scanner types it and presses Enter). Once authorized, the
// core delivers what the offer sells and confirms; if that fails it cancels.
import { api, asCoreError, type PaymentView } from "../api";
import { h, clear } from "../dom";
import { errorText, t } from "../i18n";
import { money } from "../format";
import { notice } from "./notice";

const POLL_MS = 2000;

/** `m:ss` left before an RFC 3339 time, or null once passed. */
function left(until: string | null): string | null {
  if (!until) return null;
  const s = Math.floor((Date.parse(until) - Date.now()) / 1000);
  if (s <= 0) return null;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** `5 h 07` left before an RFC 3339 time. */
function hoursLeft(until: string): string {
  const s = Math.max(0, Math.floor((Date.parse(until) - Date.now()) / 1000));
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}`;
}

export async function payView(root: HTMLElement, id: string): Promise<void> {
  let view: PaymentView;
  try {
    view = await api.payment(id);
  } catch (e) {
    clear(root, notice(errorText(asCoreError(e)), "error"));
    return;
  }
  const here = () => location.hash === `#/pay/${encodeURIComponent(id)}`;
  const result = h("div", { id: "pay-result", role: "status" });
  const draw = (v: PaymentView) => clear(root, h("section", { class: "pay", id: "pay" }, ...screen(v, result, (next) => draw(next))));
  draw(view);
  // The return may arrive at the listener, which then delivers and
  // confirms: ask again until the payment is settled.
  while (here() && ["pending", "processing", "unknown"].includes(view.order.status)) {
    await new Promise((ok) => setTimeout(ok, POLL_MS));
    if (!here()) return;
    try {
      const next = await api.payment(id);
      if (next.order.status !== view.order.status) draw(next);
      view = next;
    } catch {
      // Offline for a moment: keep the screen, ask again.
    }
  }
}

function screen(v: PaymentView, result: HTMLElement, redraw: (v: PaymentView) => void): (Node | null)[] {
  const o = v.order;
  const head = [
    h("h1", {}, t("pay.title")),
    h("h2", {}, `${o.product_name} — ${money(o.amount, o.currency)}`),
    v.operator ? h("p", { class: "muted" }, t("pay.operator", { operator: v.operator === "bytel" ? "Bouygues Telecom" : "Orange" })) : null,
  ];
  const refresh = async () => redraw(await api.payment(o.id));
  const act = (label: string, run: () => Promise<unknown>, idAttr: string) =>
    h(
      "button",
      {
        id: idAttr,
        onclick: async () => {
          clear(result, notice(t("pay.working"), "info"));
          try {
            await run();
            await refresh();
          } catch (e) {
            clear(result, notice(errorText(asCoreError(e)), "error"));
            await refresh().catch(() => undefined);
          }
        },
      },
      label,
    );
  const link = h("a", { href: `#/orders/${encodeURIComponent(o.id)}`, class: "button" }, t("pay.order_page"));
  switch (o.status) {
    case "pending": {
      const countdown = h("p", { class: "countdown", id: "pay-countdown" });
      const tick = () => {
        const l = left(v.page_expires_at);
        countdown.textContent = l ? t("pay.page_left", { left: l }) : t("pay.page_expired");
        countdown.className = l ? "countdown" : "countdown late";
        if (l && document.body.contains(countdown)) setTimeout(tick, 1000);
      };
      tick();
      const input = h("input", { id: "pay-return", autocomplete: "off", placeholder: "https://…?trxId=…&h=…" });
      const form = h(
        "form",
        {
          class: "form-grid",
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            clear(result, notice(t("pay.working"), "info"));
            try {
              await api.payReturn(input.value.trim());
              await refresh();
            } catch (e) {
              clear(result, notice(errorText(asCoreError(e)), "error"));
            }
          },
        },
        h("label", { for: "pay-return" }, t("pay.return")),
        input,
        h("button", { type: "submit", class: "primary", id: "pay-return-send" }, t("pay.return_send")),
      );
      return [
        ...head,
        h("div", { class: "pay-qr" }, v.qr_svg ? h("img", { class: "qr", id: "pay-qr", alt: t("pay.qr_alt"), src: `data:image/svg+xml;base64,${btoa(v.qr_svg)}` }) : null),
        h("p", {}, t("pay.scan")),
        v.panel_url ? h("p", {}, h("a", { href: v.panel_url, target: "_blank", rel: "noopener", id: "pay-link", class: "mono" }, v.panel_url)) : null,
        countdown,
        h("div", { class: "waiting", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), h("span", {}, t("pay.waiting"))),
        form,
        h("p", { class: "muted" }, t("pay.return_hint")),
        result,
      ];
    }
    case "processing":
    case "unknown":
      return [
        ...head,
        notice(t("pay.authorized"), "warning"),
        v.deadline ? h("p", { class: "muted" }, t("pay.deadline", { left: hoursLeft(v.deadline) })) : null,
        h("div", { class: "actions" }, act(t("pay.confirm"), () => api.payConfirm(o.id), "pay-confirm"), act(t("pay.cancel"), () => api.payCancel(o.id), "pay-cancel"), link),
        result,
      ];
    case "delivered":
      return [...head, notice(t("pay.done"), "success"), h("div", { class: "actions" }, link), result];
    default:
      return [...head, notice(t("pay.ended", { status: t(`status.${o.status}` as never).toLowerCase() }), "error"), h("div", { class: "actions" }, link), result];
  }
}
