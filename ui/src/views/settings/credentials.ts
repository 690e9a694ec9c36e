// Settings: a provider's credentials; the secret goes to the keyring through the core.
import { api, asCoreError } from "../../api";
import { h, clear } from "../../dom";
import { errorText, t } from "../../i18n";
import { notice } from "../notice";

export function credentialsPanel(): HTMLElement {
  // Orange Travel credentials: the secret goes to the keyring through the core.
  const credResult = h("div", { id: "credentials-result" });
  const clientId = h("input", { id: "cred-client-id", autocomplete: "off" });
  const clientSecret = h("input", { id: "cred-client-secret", type: "password", autocomplete: "off" });
  const credentials = h(
    "form",
    {
      class: "panel form-grid",
      id: "credentials",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          await api.setCredentials("orange-travel", { client_id: clientId.value, client_secret: clientSecret.value });
          clientSecret.value = "";
          clear(credResult, notice(t("settings.credentials.saved"), "success"));
        } catch (e) {
          clear(credResult, notice(errorText(asCoreError(e)), "error"));
        }
      },
    },
    h("h2", {}, t("settings.credentials")),
    h("label", { for: "cred-client-id" }, t("settings.credentials.client_id")),
    clientId,
    h("label", { for: "cred-client-secret" }, t("settings.credentials.client_secret")),
    clientSecret,
    h("button", { class: "primary", type: "submit", id: "cred-save" }, t("settings.credentials.save")),
    credResult,
  );
  return credentials;
}
