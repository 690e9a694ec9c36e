//! The window's own preferences (its language), kept with
//! `tauri-plugin-store` in the window's own file (`window.json`), of which
//! the plugin is the only writer. The shop's language (tickets, the CLI)
//! is a core setting: choosing a language in the window sets it too,
//! through the core's locked, atomic writer (`settings.rs`), so each file
//! has one writer and a CLI command run meanwhile loses nothing.

use comptoir::app::Preferences;
use comptoir::settings::LOCALE;
use comptoir::{Comptoir, Error};
use std::path::PathBuf;
use tauri::{AppHandle, State};
use tauri_plugin_store::StoreExt;

pub struct WindowFile(pub PathBuf);

fn store_error(e: tauri_plugin_store::Error) -> Error {
    Error::internal("settings.store", format!("settings store: {e}"))
}

/// The window's language: its own choice, else the shop's setting; and
/// the system's, for when neither is set.
#[tauri::command]
pub fn get_preferences(
    app: AppHandle,
    file: State<'_, WindowFile>,
    core: State<'_, Comptoir>,
) -> Result<Preferences, Error> {
    let store = app.store(&file.0).map_err(store_error)?;
    let _ = store.reload(); // a missing file is an empty store
    let locale = match store.get(LOCALE).and_then(|v| v.as_str().map(str::to_string)) {
        Some(l) => Some(l),
        None => core.settings()?.get_str(LOCALE).map(str::to_string),
    };
    Ok(Preferences {
        locale,
        system: comptoir::settings::system_language().map(str::to_string),
    })
}

#[tauri::command]
pub fn set_locale(
    app: AppHandle,
    file: State<'_, WindowFile>,
    core: State<'_, Comptoir>,
    locale: Option<String>,
) -> Result<(), Error> {
    if let Some(l) = locale.as_deref().filter(|l| !matches!(*l, "fr" | "en")) {
        return Err(Error::invalid("settings.bad_locale", format!("unsupported language `{l}`")).with("value", l));
    }
    let store = app.store(&file.0).map_err(store_error)?;
    let _ = store.reload();
    match locale.as_deref() {
        Some(l) => store.set(LOCALE, l),
        None => {
            store.delete(LOCALE);
        }
    }
    store.save().map_err(store_error)?;
    core.set_setting(LOCALE, locale.map(Into::into))
}
