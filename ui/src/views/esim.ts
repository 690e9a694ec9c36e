// The eSIM screen: the QR large enough to scan from the counter screen,
// what the customer must keep (number, PIN, PUK), the identity-registration
// duty, and Print.
import { api, asCoreError, type EsimCard } from "../api";
import { h, clear } from "../dom";
import { errorText, t } from "../i18n";
import { day, number } from "../format";
import { notice } from "./notice";
import { printButton } from "./print";

export async function esimView(root: HTMLElement, orderId: string): Promise<void> {
  let card: EsimCard;
  try {
    card = await api.esimCard(orderId);
  } catch (e) {
    clear(root, notice(errorText(asCoreError(e)), "error"));
    return;
  }
  const row = (label: string, value: string | null) =>
    value && h("div", { class: "row" }, h("span", { class: "label" }, label), h("span", { class: "value mono" }, value));
  const qr = h("img", {
    id: "esim-qr",
    class: "qr",
    alt: "QR code",
    src: `data:image/svg+xml;base64,${btoa(card.qr_svg)}`,
  });
  clear(
    root,
    h(
      "section",
      { class: "esim", id: "esim-card" },
      h("div", { class: "qr-side" }, qr, h("p", { class: "muted" }, t("esim.scan"))),
      h(
        "div",
        { class: "esim-info" },
        h("h1", {}, t("esim.title")),
        h("h2", {}, card.product_name),
        h(
          "div",
          { class: "rows" },
          row(t("esim.phone"), card.phone),
          row(t("esim.pin"), card.pin),
          row(t("esim.puk"), card.puk),
          row(t("esim.iccid"), card.iccid),
          row(
            t("esim.allowance"),
            [card.data_gb !== null && t("counter.data", { n: number(card.data_gb) }), card.validity_days !== null && t("counter.days", { n: card.validity_days })].filter(Boolean).join(" · ") || null,
          ),
        ),
        h(
          "div",
          { class: "notice warning kyc" },
          t("esim.kyc", { date: day(card.kyc_deadline) }),
          card.kyc_url && h("div", { class: "mono" }, card.kyc_url),
        ),
        h(
          "div",
          { class: "actions no-print" },
          printButton(card.order_id, "esim-print"),
          h("a", { href: "#/counter", class: "button big" }, t("esim.new_sale")),
        ),
      ),
    ),
  );
}
