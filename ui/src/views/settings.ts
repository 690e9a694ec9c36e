// Settings: language, providers and how they are reached, catalog sync.
import { api, asCoreError, PROVIDER_NAMES, type KeyStatus, type Paper, type Status } from "../api";
import { h, clear } from "../dom";
import { errorText, t, type Key, type Locale } from "../i18n";
import { dateTime } from "../format";
import { notice } from "./notice";

export async function settingsView(root: HTMLElement, onLocale: (l: Locale | null) => void): Promise<void> {
  let status: Status;
  let chosen: Locale | null;
  try {
    [status, chosen] = await Promise.all([api.status(), api.preferences().then((p) => p.locale)]);
  } catch (e) {
    clear(root, notice(errorText(asCoreError(e)), "error"));
    return;
  }
  const language = h(
    "select",
    {
      id: "settings-language",
      onchange: async () => {
        const value = (language.value || null) as Locale | null;
        try {
          await api.setLocale(value);
          onLocale(value);
        } catch (e) {
          root.prepend(notice(errorText(asCoreError(e)), "error"));
        }
      },
    },
    h("option", { value: "" }, t("settings.language.system")),
    h("option", { value: "fr" }, "Français"),
    h("option", { value: "en" }, "English"),
  );
  language.value = chosen ?? "";

  const syncInfo = h("div", { id: "sync-info" });
  const renderSync = (s: Status) =>
    clear(
      syncInfo,
      s.catalog_synced.length === 0
        ? h("p", { class: "muted" }, t("settings.never_synced"))
        : s.catalog_synced.map((c) => h("p", {}, t("settings.synced", { provider: PROVIDER_NAMES[c.provider] ?? c.provider, n: c.items, when: dateTime(c.synced_at) }))),
    );
  renderSync(status);
  const syncButton = h(
    "button",
    {
      id: "sync-now",
      class: "primary",
      onclick: async () => {
        syncButton.disabled = true;
        try {
          await api.sync();
          renderSync(await api.status());
        } catch (e) {
          syncInfo.prepend(notice(errorText(asCoreError(e)), "error"));
        } finally {
          syncButton.disabled = false;
        }
      },
    },
    t("settings.sync"),
  );

  const keysPanel = h("div", { class: "panel", id: "keys" });
  const renderKeys = (k: KeyStatus | null, error?: unknown) => {
    const fp = (v: string | null) => v ?? t("settings.keys.none");
    const act = async (confirmKey: Key | null, run: () => Promise<KeyStatus>) => {
      if (confirmKey && !window.confirm(t(confirmKey))) return;
      try {
        renderKeys(await run());
      } catch (e) {
        renderKeys(k, e);
      }
    };
    clear(
      keysPanel,
      h("h2", {}, t("settings.keys")),
      error ? notice(errorText(asCoreError(error)), "error") : null,
      k &&
        h(
          "div",
          { class: "rows" },
          h("div", { class: "row" }, h("span", { class: "label" }, t("settings.keys.local")), h("span", { class: "value mono", id: "key-local" }, fp(k.local))),
          h("div", { class: "row" }, h("span", { class: "label" }, t("settings.keys.server")), h("span", { class: "value mono", id: "key-server" }, fp(k.server))),
        ),
      k && notice(t(k.ready ? "settings.keys.ready" : k.local && k.server ? "settings.keys.mismatch" : "settings.keys.not_ready"), k.ready ? "success" : "warning"),
      h(
        "div",
        { class: "actions" },
        h("button", { id: "keys-generate", class: k?.local ? "" : "primary", onclick: () => act(k?.local ? "settings.keys.confirm_replace" : null, () => api.keysGenerate(Boolean(k?.local))) }, t("settings.keys.generate")),
        h("button", { id: "keys-upload", class: k?.local && !k.ready ? "primary" : "", disabled: !k?.local, onclick: () => act("settings.keys.confirm_upload", api.keysUpload) }, t("settings.keys.upload")),
      ),
      h("p", { class: "muted" }, t("settings.keys.backup")),
      backupForm(k, renderKeys),
    );
  };
  api.keysStatus().then((k) => renderKeys(k), (e) => renderKeys(null, e));

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

  const modeText = (p: Status["providers"][number]) =>
    p.mode === "training" && !p.simulated ? t("settings.mode.no_sim") : t(`settings.mode.${p.mode}` as Key);

  clear(
    root,
    h(
      "section",
      { class: "settings" },
      h("h1", {}, t("settings.title")),
      h("div", { class: "panel" }, h("label", { for: "settings-language" }, t("settings.language")), language),
      h(
        "div",
        { class: "panel" },
        h("h2", {}, t("settings.providers")),
        h(
          "table",
          { class: "providers", id: "providers" },
          h(
            "tbody",
            {},
            status.providers.map((p) =>
              h(
                "tr",
                { "data-provider": p.provider },
                h("td", {}, p.name),
                h("td", {}, h("span", { class: `mode ${p.mode}` }, modeText(p))),
                h("td", { class: "muted" }, p.error ? errorText(p.error) : ""),
              ),
            ),
          ),
        ),
        h("p", { class: "muted" }, t("settings.credentials_hint")),
      ),
      shop,
      credentials,
      keysPanel,
      offers,
      giftcardsPanel(),
      h("div", { class: "panel" }, h("h2", {}, t("settings.catalog")), syncInfo, syncButton),
      h(
        "div",
        { class: "panel rows" },
        h("div", { class: "row" }, h("span", { class: "label" }, t("settings.data_dir")), h("span", { class: "value mono" }, status.data_dir)),
        h("div", { class: "row" }, h("span", { class: "label" }, t("settings.secret_store")), h("span", { class: "value" }, t(`settings.secret_store.${status.secret_store}` as Key))),
        h("div", { class: "row" }, h("span", { class: "label" }, t("settings.version")), h("span", { class: "value" }, status.version)),
      ),
    ),
  );
}

/** Back up the shop's key to a file (passphrase twice), or restore it. */
function backupForm(k: KeyStatus | null, onStatus: (k: KeyStatus) => void): HTMLElement {
  const result = h("div", { id: "backup-result" });
  const path = h("input", { id: "backup-path", autocomplete: "off" });
  const pass = h("input", { id: "backup-pass", type: "password", autocomplete: "new-password" });
  const again = h("input", { id: "backup-again", type: "password", autocomplete: "new-password" });
  if (k?.local) void api.keysBackupSuggestion().then((p) => (path.value ||= p), () => undefined);
  const say = (e: unknown) => clear(result, notice(errorText(asCoreError(e)), "error"));
  const backup = h(
    "button",
    {
      id: "backup-save",
      type: "button",
      disabled: !k?.local,
      onclick: async () => {
        try {
          await api.keysBackup(path.value, pass.value, again.value);
          clear(result, notice(t("settings.backup.saved", { path: path.value }), "success"));
          pass.value = again.value = "";
        } catch (e) {
          say(e);
        }
      },
    },
    t("settings.backup.save"),
  );
  const restore = h(
    "button",
    {
      id: "backup-restore",
      type: "button",
      onclick: async () => {
        const force = Boolean(k?.local);
        if (force && !window.confirm(t("settings.backup.confirm_restore"))) return;
        try {
          const status = await api.keysRestore(path.value, pass.value, force);
          pass.value = again.value = "";
          onStatus(status);
        } catch (e) {
          say(e);
        }
      },
    },
    t("settings.backup.restore"),
  );
  return h(
    "div",
    { class: "form-grid backup" },
    h("h3", {}, t("settings.backup.title")),
    h("label", { for: "backup-path" }, t("settings.backup.path")),
    path,
    h("label", { for: "backup-pass" }, t("settings.backup.passphrase")),
    pass,
    h("label", { for: "backup-again" }, t("settings.backup.confirm")),
    again,
    h("div", { class: "actions" }, backup, restore),
    result,
  );
}

/** Amilon: the catalog's country, the retailers sold, the face values offered. */
function giftcardsPanel(): HTMLElement {
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
