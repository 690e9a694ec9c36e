// A paid basket: the change in large type first, then what to give back
// for lines not delivered (said plainly: "Carte Fnac 25 € non délivrée :
// rendre 25,00 € en espèces"), each line with its state and its QR or
// vouchers, the payments, and Print.
import { api, asCoreError, type Receipt } from "../api";
import { h, clear } from "../dom";
import { errorText, t, type Key } from "../i18n";
import { money } from "../format";
import { notice } from "./notice";
import { outcome, printedTo } from "./print";

export async function receiptView(root: HTMLElement, number: string): Promise<void> {
  let r: Receipt;
  try {
    r = await api.receipt(number);
  } catch (e) {
    clear(root, notice(errorText(asCoreError(e)), "error"));
    return;
  }
  const m = (units: number) => money(units, r.currency);
  const giveBack = r.refunds.map((f) => {
    const line = r.lines.find((l) => l.line === f.line);
    return h("p", { class: "give-back" }, t("receipt.give_back", { name: line?.name ?? "", amount: m(f.amount), tender: t(`tender.${f.tender}` as Key).toLowerCase() }));
  });
  const state = (s: string) => h("span", { class: `badge state-${s}` }, t(`receipt.${s}` as Key));
  const lines = r.lines.map((l) =>
    h(
      "li",
      { class: "receipt-line", "data-line": l.line, "data-state": l.state },
      h("span", { class: "basket-name" }, l.quantity > 1 ? `${l.quantity} × ${l.name}` : l.name),
      h("span", { class: "basket-amount" }, m(l.amount)),
      state(l.state),
      l.state === "delivered" && l.order && l.kind === "esim" && h("a", { class: "button", href: `#/esim/${encodeURIComponent(l.order.id)}`, "data-qr": l.order.id }, t("receipt.show_qr")),
      l.state === "delivered" && l.order && l.kind === "giftcard" && h("a", { class: "button", href: `#/vouchers/${encodeURIComponent(l.order.id)}`, "data-vouchers": l.order.id }, t("receipt.show_vouchers")),
      l.order && h("a", { class: "muted", href: `#/orders/${encodeURIComponent(l.order.id)}` }, l.order.id),
    ),
  );
  const printResult = h("div", { id: "receipt-print-result" });
  const print = h(
    "button",
    {
      id: "receipt-print",
      class: "primary big",
      onclick: async () => {
        print.disabled = true;
        clear(
          printResult,
          await outcome(async () => {
            const p = await api.printReceipt(r.number, "printer");
            return printedTo(p.to);
          }),
        );
        print.disabled = false;
      },
    },
    t("receipt.print"),
  );
  // Each correcting receipt: what it gave back, and its own print.
  const corrections = r.corrections.map((c) => {
    const result = h("span", { class: "correction-print-result" });
    const button = h(
      "button",
      {
        class: "receipt-print-correction",
        "data-correction": c.number,
        onclick: async () => {
          button.disabled = true;
          clear(
            result,
            await outcome(async () => {
              const p = await api.printReceipt(c.number, "printer");
              return printedTo(p.to);
            }),
          );
          button.disabled = false;
        },
      },
      t("receipt.print_correction", { number: c.number }),
    );
    return h(
      "div",
      { class: "receipt-correction", "data-correction": c.number },
      h("p", {}, t(c.whole ? "receipt.cancelled_by" : "receipt.corrected_by", { number: c.number, amount: m(-c.amount) })),
      h("div", { class: "actions" }, button),
      result,
    );
  });
  clear(
    root,
    h(
      "section",
      { class: "receipt-screen", id: "receipt" },
      h("h1", {}, t("receipt.title", { number: r.number })),
      h("div", { class: "receipt-change" }, h("span", {}, t("receipt.change")), h("strong", { id: "receipt-change" }, m(r.change))),
      giveBack.length > 0 && h("div", { class: "notice error", id: "receipt-give-back" }, giveBack),
      corrections.length > 0 && h("div", { id: "receipt-corrections" }, corrections),
      r.lines.some((l) => l.state === "to_settle") && notice(t("receipt.settle_hint"), "warning"),
      h("ul", { class: "basket-lines receipt-lines" }, lines),
      h("div", { class: "basket-total" }, h("span", {}, t("basket.total")), h("strong", {}, m(r.total))),
      h(
        "div",
        { class: "rows", id: "receipt-payments" },
        r.payments.map((p) =>
          h("div", { class: "row" }, h("span", { class: "label" }, t(`tender.${p.tender}` as Key)), h("span", { class: "value" }, m(p.amount), p.authorisation ? ` · ${p.authorisation}` : "")),
        ),
      ),
      h("div", { class: "actions" }, print, h("a", { class: "button", id: "receipt-next", href: "#/counter" }, t("receipt.next"))),
      printResult,
    ),
  );
}
