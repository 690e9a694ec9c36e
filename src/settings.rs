//! Settings: a flat JSON object in `settings.json`, written by the core
//! alone (the window's own language preference is the store plugin's, in
//! its own file). Secrets never go here: see `secrets.rs`.
//!
//! Several processes write it (the window, CLI commands run at once): a
//! change takes the file's lock (`settings.json.lock`), reads the file
//! again, applies the one key, writes a temporary file of its own and
//! renames it over the old one. A reader therefore sees the old file or the
//! new one, never half of one, and no writer loses another's key.

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

/// What a shop setting holds (the providers' fields are theirs; settings
/// that a command manages are the registry's): the one table `config set`,
/// the window's Settings and a hand-edited file are checked against.
pub enum Kind {
    /// One line of text, at most this many characters.
    Line(usize),
    /// Text that may hold line breaks (an address).
    Lines(usize),
    /// One of these words.
    Choice(&'static [&'static str]),
    /// Checked by its own rule.
    Rule(fn(&str) -> Result<()>),
}

pub const KEYS: &[(&str, Kind)] = &[
    (LOCALE, Kind::Choice(&["fr", "en"])),
    (SHOP_NAME, Kind::Line(120)),
    (SHOP_ADDRESS, Kind::Lines(300)),
    (PRINTER, Kind::Rule(check_escpos)),
    (SYSTEM_PRINTER, Kind::Rule(crate::printer::check_name)),
    (PAPER, Kind::Rule(|v| v.parse::<crate::printer::Layout>().map(|_| ()))),
    (LOCK_MINUTES, Kind::Rule(check_minutes)),
    (COUNTER_ID, Kind::Rule(check_counter)),
    (TENDERS, Kind::Rule(check_tenders)),
    (DEFAULT_TENDER, Kind::Choice(&["cash", "card"])),
    ("tax.orange-travel.esim", Kind::Rule(check_tax)),
    ("tax.orange-travel.topup", Kind::Rule(check_tax)),
    ("tax.amilon.giftcard", Kind::Rule(check_tax)),
    ("tax.internet-plus.payment", Kind::Rule(check_tax)),
    (FISCAL_YEAR_END, Kind::Rule(check_year_end)),
    (SIRET, Kind::Rule(check_siret)),
    (DATABASE_URL, Kind::Rule(check_database_url)),
];

/// How VAT applies to a provider's kind of product (`types::tax`).
fn check_tax(v: &str) -> Result<()> {
    v.parse::<crate::types::tax::Treatment>().map(|_| ())
}

/// The fiscal year's last day, `MM-DD` (`12-31` unless set).
pub const FISCAL_YEAR_END: &str = "register.fiscal_year_end";

fn check_year_end(v: &str) -> Result<()> {
    // A fiscal year is whole months: its last day ends a month (02-28
    // stands for February's last day, in leap years too).
    match fiscal_year_end_month(v) {
        Some(_) => Ok(()),
        None => Err(bad_value(
            FISCAL_YEAR_END,
            v,
            "the fiscal year's last day is the last day of a month, MM-DD (12-31, 06-30)",
        )),
    }
}

/// The system's language, for an installation whose shop has not chosen
/// one: the first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set (POSIX's
/// order), when it is French or English (`fr_FR.UTF-8` → `fr`).
pub fn system_language() -> Option<&'static str> {
    let set = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))?;
    if set.starts_with("fr") {
        Some("fr")
    } else if set.starts_with("en") {
        Some("en")
    } else {
        None
    }
}

/// The month a fiscal year ends with, from `MM-DD`.
pub fn fiscal_year_end_month(v: &str) -> Option<u32> {
    use chrono::Datelike;
    let day = chrono::NaiveDate::parse_from_str(&format!("2023-{v}"), "%Y-%m-%d").ok()?;
    (v.len() == 5 && day.succ_opt()?.day() == 1).then(|| day.month())
}

/// The shop's shared database (`shop`): a PostgreSQL URL without its
/// password, which lives in the keyring (`shop.database_password`).
pub const DATABASE_URL: &str = "shop.database_url";

fn check_database_url(v: &str) -> Result<()> {
    let postgres = "the shop's database is a PostgreSQL URL: postgres://user@host:port/database";
    match url::Url::parse(v) {
        Ok(u) if !matches!(u.scheme(), "postgres" | "postgresql") => Err(bad_value(DATABASE_URL, v, postgres)),
        Ok(mut u) if u.password().is_some() => Err(bad_value(
            DATABASE_URL,
            // Said without the password it must not hold.
            &{
                let _ = u.set_password(None);
                u.to_string()
            },
            "a password is never kept in the settings: store it with `comptoir secret set shop.database_password` and give the URL without it",
        )),
        Ok(_) => Ok(()),
        Err(_) => Err(bad_value(DATABASE_URL, v, postgres)),
    }
}

/// The shop's SIRET (14 digits), on every receipt and closing.
pub const SIRET: &str = "shop.siret";

fn check_siret(v: &str) -> Result<()> {
    let digits: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 14 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(bad_value(SIRET, v, "a SIRET is 14 digits"))
    }
}

/// This counter's code, unique in the shop: receipt numbers start with it.
pub const COUNTER_ID: &str = "counter.id";
/// The means of payment the shop takes: `cash,card,internet-plus`.
pub const TENDERS: &str = "till.tenders";
/// How `comptoir sell` is paid when no `--pay` is given.
pub const DEFAULT_TENDER: &str = "till.default_tender";

fn check_counter(v: &str) -> Result<()> {
    let ok = (1..=12).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(bad_value(
            COUNTER_ID,
            v,
            "a counter code is 1 to 12 letters and digits (C1, CAISSE2)",
        ))
    }
}

fn check_tenders(v: &str) -> Result<()> {
    let all: Result<Vec<crate::types::Tender>> = v.split(',').map(|t| t.trim().parse()).collect();
    match all {
        Ok(list) if !list.is_empty() => Ok(()),
        _ => Err(bad_value(
            TENDERS,
            v,
            "a list of cash, card and internet-plus, separated by commas",
        )),
    }
}

/// Minutes without input before the window locks and a command line's
/// session ends (`cashier::`; the key is here so the table is whole).
pub const LOCK_MINUTES: &str = "cashier.lock_minutes";

fn check_minutes(v: &str) -> Result<()> {
    match v.parse::<i64>() {
        Ok(m) if (1..=480).contains(&m) => Ok(()),
        _ => Err(bad_value(LOCK_MINUTES, v, "a number of minutes from 1 to 480")),
    }
}

/// Refuses a value that the shop setting `key` cannot take (a key not in
/// [`KEYS`] is the caller's to check).
pub fn check(key: &str, value: &str) -> Result<()> {
    let Some((_, kind)) = KEYS.iter().find(|(k, _)| *k == key) else {
        return Ok(());
    };
    let text = |max: usize, lines: bool| {
        crate::types::text::check(key, value, max, lines).map_err(|why| bad_value(key, value, &why))
    };
    match kind {
        Kind::Line(max) => text(*max, false),
        Kind::Lines(max) => text(*max, true),
        Kind::Choice(words) if words.contains(&value) => Ok(()),
        Kind::Choice(words) => Err(bad_value(key, value, &format!("it is one of {}", words.join(", ")))),
        Kind::Rule(rule) => rule(value),
    }
}

/// A value the setting cannot take, said with what it should be.
pub fn bad_value(key: &str, value: &str, why: &str) -> Error {
    Error::invalid(
        "settings.bad_value",
        format!("`{}` cannot be {key}: {why}", crate::types::text::printable(value)),
    )
    .with("key", key)
    .with("reason", why)
}

/// A thermal printer: `tcp://HOST:PORT` or a device path such as `/dev/usb/lp0`.
fn check_escpos(v: &str) -> Result<()> {
    let tcp = v.strip_prefix("tcp://").is_some_and(|rest| {
        rest.rsplit_once(':')
            .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0))
    });
    let device = v.starts_with('/') && crate::types::text::check("", v, 255, false).is_ok();
    if tcp || device {
        Ok(())
    } else {
        Err(bad_value(
            PRINTER,
            v,
            "a thermal printer is tcp://HOST:9100 or a device such as /dev/usb/lp0",
        ))
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
            // A byte-order mark (a Windows editor) is not part of the JSON.
            Ok(bytes) => serde_json::from_slice::<Map<String, Value>>(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)).map_err(|e| {
                Error::config(
                    "settings.corrupt",
                    format!("settings file {} is not a JSON object: {e}", path.display()),
                )
                .with("path", path.display().to_string())
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Map::new(),
            Err(e) => {
                return Err(Error::config(
                    "settings.unreadable",
                    format!(
                        "the settings file {} cannot be read ({e}): it should be a file; move it away, then set the settings again",
                        path.display()
                    ),
                )
                .with("path", path.display().to_string()))
            }
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

    /// Sets (or with `None`, removes) one value: under the file's lock,
    /// on the file as it is now (another process may have changed another
    /// key since this one was loaded), saved atomically.
    pub fn set(&mut self, key: &str, value: Option<Value>) -> Result<()> {
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let lock_path = self.path.with_extension("json.lock");
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| crate::files::io_error(&self.path, "settings.cannot_write", &e))?;
        lock.lock()?;
        let mut now = Settings::load(&self.path)?;
        match value {
            Some(v) => now.values.insert(key.to_string(), v),
            None => now.values.remove(key),
        };
        now.save().map_err(|e| match e.code.as_str() {
            "io" => Error::invalid(
                "settings.cannot_write",
                format!("cannot save the settings: {}", e.message),
            ),
            _ => e,
        })?;
        self.values = now.values;
        Ok(())
        // The lock is released when `lock` is closed.
    }

    /// Writes a temporary file of this process's own, flushed to disk, then
    /// renames it over the file.
    fn save(&self) -> Result<()> {
        use std::io::Write;
        let name = self
            .path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("settings.json");
        let tmp = self.path.with_file_name(format!(
            ".{name}.{}.{:08x}.tmp",
            std::process::id(),
            rand::random::<u32>()
        ));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&serde_json::to_vec_pretty(&self.values).expect("JSON map"))?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        Ok(written?)
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
    fn writers_at_once_keep_every_key_and_readers_never_see_half_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let reader = {
            let (path, stop) = (path.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    Settings::load(&path).expect("never half a file");
                }
            })
        };
        let writers: Vec<_> = (0..12)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    // Each loaded before the others wrote: the stale copy
                    // must not erase their keys.
                    let mut s = Settings::load(&path).unwrap();
                    s.set(&format!("key.{i}"), Some(Value::from(i))).unwrap();
                })
            })
            .collect();
        writers.into_iter().for_each(|w| w.join().unwrap());
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        reader.join().unwrap();
        let s = Settings::load(&path).unwrap();
        assert_eq!(s.all().len(), 12, "{:?}", s.all());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")), "{left:?}");
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
