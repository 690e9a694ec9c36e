// Settings › Register and VAT: the shop's SIRET (on every receipt and
// closing), the fiscal year's last day (when the yearly closing falls) and
// each kind of product's tax treatment, whose defaults the README gives for
// the shop's accountant to confirm. Every change is a register event.
import { api, asCoreError, providerName } from "../../api";
import { h, clear } from "../../dom";
import { errorText, locale, t, type Key } from "../../i18n";
import { notice } from "../notice";
import type { FiscalSettings } from "../../bindings/FiscalSettings";
import type { ProviderId } from "../../bindings/ProviderId";

/** The rates French VAT has; a rate set otherwise is offered too. */
const RATES = ["20", "10", "5.5", "2.1"];

/** The last day of each month, as the setting writes it (`MM-DD`). */
const MONTH_ENDS = ["01-31", "02-28", "03-31", "04-30", "05-31", "06-30", "07-31", "08-31", "09-30", "10-31", "11-30", "12-31"];

/** A treatment in words: `agent`, `mpv`, `vat:5.5` → "TVA 5,5 %". */
function treatmentText(treatment: string): string {
  if (treatment === "agent" || treatment === "mpv") return t(`fiscal.tax.${treatment}` as Key);
  const rate = treatment.replace(/^vat:/, "");
  return t("fiscal.tax.vat", { rate: locale() === "fr" ? rate.replace(".", ",") : rate });
}

function monthEnd(mmdd: string): string {
  const [month, day] = mmdd.split("-").map(Number);
  const name = new Date(Date.UTC(2023, month - 1, 1)).toLocaleDateString(locale() === "fr" ? "fr-FR" : "en-GB", { month: "long", timeZone: "UTC" });
  return t(mmdd === "02-28" ? "fiscal.year_end.february" : "fiscal.year_end.day", { day, month: name });
}

export function fiscalPanel(): HTMLElement {
  const result = h("div", { id: "fiscal-result", "aria-live": "polite" });
  const siret = h("input", { id: "fiscal-siret", autocomplete: "off", inputmode: "numeric", maxlength: 20, placeholder: "732 829 320 00074" }) as HTMLInputElement;
  const yearEnd = h("select", { id: "fiscal-year-end" }, MONTH_ENDS.map((d) => h("option", { value: d }, monthEnd(d)))) as HTMLSelectElement;
  const taxes = h("div", { class: "form-grid", id: "fiscal-taxes" });
  let loaded: FiscalSettings | null = null;
  void api.fiscalSettings().then((s) => {
    loaded = s;
    siret.value = s.siret;
    yearEnd.value = s.fiscal_year_end;
    clear(
      taxes,
      s.taxes.map((c) => {
        const options = ["agent", "mpv", ...RATES.map((r) => `vat:${r}`)];
        if (!options.includes(c.treatment)) options.push(c.treatment);
        const id = `fiscal-tax-${c.provider}-${c.kind}`;
        const select = h(
          "select",
          { id, "data-provider": c.provider, "data-kind": c.kind },
          options.map((o) => h("option", { value: o }, o === c.default ? t("fiscal.tax.default", { treatment: treatmentText(o) }) : treatmentText(o))),
        ) as HTMLSelectElement;
        select.value = c.treatment;
        return [h("label", { for: id }, `${providerName(c.provider as ProviderId)} · ${t(`kind.${c.kind}` as Key)}`), select];
      }).flat(),
    );
  }, () => undefined);
  return h(
    "form",
    {
      class: "panel form-grid",
      id: "fiscal-settings",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        if (!loaded) return;
        const chosen = (c: FiscalSettings["taxes"][number]) =>
          (taxes.querySelector(`select[data-provider="${c.provider}"][data-kind="${c.kind}"]`) as HTMLSelectElement).value;
        try {
          await api.setFiscalSettings({
            siret: siret.value,
            fiscal_year_end: yearEnd.value,
            taxes: loaded.taxes.map((c) => ({ ...c, treatment: chosen(c) })),
          });
          clear(result, notice(t("settings.shop.saved"), "success"));
        } catch (e) {
          clear(result, notice(errorText(asCoreError(e)), "error"));
        }
      },
    },
    h("h2", {}, t("fiscal.title")),
    h("label", { for: "fiscal-siret" }, t("fiscal.siret")),
    siret,
    h("label", { for: "fiscal-year-end" }, t("fiscal.year_end")),
    yearEnd,
    h("h3", {}, t("fiscal.taxes")),
    h("p", { class: "hint" }, t("fiscal.taxes.hint")),
    taxes,
    h("button", { class: "primary", type: "submit", id: "fiscal-save" }, t("settings.shop.save")),
    result,
  );
}
