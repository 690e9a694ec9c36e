// Reports: a day (or a range) per provider and kind, with a bar chart of
// takings and margin, the orders still to settle, Print.
import { api, asCoreError, providerName, type Report, type ReportLine } from "../api";
import { h, clear } from "../dom";
import { errorText, plural, t, type Key } from "../i18n";
import { chooseFile } from "../files";
import { money, number } from "../format";
import { dateField, setDay } from "./datefield";
import { notice } from "./notice";

const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

export function reportView(root: HTMLElement): void {
  const from = dateField("report-from", "report.from", today());
  const to = dateField("report-to", "report.to", today());
  const body = h("div", { id: "report-body" });
  const saved = h("div", { id: "report-saved", class: "no-print" });
  const load = async () => {
    try {
      render(body, await api.report(from.dataset.iso ?? today(), to.dataset.iso ?? today()));
    } catch (e) {
      clear(body, notice(errorText(asCoreError(e)), "error"));
    }
  };
  from.addEventListener("change", load);
  to.addEventListener("change", load);
  clear(
    root,
    h(
      "section",
      { class: "report" },
      h("h1", {}, t("report.title")),
      h(
        "div",
        { class: "filters no-print" },
        h("label", { for: "report-from" }, t("report.from")),
        from,
        h("label", { for: "report-to" }, t("report.to")),
        to,
        h("button", { id: "report-today", onclick: () => { setDay(from, today()); setDay(to, today()); void load(); } }, t("report.today")),
        h("button", { class: "primary", onclick: () => window.print() }, t("report.print")),
        h(
          "button",
          {
            id: "report-csv",
            onclick: async () => {
              try {
                const chosen = await chooseFile("report_export");
                if (!chosen) return;
                const path = await api.reportCsv(from.value, to.value, chosen);
                clear(saved, notice(t("orders.exported", { path }), "success"));
              } catch (e) {
                clear(saved, notice(errorText(asCoreError(e)), "error"));
              }
            },
          },
          t("report.csv"),
        ),
      ),
      saved,
      body,
    ),
  );
  void load();
}

function name(l: ReportLine, several: boolean): string {
  if (!l.provider) return several ? `${t("report.total")} ${l.currency}` : t("report.total");
  return `${providerName(l.provider)} · ${t(`kind.${l.kind}` as Key)}`;
}

/** What training left out of the figures: counted when there was any. */
function trainingNote(r: Report): HTMLElement {
  const n = r.training_left_out ?? 0;
  return h("p", { class: "muted", id: "report-training" }, n > 0 ? plural("report.training_left_out", n, { n: number(n) }) : t("report.training_note"));
}

function render(body: HTMLElement, r: Report): void {
  if (r.totals.every((x) => x.sales === 0 && x.refunds === 0) && r.to_settle.length === 0) {
    clear(body, h("p", { class: "empty" }, t("report.none")), trainingNote(r));
    return;
  }
  // One total per currency: amounts of two currencies are never added.
  const several = r.totals.length > 1;
  const max = Math.max(...r.lines.map((l) => l.amount), 1);
  const head = ["", "report.sales", "report.amount", "report.cost", "report.margin", "report.refunds", "report.cancellations"] as const;
  const row = (l: ReportLine, total = false) =>
    h(
      "tr",
      { class: total ? "total" : "" },
      h("td", {}, name(l, several)),
      h("td", { class: "num" }, l.sales),
      h("td", { class: "num" }, money(l.amount, l.currency)),
      h("td", { class: "num" }, money(l.cost, l.currency)),
      h("td", { class: "num" }, money(l.margin, l.currency)),
      h("td", { class: "num" }, l.refunds ? `${l.refunds} (${money(l.refunded, l.currency)})` : "0"),
      h("td", { class: "num" }, l.cancellations),
    );
  // A bar per line: takings, with the margin part darker.
  const chart = h(
    "div",
    { class: "chart", id: "report-chart" },
    r.lines.map((l) => {
      const bar = h("div", { class: "bar" });
      bar.style.width = `${(100 * l.amount) / max}%`;
      const margin = h("div", { class: "bar-margin" });
      margin.style.width = `${l.amount ? (100 * l.margin) / l.amount : 0}%`;
      bar.append(margin);
      return h("div", { class: "chart-row" }, h("span", { class: "chart-label" }, name(l, several)), h("div", { class: "chart-track" }, bar), h("span", { class: "num" }, money(l.amount, l.currency)));
    }),
  );
  clear(
    body,
    chart,
    h(
      "table",
      { class: "orders-table report-table", id: "report-table" },
      h("thead", {}, h("tr", {}, head.map((k) => h("th", {}, k ? t(k) : "")))),
      h("tbody", {}, r.lines.map((l) => row(l)), r.totals.map((x) => row(x, true))),
    ),
    (r.by_cashier ?? []).some((c) => c.cashier) &&
      h(
        "table",
        { class: "orders-table report-table", id: "report-cashiers" },
        h("thead", {}, h("tr", {}, h("th", {}, t("report.cashier")), h("th", {}, t("report.sales")), h("th", {}, t("report.amount")))),
        h(
          "tbody",
          {},
          (r.by_cashier ?? []).map((c) =>
            h("tr", { "data-cashier": c.cashier ?? "" }, h("td", {}, c.cashier ?? t("report.no_cashier")), h("td", { class: "num" }, c.sales), h("td", { class: "num" }, money(c.amount, c.currency))),
          ),
        ),
      ),
    (r.tenders ?? []).length > 0 &&
      h(
        "table",
        { class: "orders-table report-table", id: "report-tenders" },
        h("thead", {}, h("tr", {}, h("th", {}, t("report.tender")), h("th", {}, t("till.taken")), h("th", {}, t("till.refunds")))),
        h(
          "tbody",
          {},
          (r.tenders ?? []).map((x) =>
            h("tr", { "data-tender": x.tender }, h("td", {}, t(`tender.${x.tender}` as Key)), h("td", { class: "num" }, money(x.taken)), h("td", { class: "num" }, money(x.refunded))),
          ),
        ),
      ),
    r.to_settle.length > 0 &&
      notice(`${t("report.to_settle", { n: r.to_settle.length })} ${r.to_settle.join(", ")}`, "warning"),
    trainingNote(r),
  );
}
