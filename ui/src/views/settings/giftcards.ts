// Settings: Amilon gift cards: the catalog's culture, face values, hidden retailers.
import { api, asCoreError } from "../../api";
import { h, clear } from "../../dom";
import { errorText, t } from "../../i18n";
import { notice } from "../notice";

export function giftcardsPanel(): HTMLElement {
  const panel = h("div", { class: "panel", id: "giftcards" }, h("h2", {}, t("settings.giftcards")));
  const result = h("div", { id: "giftcards-result", "aria-live": "polite" });
  const say = (p: Promise<unknown>, ok?: (v: unknown) => string) =>
    p.then(
      (v) => clear(result, ok ? notice(ok(v), "success") : ""),
      (e) => clear(result, notice(errorText(asCoreError(e)), "error")),
    );
  void api.giftcardSettings().then((g) => {
    const culture = h("select", { id: "giftcards-culture" }, g.cultures.map((c) => h("option", { value: c, selected: c === g.culture }, c)));
    culture.addEventListener("change", () => void say(api.setCulture(culture.value).then(() => api.giftcardSettings()).then(() => undefined)));
    const values = h("input", { id: "giftcards-values", autocomplete: "off", placeholder: "10 25 50 100", value: g.face_values.join(" ") });
    const saveValues = h(
      "button",
      {
        id: "giftcards-values-save",
        type: "button",
        onclick: () => {
          const list = values.value.split(/[\s;]+/).filter(Boolean).map((v) => Number(v.replace(",", ".")));
          void say(api.setFaceValues(list), (n) => t("settings.face_values_saved", { n: n as number }));
        },
      },
      t("settings.shop.save"),
    );
    const retailers =
      g.retailers.length === 0
        ? h("p", { class: "muted" }, t("settings.retailers_none"))
        : h(
            "div",
            { class: "retailers", id: "giftcards-retailers" },
            g.retailers.map((r) => {
              const box = h("input", { type: "checkbox", checked: !r.hidden, "data-retailer": r.id }) as HTMLInputElement;
              box.addEventListener("change", () => void say(api.setRetailerHidden(r.id, !box.checked), (n) => t("settings.face_values_saved", { n: n as number })));
              const img = h("img", { class: "logo small", alt: "", hidden: true }) as HTMLImageElement;
              if (r.logo) void api.catalogLogo(r.logo).then((src) => ((img.src = src), (img.hidden = false)), () => undefined);
              return h("label", { class: "retailer" }, box, img, h("span", {}, r.name), h("span", { class: "muted" }, r.category ?? ""));
            }),
          );
    panel.append(
      h("div", { class: "form-grid" }, h("label", { for: "giftcards-culture" }, t("settings.culture")), culture, h("label", { for: "giftcards-values" }, t("settings.face_values")), h("span", {}, values, " ", saveValues)),
      h("h3", {}, t("settings.retailers")),
      retailers,
      result,
    );
  }, (e) => panel.append(notice(errorText(asCoreError(e)), "error")));
  return panel;
}
