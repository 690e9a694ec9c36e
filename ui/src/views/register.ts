// The Register screen (owner): the register checked from its first
// record (chains, signatures, the head file, the journal against its
// records), and the public key every record is signed with.
import { api, asCoreError } from "../api";
import { h, clear } from "../dom";
import { errorText, locale, t, type Key } from "../i18n";
import { chooseFile } from "../files";
import { number, money, day } from "../format";
import type { Closing } from "../bindings/Closing";
import { notice } from "./notice";
import { dateField, parseDay } from "./datefield";
import { printedTo } from "./print";

export function registerView(root: HTMLElement): void {
  const result = h("div", { id: "register-result", "aria-live": "polite" });
  const key = h("pre", { id: "register-key", class: "muted" });
  const verify = h(
    "button",
    {
      id: "register-verify",
      class: "primary big",
      onclick: async () => {
        verify.disabled = true;
        clear(result, h("p", { class: "muted" }, t("register.verifying")));
        try {
          const v = await api.registerVerify();
          clear(
            result,
            notice(t("register.ok", { n: number(v.records), checked: number(v.cross_checked) }), "success"),
            h(
              "div",
              { class: "rows" },
              Object.entries(v.chains).map(([chain, n]) => h("div", { class: "row", "data-chain": chain }, h("span", { class: "label" }, t(`register.chain.${chain}` as Key)), h("span", { class: "value" }, number(n)))),
            ),
          );
        } catch (e) {
          const err = asCoreError(e);
          clear(result, notice(err.code === "register.tampered" ? t("register.defect", { message: err.message }) : errorText(err), "error"));
        } finally {
          verify.disabled = false;
        }
      },
    },
    t("register.verify"),
  );
  void api.registerKey().then((pem) => (key.textContent = pem), () => undefined);
  const closings = h("div", { id: "register-closings" });
  void api.registerClosings().then(
    (all) => clear(closings, closingTable(all)),
    (e) => clear(closings, notice(errorText(asCoreError(e)), "error")),
  );
  clear(
    root,
    h(
      "section",
      { class: "receipt-screen", id: "register" },
      h("h1", {}, t("nav.register")),
      h("p", { class: "hint" }, t("register.what")),
      verify,
      result,
      h("h2", {}, t("register.closings")),
      closings,
      h("h2", {}, t("register.archive")),
      archiveForm(),
      h("h2", {}, t("register.key")),
      key,
    ),
  );
}

/** The closings, newest first, each with its printout. */
function closingTable(all: Closing[]): HTMLElement {
  if (all.length === 0) return h("p", { class: "muted" }, t("register.closings.none"));
  const result = h("div", { id: "register-print-result", "aria-live": "polite" });
  const period = (c: Closing) => (c.kind === "day" ? day(c.period) : c.kind === "year" ? `${shortDay(c.from)} – ${shortDay(c.to)}` : month(c.from));
  const rows = all.map((c) =>
    h(
      "tr",
      { "data-closing": String(c.seq), "data-kind": c.kind },
      h("td", {}, t(`register.closing.${c.kind}` as Key)),
      h("td", {}, period(c)),
      h("td", { class: "num" }, number(c.receipts)),
      h("td", { class: "num" }, money(c.period_total, c.currency)),
      h("td", { class: "num" }, money(c.perpetual_total, c.currency)),
      h(
        "td",
        {},
        h(
          "button",
          {
            type: "button",
            class: "print-closing",
            onclick: async () => {
              try {
                const p = await api.printClosing(c.seq, "printer");
                clear(result, notice(printedTo(p.to), "success"));
              } catch (e) {
                clear(result, notice(errorText(asCoreError(e)), "error"));
              }
            },
          },
          t("register.closing.print"),
        ),
      ),
    ),
  );
  return h(
    "div",
    {},
    h(
      "table",
      { class: "list" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, ""),
          h("th", {}, ""),
          h("th", { class: "num" }, t("register.closing.receipts")),
          h("th", { class: "num" }, t("register.closing.period_total")),
          h("th", { class: "num" }, t("register.closing.perpetual")),
          h("th", {}, ""),
        ),
      ),
      h("tbody", {}, rows),
    ),
    result,
  );
}

const tag = () => (locale() === "fr" ? "fr-FR" : "en-GB");
const parts = (iso: string) => iso.split("-").map(Number);

/** `décembre 2026`, `December 2026`. */
function month(isoDay: string): string {
  const [y, m] = parts(isoDay);
  return new Intl.DateTimeFormat(tag(), { month: "long", year: "numeric" }).format(new Date(y, m - 1, 1));
}

/** `01/01/2026`, as the shop writes a day in short. */
function shortDay(isoDay: string): string {
  const [y, m, d] = parts(isoDay);
  return new Intl.DateTimeFormat(tag(), { dateStyle: "short" }).format(new Date(y, m - 1, d));
}

/** `YYYY-MM-DD` of a local date. */
function iso(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Archive or export a closed period (by default: this month until yesterday). */
function archiveForm(): HTMLElement {
  const now = new Date();
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  // Days typed as the shop writes them (`01/12/2026`): a date input follows
  // WebKit's own locale and showed the month first in a French window.
  const from = dateField("register-from", "register.from", iso(new Date(yesterday.getFullYear(), yesterday.getMonth(), 1)));
  const to = dateField("register-to", "register.to", iso(yesterday));
  const result = h("div", { id: "register-archive-result", "aria-live": "polite" });
  const run = (what: "archive" | "export") => async () => {
    const [first, last] = [parseDay(from.value), parseDay(to.value)];
    if (!first || !last) {
      for (const [field, day] of [[from, first], [to, last]] as const) {
        if (!day) field.setAttribute("aria-invalid", "true");
      }
      clear(result, notice(t("date.invalid"), "error"));
      return;
    }
    try {
      const period = `${first}-${last}`;
      const chosen = await chooseFile(what === "archive" ? "register_archive" : "register_export", period);
      if (!chosen) return;
      const a = what === "archive" ? await api.registerArchive(first, last, chosen) : await api.registerExport(first, last, chosen);
      const n = Object.values(a.records).reduce((x, y) => x + y, 0);
      clear(result, notice(t(what === "archive" ? "register.archived" : "register.exported", { path: a.path, n: number(n) }), "success"));
    } catch (e) {
      clear(result, notice(errorText(asCoreError(e)), "error"));
    }
  };
  return h(
    "div",
    { id: "register-archive" },
    h("p", { class: "hint" }, t("register.archive.what")),
    h("div", { class: "fields" }, h("label", {}, `${t("register.from")} `, from), h("label", {}, ` ${t("register.to")} `, to)),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", id: "register-archive-go", onclick: run("archive") }, t("register.archive.go")),
      h("button", { type: "button", id: "register-export-go", onclick: run("export") }, t("register.export.go")),
    ),
    result,
  );
}
