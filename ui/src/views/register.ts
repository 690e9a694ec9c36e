// The Register screen (owner): the register checked from its first
// record (chains, signatures, the head file, the journal against its
// records), and the public key every record is signed with.
import { api, asCoreError } from "../api";
import { h, clear } from "../dom";
import { errorText, t, type Key } from "../i18n";
import { number } from "../format";
import { notice } from "./notice";

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
  clear(
    root,
    h(
      "section",
      { class: "receipt-screen", id: "register" },
      h("h1", {}, t("nav.register")),
      h("p", { class: "hint" }, t("register.what")),
      verify,
      result,
      h("h2", {}, t("register.key")),
      key,
    ),
  );
}
