//! The window's own preferences (the language), kept with
//! `tauri-plugin-store` in the settings file the core and the CLI use.
//! The store is reloaded before each read and write, so a change made by
//! the CLI while the window is open is neither missed nor overwritten.

use comptoir::app::Preferences;
use comptoir::settings::LOCALE;
use comptoir::Error;
use std::path::PathBuf;
use tauri::{AppHandle, State};
use tauri_plugin_store::StoreExt;

pub struct SettingsFile(pub PathBuf);

fn store_error(e: tauri_plugin_store::Error) -> Error {
    Error::internal("settings.store", format!("settings store: {e}"))
}

#[tauri::command]
pub fn get_preferences(app: AppHandle, file: State<'_, SettingsFile>) -> Result<Preferences, Error> {
    let store = app.store(&file.0).map_err(store_error)?;
    let _ = store.reload(); // a missing file is an empty store
    let locale = store.get(LOCALE).and_then(|v| v.as_str().map(str::to_string));
    Ok(Preferences { locale })
}

#[tauri::command]
pub fn set_locale(app: AppHandle, file: State<'_, SettingsFile>, locale: Option<String>) -> Result<(), Error> {
    if let Some(l) = locale.as_deref().filter(|l| !matches!(*l, "fr" | "en")) {
        return Err(Error::invalid("settings.bad_locale", format!("unsupported language `{l}`")).with("value", l));
    }
    let store = app.store(&file.0).map_err(store_error)?;
    let _ = store.reload();
    match locale {
        Some(l) => store.set(LOCALE, l),
        None => {
            store.delete(LOCALE);
        }
    }
    store.save().map_err(store_error)
}
