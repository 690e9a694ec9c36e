// Taking the payment for the basket: the till opened first when it is
// closed (the float counted), then cash (what the customer hands over, the
// change in large type), card (keyed on the shop's terminal, confirmed
// here), or both. Nothing is sent until the payment covers the total.
import { api, asCoreError, type Basket, type Paid, type Tendered } from "../api";
import { h, clear } from "../dom";
import { errorText, t } from "../i18n";
import { amountField, cents, parseAmount } from "../format";
import { notice } from "./notice";

/** Euro notes a customer hands over, for one-touch cash. */
const NOTES = [5, 10, 20, 50, 100];

/** Asks for the payment; resolves with the paid receipt, or null when cancelled. */
export async function openPay(basket: Basket): Promise<Paid | null> {
  return new Promise((resolve) => {
    const dialog = h("div", { class: "lock-screen pay-dialog", id: "pay-dialog", role: "dialog", "aria-modal": "true" });
    const box = h("div", { class: "lock-box pay-box" });
    dialog.append(box);
    document.body.append(dialog);
    const done = (paid: Paid | null) => {
      dialog.remove();
      resolve(paid);
    };
    void api.tillState().then(
      (state) => (state ? payStep(box, basket, done) : openStep(box, () => payStep(box, basket, done), () => done(null))),
      (e) => clear(box, notice(errorText(asCoreError(e)), "error"), h("button", { type: "button", onclick: () => done(null) }, t("pay.cancel"))),
    );
  });
}

/** The till is closed: its float is counted first. */
export function openStep(box: HTMLElement, opened: () => void, cancel: () => void): void {
  const input = h("input", { id: "till-float", inputmode: "decimal", autocomplete: "off", placeholder: "150,00" }) as HTMLInputElement;
  const message = h("div", { class: "pay-message" });
  const submit = h("button", { id: "till-open", class: "primary big", type: "submit" }, t("till.open"));
  clear(
    box,
    h(
      "form",
      {
        class: "pay-form",
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          const c = parseAmount(input.value);
          if (c === null) return void clear(message, notice(t("code.till.bad_amount"), "error"));
          submit.disabled = true;
          try {
            await api.tillOpen(c);
            opened();
          } catch (e) {
            clear(message, notice(errorText(asCoreError(e)), "error"));
            submit.disabled = false;
          }
        },
      },
      h("h2", {}, t("till.open_title")),
      h("p", { class: "hint" }, t("till.open_why")),
      h("label", { for: "till-float" }, t("till.float")),
      input,
      h("div", { class: "pay-buttons" }, submit, h("button", { type: "button", id: "pay-cancel", onclick: cancel }, t("pay.cancel"))),
      message,
    ),
  );
  queueMicrotask(() => input.focus());
}

function payStep(box: HTMLElement, basket: Basket, done: (paid: Paid | null) => void): void {
  const due = Math.round(basket.total * 100);
  const cash = h("input", { id: "pay-cash", inputmode: "decimal", autocomplete: "off", placeholder: "0,00" }) as HTMLInputElement;
  const card = h("input", { id: "pay-card", inputmode: "decimal", autocomplete: "off", placeholder: "0,00" }) as HTMLInputElement;
  const auth = h("input", { id: "pay-auth", autocomplete: "off", maxlength: 32 }) as HTMLInputElement;
  const customer = h("input", { id: "pay-customer", autocomplete: "off", maxlength: 80 }) as HTMLInputElement;
  const change = h("div", { class: "pay-change", id: "pay-change" });
  const message = h("div", { class: "pay-message", id: "pay-message" });
  const confirmButton = h("button", { id: "pay-confirm", class: "primary big", type: "submit", disabled: true }, t("pay.confirm"));
  const amount = (input: HTMLInputElement) => (input.value.trim() === "" ? 0 : parseAmount(input.value));

  const update = () => {
    const c = amount(cash);
    const k = amount(card);
    if (c === null || k === null) {
      confirmButton.disabled = true;
      clear(change, h("span", { class: "bad" }, t("code.till.bad_amount")));
      return;
    }
    const left = due - c - k;
    confirmButton.disabled = left > 0 || k > due || c + k === 0 && due > 0;
    if (k > due) clear(change, h("span", { class: "bad" }, t("code.till.card_too_much")));
    else if (left > 0) clear(change, h("span", {}, t("pay.missing")), h("strong", { id: "pay-missing" }, cents(left, basket.currency)));
    else clear(change, h("span", {}, t("pay.change")), h("strong", { id: "pay-change-amount" }, cents(-left, basket.currency)));
  };
  for (const input of [cash, card]) input.addEventListener("input", update);
  const set = (input: HTMLInputElement, c: number) => {
    input.value = amountField(c);
    update();
  };

  clear(
    box,
    h(
      "form",
      {
        class: "pay-form",
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          if (confirmButton.disabled) return;
          confirmButton.disabled = true;
          confirmButton.textContent = t("pay.buying");
          clear(message);
          try {
            const given: Tendered = { cash: amount(cash) || null, card: amount(card) || null };
            if (auth.value.trim()) given.authorisation = auth.value.trim();
            done(await api.basketPay(given, customer.value.trim() || null));
          } catch (e) {
            clear(message, notice(errorText(asCoreError(e)), "error"));
            confirmButton.textContent = t("pay.confirm");
            update();
          }
        },
      },
      h("h2", {}, t("pay.title")),
      h("div", { class: "pay-due" }, h("span", {}, t("pay.due")), h("strong", { id: "pay-due" }, cents(due, basket.currency))),
      h("label", { for: "pay-cash" }, t("pay.cash")),
      cash,
      h(
        "div",
        { class: "pay-notes" },
        h("button", { type: "button", id: "pay-exact", onclick: () => set(cash, Math.max(0, due - (amount(card) ?? 0))) }, t("pay.exact")),
        NOTES.map((n) => h("button", { type: "button", class: "note", "data-note": n, onclick: () => set(cash, n * 100) }, cents(n * 100, basket.currency))),
      ),
      h("label", { for: "pay-card" }, t("pay.card")),
      h("div", { class: "pay-card-row" }, card, h("button", { type: "button", id: "pay-card-rest", onclick: () => set(card, Math.max(0, due - (amount(cash) ?? 0))) }, t("pay.card_rest"))),
      h("p", { class: "hint" }, t("pay.card_hint")),
      h("label", { for: "pay-auth" }, t("pay.authorisation")),
      auth,
      h("label", { for: "pay-customer" }, t("sale.customer")),
      customer,
      change,
      h("div", { class: "pay-buttons" }, confirmButton, h("button", { type: "button", id: "pay-cancel", onclick: () => done(null) }, t("pay.cancel"))),
      message,
    ),
  );
  update();
  queueMicrotask(() => cash.focus());
}
