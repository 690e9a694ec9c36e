// Settings: the providers, how each is reached (training, live, or what is
// missing), and each one's credentials form, drawn from the core's field
// table. Secrets go to the keyring through the core and never come back:
// a saved secret shows as saved, not as its value. "Test the connection"
// asks the provider for a token with what is in force.
import { api, asCoreError, type FieldView, type ProviderForm, type ProviderStatus, type Status } from "../../api";
import { h, clear } from "../../dom";
import { errorText, t, type Key } from "../../i18n";
import { notice } from "../notice";

/** The providers panel; it redraws itself after a save, a test or a forget. */
export function providersPanel(status: Status): HTMLElement {
  const panel = h("div", { class: "panel", id: "providers-panel" });
  const draw = (s: Status, forms: ProviderForm[], open: string | null) => {
    const refresh = async (keepOpen: string) => {
      const [fresh, freshForms] = await Promise.all([api.status(), api.providerForms()]);
      draw(fresh, freshForms, keepOpen);
    };
    clear(
      panel,
      h("h2", {}, t("settings.providers")),
      statusTable(s.providers),
      h("p", { class: "muted" }, t("settings.credentials_hint")),
      forms.map((f) => providerForm(f, s.providers.find((p) => p.provider === f.provider), f.provider === open, refresh)),
    );
  };
  draw(status, [], null);
  api.providerForms().then(
    (forms) => draw(status, forms, null),
    (e) => panel.append(notice(errorText(asCoreError(e)), "error")),
  );
  return panel;
}

function modeText(p: ProviderStatus): string {
  return p.mode === "training" && !p.simulated ? t("settings.mode.no_sim") : t(`settings.mode.${p.mode}` as Key);
}

function statusTable(providers: ProviderStatus[]): HTMLElement {
  return h(
    "table",
    { class: "providers", id: "providers" },
    h(
      "tbody",
      {},
      providers.map((p) =>
        h(
          "tr",
          { "data-provider": p.provider },
          h("td", {}, p.name),
          h("td", {}, h("span", { class: `mode ${p.mode}` }, modeText(p))),
          h("td", { class: "muted" }, p.error ? errorText(p.error) : ""),
        ),
      ),
    ),
  );
}

/** A field's label: its own sentence when there is one, else its name. */
function label(field: FieldView): string {
  const key = `settings.field.${field.name}` as Key;
  const text = t(key);
  return text === key ? field.name : text;
}

function input(provider: string, field: FieldView): HTMLInputElement {
  const attrs: Record<string, string | boolean> = { id: `cred-${provider}-${field.name}`, name: field.name, autocomplete: "off" };
  if (field.role === "secret") {
    attrs.type = "password";
    attrs.autocomplete = "new-password";
    if (field.set) attrs.placeholder = t("settings.credentials.secret_saved");
  } else {
    attrs.value = field.value ?? "";
    if (field.default) attrs.placeholder = field.default;
  }
  if (field.from_env) {
    attrs.disabled = true;
    attrs.title = t("settings.credentials.from_env", { env: field.env });
  }
  return h("input", attrs);
}

function providerForm(
  form: ProviderForm,
  status: ProviderStatus | undefined,
  open: boolean,
  refresh: (keepOpen: string) => Promise<void>,
): HTMLElement {
  const id = form.provider;
  const result = h("div", { id: `credentials-${id}-result`, class: "credentials-result" });
  const inputs = form.fields.map((f) => [f, input(id, f)] as const);
  const say = (e: unknown) => clear(result, notice(errorText(asCoreError(e)), "error"));
  const after = async (text: string) => {
    await refresh(id);
    const again = document.getElementById(`credentials-${id}-result`);
    if (again) clear(again, notice(text, "success"));
  };
  const save = async (ev: Event) => {
    ev.preventDefault();
    const values: Record<string, string> = {};
    for (const [f, el] of inputs) if (!f.from_env && el.value.trim() !== "") values[f.name] = el.value;
    try {
      await api.setCredentials(id, values);
      await after(t("settings.credentials.saved"));
    } catch (e) {
      say(e);
    }
  };
  const test = async () => {
    clear(result, notice(t("settings.credentials.testing"), "info"));
    try {
      const r = await api.testConnection(id);
      await after(t(r.training ? "settings.credentials.test_ok_training" : "settings.credentials.test_ok", { provider: form.name }));
    } catch (e) {
      say(e);
    }
  };
  const forget = async () => {
    if (!window.confirm(t("settings.credentials.confirm_forget", { provider: form.name }))) return;
    try {
      await api.clearCredentials(id);
      await after(t("settings.credentials.forgotten"));
    } catch (e) {
      say(e);
    }
  };
  const fields = inputs.flatMap(([f, el]) => [
    h("label", { for: el.id }, label(f)),
    h("span", { class: "field" }, el, f.from_env ? h("small", { class: "muted" }, t("settings.credentials.from_env", { env: f.env })) : null),
  ]);
  const details = h(
    "details",
    { class: "credentials", id: `credentials-${id}`, "data-provider": id },
    h("summary", {}, t("settings.credentials.of", { provider: form.name }), " ", status ? h("span", { class: `mode ${status.mode}` }, modeText(status)) : null),
    h(
      "form",
      { class: "form-grid", onsubmit: save },
      ...fields,
      h(
        "div",
        { class: "actions" },
        h("button", { class: "primary", type: "submit", id: `cred-${id}-save` }, t("settings.credentials.save")),
        h("button", { type: "button", id: `cred-${id}-test`, onclick: test }, t("settings.credentials.test")),
        h("button", { type: "button", id: `cred-${id}-forget`, onclick: forget }, t("settings.credentials.forget")),
      ),
      result,
    ),
  ) as HTMLDetailsElement;
  details.open = open;
  return details;
}
