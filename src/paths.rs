//! Where Comptoir keeps its files. One place, used by the app and the CLI, so
//! both open the same journal, settings and logs.

use std::path::{Path, PathBuf};

/// The application identifier; `tauri.conf.json` must carry the same one
/// (a test checks it) so the window and the CLI share one data folder.
pub const APP_ID: &str = "com.comptoir.desktop";

/// Environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "COMPTOIR_DATA_DIR";

/// The data folder: the explicit one, else `COMPTOIR_DATA_DIR`, else the
/// platform's data folder for `APP_ID` (what Tauri's `app_data_dir` returns).
pub fn data_dir(explicit: Option<&Path>) -> PathBuf {
    if let Some(dir) = explicit {
        return dir.to_path_buf();
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join(APP_ID)
}

/// Refuses a data folder that is not a folder (a regular file, `/dev/null`)
/// with a sentence, rather than an OS error from deeper down.
pub fn check_data_dir(dir: &Path) -> crate::error::Result<()> {
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => Err(crate::error::Error::config(
            "data_dir.not_a_folder",
            format!(
                "the data folder {} is not a folder (a file or a device): give --data-dir (or COMPTOIR_DATA_DIR) a folder",
                dir.display()
            ),
        )
        .with("path", dir.display().to_string())),
        _ => Ok(()),
    }
}

/// A plain file error met while opening the data folder (a folder such as
/// `/proc/self`, where nothing can be created) said as what to do; the
/// core's own errors pass as they are.
pub fn unusable(dir: &Path, e: crate::error::Error) -> crate::error::Error {
    if e.code != "io" {
        return e;
    }
    crate::error::Error::config(
        "data_dir.unusable",
        format!(
            "Comptoir cannot keep its files in {} ({}): choose another folder with --data-dir (or COMPTOIR_DATA_DIR)",
            dir.display(),
            e.message.trim_start_matches("file error: ")
        ),
    )
    .with("path", dir.display().to_string())
}

pub fn journal_path(data_dir: &Path) -> PathBuf {
    data_dir.join("journal.sqlite")
}

/// The window's own preferences (its language), written by
/// tauri-plugin-store alone; the core's settings are in `settings_path`.
pub fn window_preferences_path(data_dir: &Path) -> PathBuf {
    data_dir.join("window.json")
}

pub fn settings_path(data_dir: &Path) -> PathBuf {
    data_dir.join("settings.json")
}

pub fn logs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("logs")
}

/// Where files for the shop (exports, key backups) go by default: the
/// documents folder when it exists, else the home folder.
pub fn documents_dir() -> PathBuf {
    dirs::document_dir()
        .filter(|d| d.is_dir())
        .or_else(dirs::home_dir)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Where a file the shop exports goes: the documents folder (or home),
/// named with the moment, never over an existing file.
pub fn export_path(stem: &str, extension: &str) -> PathBuf {
    let dir = documents_dir();
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("{stem}-{stamp}.{extension}"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{stem}-{stamp}-{n}.{extension}"));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_dir_wins() {
        let p = data_dir(Some(Path::new("/tmp/x")));
        assert_eq!(p, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn tauri_config_uses_the_same_identifier() {
        let conf: serde_json::Value = serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        assert_eq!(conf["identifier"], APP_ID);
    }
}
