//! The system's file dialog, in a process of its own: this program started
//! again with `--choose-file REQUEST`, which shows GTK's file chooser,
//! prints the path chosen (JSON, `null` when cancelled) and exits.
//!
//! Why not in the window's process: GTK's chooser reads the files of every
//! folder it lists (to tell their types), and closing a file drops every
//! POSIX lock its process holds on it. Listing the data folder from the
//! window would drop the window's locks on the journal's `-wal` and `-shm`,
//! and a `comptoir` command closing the journal then would delete them
//! under the window, whose later sales would be lost (the end-to-end test
//! met exactly that). The dialog's own process holds no lock to lose.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::process::Stdio;

/// The argument that makes this program the dialog.
pub const ARG: &str = "--choose-file";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Open,
    Save,
    Folder,
}

/// What the dialog shows, all of it decided by the window.
#[derive(Debug, Serialize, Deserialize)]
pub struct Request {
    pub action: Action,
    /// In the window's language, as are the buttons.
    pub title: String,
    pub folder: PathBuf,
    /// The name suggested when saving.
    pub name: Option<String>,
    /// The filter's name and the extensions it lets through.
    pub filter: Option<(String, Vec<String>)>,
    pub cancel: String,
    pub accept: String,
    /// The window's language (`fr`, `en`): GTK's own words in the dialog
    /// (its places, its columns) follow it rather than the system's.
    #[serde(default)]
    pub language: Option<String>,
}

/// Shows the dialog in a process of its own; the path chosen, or `None`.
pub async fn ask(request: &Request) -> std::io::Result<Option<PathBuf>> {
    let out = command(request, std::env::current_exe()?)?.output().await?;
    Ok(serde_json::from_slice::<Option<PathBuf>>(&out.stdout).unwrap_or(None))
}

/// The dialog's process: this program with the request, speaking the
/// window's language (gettext's `LANGUAGE`, which GTK's translations read).
fn command(request: &Request, program: PathBuf) -> std::io::Result<tokio::process::Command> {
    let mut c = tokio::process::Command::new(program);
    c.arg(ARG)
        .arg(serde_json::to_string(request)?)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        // The page gave up waiting (the window closed): no dialog is left.
        .kill_on_drop(true);
    if let Some(lang) = request.language.as_deref().filter(|l| matches!(*l, "fr" | "en")) {
        c.env("LANGUAGE", lang);
    }
    Ok(c)
}

/// gettext ignores `LANGUAGE` under the "C" locale, which is what a
/// system language not installed leaves (`LANG=fr_FR.UTF-8` without its
/// locale generated): then C.UTF-8, which honours it, with UTF-8 output.
#[cfg(target_os = "linux")]
fn set_locale() {
    // SAFETY: called before GTK starts, on this process's only thread.
    unsafe {
        let set = libc::setlocale(libc::LC_ALL, c"".as_ptr());
        let plain = set.is_null() || matches!(std::ffi::CStr::from_ptr(set).to_bytes(), b"C" | b"POSIX");
        if plain {
            libc::setlocale(libc::LC_ALL, c"C.UTF-8".as_ptr());
        }
    }
}

/// When this process was started as the dialog: shows it, prints the
/// answer and exits. Returns at once otherwise, before anything is opened.
pub fn run_if_asked() {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() != Some(ARG) {
        return;
    }
    let request = args.next().and_then(|r| serde_json::from_str::<Request>(&r).ok());
    let answer = request.as_ref().and_then(show);
    println!("{}", serde_json::to_string(&answer).unwrap_or_else(|_| "null".into()));
    std::process::exit(0);
}

#[cfg(target_os = "linux")]
fn show(r: &Request) -> Option<PathBuf> {
    use gtk::prelude::*;
    use gtk::{FileChooserAction, ResponseType};
    set_locale();
    gtk::disable_setlocale();
    gtk::init().ok()?;
    let action = match r.action {
        Action::Open => FileChooserAction::Open,
        Action::Save => FileChooserAction::Save,
        Action::Folder => FileChooserAction::SelectFolder,
    };
    let dialog = gtk::FileChooserDialog::with_buttons(
        Some(&r.title),
        None::<&gtk::Window>,
        action,
        &[(&r.cancel, ResponseType::Cancel), (&r.accept, ResponseType::Accept)],
    );
    dialog.set_default_response(ResponseType::Accept);
    // Over the window it was opened from, as a dialog of the window's would be.
    dialog.set_keep_above(true);
    dialog.set_position(gtk::WindowPosition::Center);
    // Without a parent GTK sizes it to the screen: a dialog's size, once
    // shown (the chooser sets its own size as it maps).
    dialog.connect_map(|d| d.resize(820, 560));
    dialog.set_do_overwrite_confirmation(true);
    dialog.set_current_folder(&r.folder);
    if let (Action::Save, Some(name)) = (r.action, &r.name) {
        dialog.set_current_name(name);
    }
    if let Some((label, extensions)) = &r.filter {
        let filter = gtk::FileFilter::new();
        filter.set_name(Some(label));
        for ext in extensions {
            filter.add_pattern(&format!("*.{ext}"));
            filter.add_pattern(&format!("*.{}", ext.to_uppercase()));
        }
        dialog.add_filter(filter);
    }
    let response = dialog.run();
    (response == ResponseType::Accept).then(|| dialog.filename()).flatten()
}

/// Elsewhere there is no dialog yet: as if the cashier cancelled.
#[cfg(not(target_os = "linux"))]
fn show(_: &Request) -> Option<PathBuf> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(language: Option<&str>) -> Request {
        Request {
            action: Action::Open,
            title: "Joindre un fichier".into(),
            folder: PathBuf::from("/tmp"),
            name: None,
            filter: None,
            cancel: "Annuler".into(),
            accept: "Ouvrir".into(),
            language: language.map(str::to_string),
        }
    }

    fn language_of(r: &Request) -> Option<String> {
        let c = command(r, PathBuf::from("comptoir-app")).unwrap();
        c.as_std()
            .get_envs()
            .find(|(k, _)| *k == "LANGUAGE")
            .and_then(|(_, v)| v.map(|v| v.to_string_lossy().into_owned()))
    }

    #[test]
    fn the_dialog_speaks_the_windows_language_not_the_systems() {
        assert_eq!(language_of(&request(Some("fr"))).as_deref(), Some("fr"));
        assert_eq!(language_of(&request(Some("en"))).as_deref(), Some("en"));
        // Nothing else reaches gettext's environment.
        assert_eq!(language_of(&request(Some("fr:de"))), None);
        assert_eq!(language_of(&request(None)), None);
    }
}
