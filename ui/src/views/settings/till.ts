// Settings › Till: this counter's code (receipt numbers start with it),
// the means of payment the shop takes, and how a one-line sale is paid.
import { api, asCoreError } from "../../api";
import { h, clear } from "../../dom";
import { errorText, t, type Key } from "../../i18n";
import { notice } from "../notice";
import type { Tender } from "../../bindings/Tender";

const TENDERS: Tender[] = ["cash", "card", "internet-plus"];

export function tillPanel(): HTMLElement {
  const result = h("div", { id: "till-settings-result" });
  const counter = h("input", { id: "till-counter", autocomplete: "off", maxlength: 12 }) as HTMLInputElement;
  const boxes = new Map(TENDERS.map((x) => [x, h("input", { type: "checkbox", id: `till-tender-${x}`, value: x }) as HTMLInputElement]));
  const fallback = h("select", { id: "till-default" }, ["cash", "card"].map((x) => h("option", { value: x }, t(`tender.${x}` as Key))));
  void api.tillSettings().then((s) => {
    counter.value = s.counter;
    for (const [x, box] of boxes) box.checked = s.tenders.includes(x);
    fallback.value = s.default_tender;
  }, () => undefined);
  return h(
    "form",
    {
      class: "panel form-grid",
      id: "till-settings",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          await api.setTillSettings({
            counter: counter.value,
            tenders: TENDERS.filter((x) => boxes.get(x)!.checked),
            default_tender: fallback.value as Tender,
          });
          clear(result, notice(t("settings.shop.saved"), "success"));
        } catch (e) {
          clear(result, notice(errorText(asCoreError(e)), "error"));
        }
      },
    },
    h("h2", {}, t("settings.till")),
    h("label", { for: "till-counter" }, t("settings.till.counter")),
    counter,
    h("span", { class: "label" }, t("settings.till.tenders")),
    h("div", { class: "checks" }, TENDERS.map((x) => h("label", { class: "check" }, boxes.get(x)!, " ", t(`tender.${x}` as Key)))),
    h("label", { for: "till-default" }, t("settings.till.default")),
    fallback,
    h("button", { class: "primary", type: "submit", id: "till-settings-save" }, t("settings.shop.save")),
    result,
  );
}
