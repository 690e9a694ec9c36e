// The counter's basket: its lines (removable until payment), the total
// always in sight, Pay and Abandon. It lives in the journal, so a lock, a
// restart or a crash of the window finds it as it was.
import { api, asCoreError, type Basket } from "../api";
import { h, clear } from "../dom";
import { errorText, t } from "../i18n";
import { money } from "../format";
import { notice } from "./notice";
import { openPay } from "./paydialog";

export interface BasketPanel {
  el: HTMLElement;
  show: (b: Basket) => void;
  refresh: () => Promise<void>;
}

export function basketPanel(): BasketPanel {
  const el = h("section", { class: "basket", id: "basket", "aria-live": "polite" });
  const message = h("div", { id: "basket-message" });
  let current: Basket | null = null;

  const act = async (run: () => Promise<Basket>) => {
    clear(message);
    try {
      show(await run());
    } catch (e) {
      clear(message, notice(errorText(asCoreError(e)), "error"));
    }
  };

  const show = (b: Basket) => {
    current = b;
    const rows = b.lines.map((l) =>
      h(
        "li",
        { class: "basket-line", "data-line": l.line },
        h(
          "span",
          { class: "basket-name" },
          l.quantity > 1 ? `${l.quantity} × ${l.name}` : l.name,
          (l.msisdn || l.sim_id) && h("small", { class: "muted" }, " ", t("basket.for", { target: l.msisdn ?? l.sim_id })),
        ),
        h("span", { class: "basket-amount" }, money(l.amount, l.currency)),
        h("button", { class: "link basket-remove", type: "button", title: t("basket.remove"), "aria-label": t("basket.remove"), onclick: () => void act(() => api.basketRemove(l.line)) }, "✕"),
      ),
    );
    clear(
      el,
      h("h2", {}, t("basket.title")),
      rows.length ? h("ul", { class: "basket-lines" }, rows) : h("p", { class: "muted", id: "basket-empty" }, t("basket.empty")),
      h("div", { class: "basket-total" }, h("span", {}, t("basket.total")), h("strong", { id: "basket-total" }, money(b.total, b.currency))),
      h(
        "div",
        { class: "basket-actions" },
        h("button", { id: "basket-pay", class: "primary big", type: "button", disabled: rows.length === 0, onclick: () => void pay() }, t("basket.pay")),
        h("button", { id: "basket-clear", type: "button", disabled: rows.length === 0, onclick: () => void abandon() }, t("basket.clear")),
      ),
      message,
    );
  };

  const pay = async () => {
    if (!current || current.lines.length === 0) return;
    const paid = await openPay(current);
    if (paid) location.hash = `#/receipt/${encodeURIComponent(paid.receipt.number)}`;
    else await refresh();
  };

  const abandon = async () => {
    if (!window.confirm(t("basket.clear_confirm"))) return;
    await act(() => api.basketClear());
  };

  const refresh = async () => act(() => api.basket());
  return { el, show, refresh };
}
