// Settings: the shop's Internet+ Box offers (the console's offer id, a name,
// the amount, one-off or a subscription's period) and what each sells, an
// eSIM or a gift card delivered before the payment is confirmed.
import { api, asCoreError, type PayOffer, type ProviderId } from "../../api";
import { h, clear } from "../../dom";
import { errorText, t } from "../../i18n";
import { money } from "../../format";
import { notice } from "../notice";

export function payOffersPanel(): HTMLElement {
  const panel = h("div", { class: "panel", id: "pay-offers" });
  const result = h("div", { id: "pay-offers-result" });
  const draw = async () => {
    let offers: PayOffer[] = [];
    try {
      offers = await api.payOffers();
    } catch (e) {
      clear(result, notice(errorText(asCoreError(e)), "error"));
    }
    const id = h("input", { id: "pay-offer-id", autocomplete: "off", placeholder: "1111" });
    const name = h("input", { id: "pay-offer-name", autocomplete: "off" });
    const amount = h("input", { id: "pay-offer-amount", inputmode: "decimal", placeholder: "4,99" });
    const period = h("select", { id: "pay-offer-period" }, ...["", "WEEKLY", "MONTHLY"].map((p) => h("option", { value: p }, p ? t(`settings.pay.${p.toLowerCase()}` as never) : t("settings.pay.once"))));
    const sellsProvider = h(
      "select",
      { id: "pay-offer-sells" },
      h("option", { value: "" }, t("settings.pay.sells_nothing")),
      h("option", { value: "orange-travel" }, "Orange Travel (eSIM)"),
      h("option", { value: "amilon" }, "Amilon"),
    );
    const product = h("input", { id: "pay-offer-product", autocomplete: "off", placeholder: "FNAC_25_EUR" });
    const save = async (ev: Event) => {
      ev.preventDefault();
      const cents = Math.round(Number(amount.value.replace(",", ".")) * 100);
      const offer: PayOffer = {
        id: id.value.trim(),
        name: name.value.trim(),
        amount: cents / 100,
        period: period.value || null,
        sells: sellsProvider.value ? { provider: sellsProvider.value as ProviderId, product: product.value.trim() } : null,
      };
      try {
        await api.savePayOffer(offer);
        await draw();
        clear(result, notice(t("settings.pay.saved"), "success"));
      } catch (e) {
        clear(result, notice(errorText(asCoreError(e)), "error"));
      }
    };
    clear(
      panel,
      h("h2", {}, t("settings.pay")),
      h("p", { class: "muted" }, t("settings.pay.hint")),
      h(
        "table",
        { class: "offers-table", id: "pay-offers-table" },
        h(
          "tbody",
          {},
          offers.map((o) =>
            h(
              "tr",
              { "data-offer": o.id },
              h("td", { class: "mono" }, o.id),
              h("td", {}, o.name),
              h("td", { class: "num" }, money(o.amount)),
              h("td", {}, o.period ?? t("settings.pay.once")),
              h("td", { class: "muted" }, o.sells ? `${o.sells.provider}: ${o.sells.product}` : ""),
              h(
                "td",
                {},
                h(
                  "button",
                  {
                    "data-remove": o.id,
                    onclick: async () => {
                      try {
                        await api.removePayOffer(o.id);
                        await draw();
                      } catch (e) {
                        clear(result, notice(errorText(asCoreError(e)), "error"));
                      }
                    },
                  },
                  t("settings.pay.remove"),
                ),
              ),
            ),
          ),
        ),
      ),
      h(
        "form",
        { class: "form-grid", onsubmit: save },
        h("label", { for: "pay-offer-id" }, t("settings.pay.id")),
        id,
        h("label", { for: "pay-offer-name" }, t("settings.pay.name")),
        name,
        h("label", { for: "pay-offer-amount" }, t("settings.pay.amount")),
        amount,
        h("label", { for: "pay-offer-period" }, t("settings.pay.period")),
        period,
        h("label", { for: "pay-offer-sells" }, t("settings.pay.sells")),
        h("span", { class: "field" }, sellsProvider, product),
        h("button", { class: "primary", type: "submit", id: "pay-offer-save" }, t("settings.pay.add")),
      ),
      result,
    );
  };
  void draw();
  return panel;
}
