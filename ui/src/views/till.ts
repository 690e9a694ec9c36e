// The till's screen: open it with the float, cash in and out (managers),
// the open shift's figures and its X report, and the close: the drawer
// counted note by note and coin by coin, the expected cash beside it, the
// difference, and the close's report printed.
import { api, asCoreError, type ShiftReport } from "../api";
import { h, clear } from "../dom";
import { errorText, plural, t, type Key } from "../i18n";
import { amountField, cents, dateTime, money, parseAmount, signed } from "../format";
import { notice } from "./notice";
import { outcome, printedTo } from "./print";
import { openStep } from "./paydialog";

/** Euro notes and coins, in cents, largest first. */
const DENOMINATIONS = [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1];

export async function tillView(root: HTMLElement): Promise<void> {
  let state: ShiftReport | null;
  try {
    state = await api.tillState();
  } catch (e) {
    clear(root, notice(errorText(asCoreError(e)), "error"));
    return;
  }
  const screen = h("section", { class: "till-screen", id: "till" });
  clear(root, screen);
  if (!state) {
    const box = h("div", { class: "till-open-box" });
    clear(screen, h("h1", {}, t("nav.till")), h("p", { class: "muted", id: "till-closed" }, t("till.closed_state")), box);
    openStep(box, () => void tillView(root), () => (location.hash = "#/counter"));
    return;
  }
  const s = state;
  clear(screen, h("h1", {}, t("nav.till")), figures(s), cashMoves(root), xReport(s), closeForm(root, s));
}

function figures(s: ShiftReport): HTMLElement {
  const m = (units: number) => money(units, s.currency);
  const row = (label: string, value: string, id?: string) => h("div", { class: "row" }, h("span", { class: "label" }, label), h("span", { class: "value", id }, value));
  return h(
    "div",
    { class: "till-figures" },
    h("p", { id: "till-state" }, t("till.open_state", { counter: s.counter, when: dateTime(s.opened_at), who: s.opened_by ?? "—" })),
    h(
      "div",
      { class: "rows" },
      row(t("till.float"), m(s.float) + (s.float_counted ? "" : ` (${t("till.float_not_counted")})`), "till-float-shown"),
      Object.entries(s.tenders).map(([k, v]) => row(`${t("till.taken")} · ${t(`tender.${k}` as Key)}`, m(v))),
      row(t("till.refunds"), m(s.refunds ? -s.refunds : 0)),
      row(t("till.cash_in"), m(s.cash_in)),
      row(t("till.cash_out"), m(s.cash_out ? -s.cash_out : 0)),
      row(t("till.receipts"), String(s.receipts)),
      row(t("till.expected"), m(s.expected_cash), "till-expected"),
    ),
    s.abandoned_baskets > 0 && h("p", { class: "muted" }, t("till.abandoned", { n: s.abandoned_baskets, amount: m(s.abandoned) })),
    s.unsettled.length > 0 &&
      h("div", { class: "notice warning", id: "till-unsettled" }, h("strong", {}, t("till.unsettled")), s.unsettled.map((u) => h("div", {}, `${u.receipt} · ${u.product} · ${m(u.amount)}`))),
  );
}

function cashMoves(root: HTMLElement): HTMLElement {
  const amount = h("input", { id: "cash-amount", inputmode: "decimal", autocomplete: "off" }) as HTMLInputElement;
  const reason = h("input", { id: "cash-reason", autocomplete: "off", maxlength: 200 }) as HTMLInputElement;
  const message = h("div", { id: "cash-message" });
  const move = async (putIn: boolean) => {
    const c = parseAmount(amount.value);
    if (c === null) return void clear(message, notice(t("code.till.bad_amount"), "error"));
    try {
      await api.tillCash(putIn, c, reason.value);
      await tillView(root);
    } catch (e) {
      clear(message, notice(errorText(asCoreError(e)), "error"));
    }
  };
  return h(
    "div",
    { class: "till-cash" },
    h("h2", {}, `${t("till.cash_in")} / ${t("till.cash_out")}`),
    h("label", { for: "cash-amount" }, t("till.amount")),
    amount,
    h("label", { for: "cash-reason" }, t("till.reason")),
    reason,
    h("div", { class: "actions" }, h("button", { type: "button", id: "cash-in", onclick: () => void move(true) }, t("till.cash_in")), h("button", { type: "button", id: "cash-out", onclick: () => void move(false) }, t("till.cash_out"))),
    message,
  );
}

function xReport(s: ShiftReport): HTMLElement {
  const result = h("div", { id: "till-x-result" });
  return h(
    "div",
    { class: "actions" },
    h("button", { type: "button", id: "till-x", onclick: async () => clear(result, await printShift(s.shift)) }, t("till.x_report")),
    result,
  );
}

function printShift(shift: string): Promise<HTMLElement> {
  return outcome(async () => {
    const p = await api.printShift(shift, "printer");
    return printedTo(p.to);
  });
}

function closeForm(root: HTMLElement, s: ShiftReport): HTMLElement {
  const expected = Math.round(s.expected_cash * 100);
  const counts = new Map<number, HTMLInputElement>();
  const counted = h("input", { id: "till-counted", inputmode: "decimal", autocomplete: "off" }) as HTMLInputElement;
  const difference = h("strong", { id: "till-difference" });
  const message = h("div", { id: "till-close-message" });
  const update = () => {
    const c = parseAmount(counted.value);
    difference.textContent = c === null ? "—" : signed(c - expected, s.currency);
    difference.className = c === null || c === expected ? "" : c < expected ? "bad" : "warn";
  };
  const fromCounts = () => {
    let total = 0;
    for (const [value, input] of counts) total += value * (Number(input.value) || 0);
    counted.value = amountField(total);
    update();
  };
  const grid = DENOMINATIONS.map((value) => {
    const input = h("input", { type: "number", min: 0, step: 1, inputmode: "numeric", class: "count", "data-value": value, id: `count-${value}` }) as HTMLInputElement;
    input.addEventListener("input", fromCounts);
    counts.set(value, input);
    return h("label", { class: value >= 500 ? "count-cell note" : "count-cell coin" }, h("span", {}, cents(value, s.currency)), input);
  });
  counted.addEventListener("input", update);
  const close = h("button", { type: "submit", id: "till-close", class: "primary big" }, t("till.close"));
  return h(
    "form",
    {
      class: "till-close",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const c = parseAmount(counted.value);
        if (c === null) return void clear(message, notice(t("code.till.bad_amount"), "error"));
        close.disabled = true;
        try {
          const report = await api.tillClose(c);
          closed(root, report);
        } catch (e) {
          clear(message, notice(errorText(asCoreError(e)), "error"));
          close.disabled = false;
        }
      },
    },
    h("h2", {}, t("till.close_title")),
    h("p", { class: "hint" }, t("till.count_help")),
    h("div", { class: "count-grid" }, grid),
    h(
      "div",
      { class: "rows" },
      h("div", { class: "row" }, h("label", { class: "label", for: "till-counted" }, t("till.counted")), counted),
      h("div", { class: "row" }, h("span", { class: "label" }, t("till.expected")), h("strong", {}, cents(expected, s.currency))),
      h("div", { class: "row" }, h("span", { class: "label" }, t("till.difference")), difference),
    ),
    close,
    message,
  );
}

function closed(root: HTMLElement, r: ShiftReport): void {
  const result = h("div", { id: "till-print-result" });
  clear(
    root,
    h(
      "section",
      { class: "till-screen", id: "till-closed-report" },
      h("h1", {}, t("till.close_title")),
      notice(t("till.closed", { difference: signed(Math.round((r.difference ?? 0) * 100), r.currency) }), r.difference === 0 ? "success" : "warning"),
      r.unshared ? Object.assign(notice(plural("till.unshared", r.unshared), "warning"), { id: "till-unshared" }) : null,
      figures(r),
      h("div", { class: "rows" }, h("div", { class: "row" }, h("span", { class: "label" }, t("till.counted")), h("strong", { id: "till-counted-shown" }, money(r.counted_cash ?? 0, r.currency)))),
      h("div", { class: "actions" }, h("button", { type: "button", id: "till-print", class: "primary", onclick: async () => clear(result, await printShift(r.shift)) }, t("till.print"))),
      result,
    ),
  );
}
