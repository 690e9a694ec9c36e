// Settings: the shop's Orange Travel distributor key, its upload and its backup.
import { api, asCoreError, type KeyStatus } from "../../api";
import { h, clear } from "../../dom";
import { errorText, t, type Key } from "../../i18n";
import { chooseFile } from "../../files";
import { notice } from "../notice";

/** The key panel; it fills itself in once the core answers. */
export function keysPanel(): HTMLElement {
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

  return keysPanel;
}

/** Back up the shop's key to a file (passphrase twice), or restore it. */
function backupForm(k: KeyStatus | null, onStatus: (k: KeyStatus) => void): HTMLElement {
  const result = h("div", { id: "backup-result" });
  const path = h("input", { id: "backup-path", autocomplete: "off" });
  const pass = h("input", { id: "backup-pass", type: "password", autocomplete: "new-password" });
  const again = h("input", { id: "backup-again", type: "password", autocomplete: "new-password" });
  if (k?.local) void api.keysBackupSuggestion().then((p) => (path.value ||= p), () => undefined);
  const say = (e: unknown) => clear(result, notice(errorText(asCoreError(e)), "error"));
  // With a key here the file is one to write; without, one to restore.
  const browse = h(
    "button",
    {
      id: "backup-browse",
      type: "button",
      onclick: async () => {
        try {
          const chosen = await chooseFile(k?.local ? "keys_backup" : "keys_restore", path.value);
          if (chosen) path.value = chosen;
        } catch (e) {
          say(e);
        }
      },
    },
    t("files.choose"),
  );
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
    h("div", { class: "path-field" }, path, browse),
    h("label", { for: "backup-pass" }, t("settings.backup.passphrase")),
    pass,
    h("label", { for: "backup-again" }, t("settings.backup.confirm")),
    again,
    h("div", { class: "actions" }, backup, restore),
    result,
  );
}

/** Amilon: the catalog's country, the retailers sold, the face values offered. */
