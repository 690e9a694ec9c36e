// The system's file dialog, opened by the core (`src-tauri/src/files.rs`):
// the page never reads or writes a file itself; it gets the path the cashier
// chose, or null when they cancelled, and hands it to the command.
import { api, type FilePurpose } from "./api";
import { locale, t, type Key } from "./i18n";

/** The path chosen for `purpose` (titled in the app's language), or null. */
export function chooseFile(purpose: FilePurpose, name?: string): Promise<string | null> {
  const buttons = { cancel: t("files.cancel"), open: t("files.open"), save: t("files.save"), folder: t("files.folder") };
  return api.chooseFile(purpose, t(`files.${purpose}` as Key), name ?? null, buttons, locale());
}
