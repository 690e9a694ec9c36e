// Settings: language, providers and how they are reached, catalog sync.
import { api, asCoreError, providerName, type Status } from "../../api";
import { h, clear } from "../../dom";
import { errorText, t, type Key, type Locale } from "../../i18n";
import { dateTime } from "../../format";
import { notice } from "../notice";
import { providersPanel } from "./credentials";
import { giftcardsPanel } from "./giftcards";
import { keysPanel } from "./keys";
import { offersPanel } from "./offers";
import { payOffersPanel } from "./payoffers";
import { shopPanel } from "./shop";
import { sharePanel } from "./share";
import { tillPanel } from "./till";
import { fiscalPanel } from "./fiscal";
import { cashiersPanel } from "./cashiers";

export async function settingsView(root: HTMLElement, onLocale: (l: Locale | null) => void): Promise<void> {
  let status: Status;
  let chosen: Locale | null;
  try {
    [status, chosen] = await Promise.all([api.status(), api.preferences().then((p) => p.locale)]);
  } catch (e) {
    clear(root, notice(errorText(asCoreError(e)), "error"));
    return;
  }
  // The cashier may have moved on while the core answered: draw nothing then.
  if (!location.hash.startsWith("#/settings")) return;
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
        : s.catalog_synced.map((c) => h("p", {}, t("settings.synced", { provider: providerName(c.provider), n: c.items, when: dateTime(c.synced_at) }))),
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

  clear(
    root,
    h(
      "section",
      { class: "settings" },
      h("h1", {}, t("settings.title")),
      h("div", { class: "panel" }, h("label", { for: "settings-language" }, t("settings.language")), language),
      providersPanel(status),
      cashiersPanel(),
      shopPanel(),
      tillPanel(),
      fiscalPanel(),
      sharePanel(),
      keysPanel(),
      offersPanel(),
      giftcardsPanel(),
      payOffersPanel(),
      h("div", { class: "panel" }, h("h2", {}, t("settings.catalog")), syncInfo, syncButton),
      h(
        "div",
        { class: "panel rows", id: "settings-about" },
        h("h2", {}, t("settings.about")),
        h("div", { class: "row" }, h("span", { class: "label" }, t("settings.data_dir")), h("span", { class: "value mono" }, status.data_dir)),
        h("div", { class: "row" }, h("span", { class: "label" }, t("settings.secret_store")), h("span", { class: "value" }, t(`settings.secret_store.${status.secret_store}` as Key))),
        h("div", { class: "row" }, h("span", { class: "label" }, t("settings.version")), h("span", { class: "value" }, status.version)),
      ),
    ),
  );
}

