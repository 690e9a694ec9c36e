// Settings: the shop's name and fees for each Orange Travel offer.
import { api, asCoreError } from "../../api";
import { h, clear } from "../../dom";
import { errorText, t } from "../../i18n";
import { notice } from "../notice";

export function offersPanel(): HTMLElement {
  // The shop's name and fees per Orange offer.
  const offers = h("div", { class: "panel", id: "offers" }, h("h2", {}, t("settings.offers")));
  api.catalog({ provider: "orange-travel" }).then((items) => {
    offers.append(
      h(
        "table",
        { class: "offers-table" },
        h(
          "tbody",
          {},
          items.map((item) => {
            const name = h("input", { value: item.name, "aria-label": item.name });
            const fees = h("input", { type: "number", min: 0, step: "0.01", value: item.cost !== null ? (item.price - item.cost).toFixed(2) : "", class: "fees" });
            const type = h("select", {}, h("option", { value: "value" }, t("settings.offers.value")), h("option", { value: "percent" }, t("settings.offers.percent")));
            const done = h("span", { class: "muted" });
            const save = h(
              "button",
              {
                onclick: async () => {
                  try {
                    await api.customizeOffer(item.id, name.value, fees.value === "" ? null : Number(fees.value), type.value);
                    clear(done, t("settings.offers.saved"));
                  } catch (e) {
                    clear(done, errorText(asCoreError(e)));
                  }
                },
              },
              t("settings.offers.save"),
            );
            return h("tr", { "data-offer": item.id }, h("td", {}, name), h("td", {}, fees), h("td", {}, type), h("td", {}, save, " ", done));
          }),
        ),
      ),
    );
  }, (e) => offers.append(notice(errorText(asCoreError(e)), "error")));
  return offers;
}
