//! Settings: a flat JSON object in `settings.json`, the format of
//! `tauri-plugin-store`, so the window (through the plugin) and the CLI read
//! and write the same file. Secrets never go here: see `secrets.rs`.

use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// Keys the shop may set that are not provider configuration.
pub const LOCALE: &str = "locale";
pub const SHOP_NAME: &str = "shop.name";
pub const SHOP_ADDRESS: &str = "shop.address";
/// The thermal printer: `tcp://host:9100` or a device such as `/dev/usb/lp0`.
pub const PRINTER: &str = "printer.escpos";
/// The computer's printer for tickets, by its CUPS name; unset: the system's default.
pub const SYSTEM_PRINTER: &str = "printer.system";
/// The tickets' paper: `receipt` (80 mm) or `a4`.
pub const PAPER: &str = "printer.paper";

/// Refuses a value that the setting `key` cannot take.
pub fn check(key: &str, value: &str) -> Result<()> {
    match key {
        PAPER => value.parse::<crate::printer::Layout>().map(|_| ()),
        SYSTEM_PRINTER => crate::printer::check_name(value),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    path: PathBuf,
    values: Map<String, Value>,
}

impl Settings {
    /// Loads the file; a missing file is an empty store (fresh install).
    pub fn load(path: &Path) -> Result<Self> {
        let values = match std::fs::read(path) {
            Ok(bytes) if bytes.iter().all(u8::is_ascii_whitespace) => Map::new(),
            Ok(bytes) => serde_json::from_slice::<Map<String, Value>>(&bytes).map_err(|e| {
                Error::config(
                    "settings.corrupt",
                    format!("settings file {} is not a JSON object: {e}", path.display()),
                )
                .with("path", path.display().to_string())
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Map::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(Settings {
            path: path.to_path_buf(),
            values,
        })
    }

    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
    }

    pub fn all(&self) -> &Map<String, Value> {
        &self.values
    }

    /// Sets (or with `None`, removes) a value and saves the whole file
    /// atomically, so a crash never leaves half a settings file.
    pub fn set(&mut self, key: &str, value: Option<Value>) -> Result<()> {
        match value {
            Some(v) => self.values.insert(key.to_string(), v),
            None => self.values.remove(key),
        };
        self.save()
    }

    fn save(&self) -> Result<()> {
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(&self.values).expect("JSON map"))?;
        std::fs::rename(&tmp, &self.path)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_removes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let mut s = Settings::load(&path).unwrap();
        assert!(s.get_str(LOCALE).is_none());
        s.set(LOCALE, Some("fr".into())).unwrap();
        assert_eq!(Settings::load(&path).unwrap().get_str(LOCALE), Some("fr"));
        s.set(LOCALE, None).unwrap();
        assert!(Settings::load(&path).unwrap().get_str(LOCALE).is_none());
    }

    #[test]
    fn corrupt_file_is_a_config_error_not_a_reset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "[1,2").unwrap();
        let e = Settings::load(&path).unwrap_err();
        assert_eq!(e.code, "settings.corrupt");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[1,2");
    }
}
