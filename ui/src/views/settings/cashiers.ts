// Settings › Cashiers: the owner adds accounts (the first one is the
// owner's), resets a PIN, disables an account (never deleted: history
// keeps the name). A PIN is typed in a password field and sent once.
import { api, asCoreError, type Account } from "../../api";
import { h, clear } from "../../dom";
import { errorText, t, type Key } from "../../i18n";
import { notice } from "../notice";

export function cashiersPanel(): HTMLElement {
  const panel = h("div", { class: "panel", id: "cashiers" });
  const result = h("div", { id: "cashiers-result" });
  const say = (e: unknown) => clear(result, notice(errorText(asCoreError(e)), "error"));
  const draw = (all: Account[]) => {
    const name = h("input", { id: "cashier-new-name", autocomplete: "off" });
    const role = h(
      "select",
      { id: "cashier-new-role" },
      (all.length === 0 ? ["owner"] : ["cashier", "manager", "owner"]).map((r) => h("option", { value: r }, t(`role.${r}` as Key))),
    );
    const pin = h("input", { id: "cashier-new-pin", type: "password", inputmode: "numeric", autocomplete: "new-password", maxlength: 8 });
    const form = h(
      "form",
      {
        class: "cashier-form",
        onsubmit: async (ev: Event) => {
          ev.preventDefault();
          try {
            await api.addCashier(name.value.trim(), role.value as Account["role"], pin.value);
            clear(result, notice(t("settings.cashiers.added", { name: name.value.trim() }), "success"));
            reload();
            // The first account locks the window until its PIN is given.
            window.dispatchEvent(new Event("comptoir-cashiers"));
          } catch (e) {
            say(e);
          } finally {
            pin.value = "";
          }
        },
      },
      h("label", { for: "cashier-new-name" }, t("settings.cashiers.name")),
      name,
      h("label", { for: "cashier-new-role" }, t("settings.cashiers.role")),
      role,
      h("label", { for: "cashier-new-pin" }, t("pin.code")),
      pin,
      h("button", { class: "primary", type: "submit", id: "cashier-add" }, t("settings.cashiers.add")),
    );
    clear(
      panel,
      h("h2", {}, t("settings.cashiers")),
      all.length === 0 ? h("p", { class: "muted" }, t("settings.cashiers.none")) : null,
      all.length > 0 &&
        h(
          "table",
          { class: "offers-table", id: "cashiers-table" },
          h(
            "tbody",
            {},
            all.map((a) => {
              const newPin = h("input", { type: "password", inputmode: "numeric", maxlength: 8, "aria-label": t("pin.code"), class: "fees" });
              return h(
                "tr",
                { "data-cashier": a.name },
                h("td", {}, a.name),
                h("td", {}, t(`role.${a.role}` as Key)),
                h("td", {}, a.active ? "" : t("settings.cashiers.disabled")),
                h(
                  "td",
                  {},
                  a.active && newPin,
                  a.active &&
                    h("button", { onclick: async () => { try { await api.setCashierPin(a.name, newPin.value); clear(result, notice(t("settings.cashiers.pin_set", { name: a.name }), "success")); } catch (e) { say(e); } finally { newPin.value = ""; } } }, t("settings.cashiers.set_pin")),
                  " ",
                  a.active &&
                    h("button", { onclick: async () => { try { await api.disableCashier(a.name); reload(); } catch (e) { say(e); } } }, t("settings.cashiers.disable")),
                ),
              );
            }),
          ),
        ),
      form,
      result,
    );
  };
  const reload = () => void api.listCashiers().then(draw, say);
  reload();
  return panel;
}
