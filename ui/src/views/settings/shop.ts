// Settings: the shop's details printed on tickets, and its printers.
import { api, asCoreError, type Paper } from "../../api";
import { h, clear } from "../../dom";
import { errorText, t } from "../../i18n";
import { notice } from "../notice";

export function shopPanel(): HTMLElement {
  // The shop's details for tickets, and the printers: the computer's own
  // (CUPS, for the Print button) and a thermal one spoken to directly.
  const shopResult = h("div", { id: "shop-result" });
  const shopName = h("input", { id: "shop-name", autocomplete: "off" });
  const shopAddress = h("input", { id: "shop-address", autocomplete: "off" });
  const shopPrinter = h("input", { id: "shop-printer", autocomplete: "off", placeholder: "tcp://192.168.1.50:9100 · /dev/usb/lp0" });
  const systemPrinter = h("select", { id: "shop-system-printer" }, h("option", { value: "" }, t("settings.shop.default_printer")));
  const paper = h(
    "select",
    { id: "shop-paper" },
    h("option", { value: "receipt" }, t("settings.paper.receipt")),
    h("option", { value: "a4" }, t("settings.paper.a4")),
  );
  Promise.all([api.shopSettings(), api.systemPrinters().catch(() => [])]).then(([s, printers]) => {
    shopName.value = s.name ?? "";
    shopAddress.value = s.address ?? "";
    shopPrinter.value = s.printer ?? "";
    paper.value = s.paper;
    // The chosen printer stays listed even when the system no longer has it,
    // so saving does not silently switch printers.
    const names = printers.map((p) => p.name);
    if (s.system_printer && !names.includes(s.system_printer)) names.push(s.system_printer);
    systemPrinter.append(...names.map((n) => h("option", { value: n }, n)));
    if (printers.length === 0) systemPrinter.append(h("option", { value: "", disabled: true }, t("settings.shop.no_printers")));
    systemPrinter.value = s.system_printer ?? "";
  }, () => undefined);
  const shop = h(
    "form",
    {
      class: "panel form-grid",
      id: "shop",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          await api.setShopSettings({
            name: shopName.value,
            address: shopAddress.value,
            printer: shopPrinter.value,
            system_printer: systemPrinter.value,
            paper: paper.value as Paper,
          });
          clear(shopResult, notice(t("settings.shop.saved"), "success"));
        } catch (e) {
          clear(shopResult, notice(errorText(asCoreError(e)), "error"));
        }
      },
    },
    h("h2", {}, t("settings.shop")),
    h("label", { for: "shop-name" }, t("settings.shop.name")),
    shopName,
    h("label", { for: "shop-address" }, t("settings.shop.address")),
    shopAddress,
    h("label", { for: "shop-system-printer" }, t("settings.shop.system_printer")),
    systemPrinter,
    h("label", { for: "shop-paper" }, t("settings.shop.paper")),
    paper,
    h("label", { for: "shop-printer" }, t("settings.shop.printer")),
    shopPrinter,
    h("button", { class: "primary", type: "submit", id: "shop-save" }, t("settings.shop.save")),
    shopResult,
  );
  return shop;
}
