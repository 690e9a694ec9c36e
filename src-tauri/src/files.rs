//! The files the cashier chooses: the system's file dialog (GTK's own file
//! chooser, on the window's main loop), and the commands that read or write
//! the file chosen. The dialog opens from here rather than from the page, so
//! the page keeps no dialog or file-system permission of its own
//! (`capabilities/main.json`): it gets back the path the cashier chose, or
//! nothing when they cancelled, and hands it to the command that needs it.
//! Not `tauri-plugin-dialog`: its script replaces the page's
//! `window.confirm` with one that answers a promise, which every "are you
//! sure?" here would read as yes; and `rfd` under it runs GTK's main loop
//! on a thread of its own beside the window's, which froze the window's
//! painting in the end-to-end test.
//!
//! A hazard to keep in mind: GTK's chooser reads the files of the folder it
//! lists (to tell their types) in this process, and closing such a file
//! drops every POSIX lock this process holds on it: listing the data
//! folder drops the window's locks on the journal's `-wal` and `-shm`, and a
//! `comptoir` command closing the journal at that moment then deletes them
//! under the window. So the dialog opens in the documents folder, never the
//! data folder; a dialog in a process of its own is the lasting cure.

use comptoir::journal::OrderFilter;
use comptoir::{Comptoir, Error};
use std::path::{Path, PathBuf};
use tauri::State;

type Result<T> = std::result::Result<T, Error>;

/// What a file is chosen for: decides open or save, the file types offered
/// and the name suggested.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// A CSV of orders to import (open).
    OrdersImport,
    /// The orders matching the screen's filter, as CSV (save).
    OrdersExport,
    /// The report of a period, as CSV (save).
    ReportExport,
    /// A ticket's PDF (save).
    TicketPdf,
    /// A file to attach to an address ticket (open).
    Attachment,
    /// A copy of an attachment (save; the suggestion is the page's name).
    AttachmentCopy,
    /// The keys' encrypted backup (save).
    KeysBackup,
    /// A keys' backup to restore (open).
    KeysRestore,
    /// A closed period's signed archive (save).
    RegisterArchive,
    /// The folder in which the tax audit's export is written (folder).
    RegisterExport,
}

/// The file types Anomalie Adresse accepts as attachments.
const ATTACHMENT_TYPES: &[&str] = &["csv", "jpeg", "jpg", "png", "svg", "pdf", "ods", "odt", "xlsx", "docx"];

impl Purpose {
    /// The filter's name and extensions, if the dialog filters.
    fn filter(self) -> Option<(&'static str, &'static [&'static str])> {
        match self {
            Purpose::OrdersImport | Purpose::OrdersExport | Purpose::ReportExport => Some(("CSV", &["csv"])),
            Purpose::TicketPdf => Some(("PDF", &["pdf"])),
            Purpose::Attachment => Some(("Anomalie Adresse", ATTACHMENT_TYPES)),
            Purpose::RegisterArchive => Some(("ZIP", &["zip"])),
            Purpose::KeysBackup | Purpose::KeysRestore | Purpose::AttachmentCopy | Purpose::RegisterExport => None,
        }
    }

    /// The path suggested for a file to write, in the documents folder.
    fn suggestion(self, name: Option<&str>) -> Option<PathBuf> {
        let stamped = |stem: &str, ext: &str| Some(comptoir::paths::export_path(stem, ext));
        match self {
            Purpose::OrdersExport => stamped("comptoir-orders", "csv"),
            Purpose::ReportExport => stamped("comptoir-report", "csv"),
            Purpose::TicketPdf => stamped(&format!("ticket-{}", name.unwrap_or("comptoir")), "pdf"),
            Purpose::RegisterArchive => stamped(&format!("comptoir-registre-{}", name.unwrap_or("")), "zip"),
            Purpose::AttachmentCopy => name.map(|n| comptoir::paths::documents_dir().join(safe_name(n))),
            // The path already in the field (the core's suggestion, or the
            // cashier's own).
            Purpose::KeysBackup | Purpose::KeysRestore => name.filter(|n| !n.trim().is_empty()).map(PathBuf::from),
            _ => None,
        }
    }
}

/// A file name only: never a path the provider's name could smuggle in.
fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// Opens the system's dialog over the window; the chosen path, or `None`
/// when the cashier cancelled. `name` helps the suggestion (an order id, a
/// period, an attachment's name); `title` is in the window's language.
#[tauri::command]
pub async fn choose_file(
    window: tauri::WebviewWindow,
    purpose: Purpose,
    title: String,
    name: Option<String>,
) -> Result<Option<String>> {
    let suggested = purpose.suggestion(name.as_deref());
    let (tx, rx) = tokio::sync::oneshot::channel();
    let parent = window.clone();
    // GTK is driven from the window's main thread only.
    window
        .run_on_main_thread(move || show_dialog(&parent, purpose, &title, suggested, tx))
        .map_err(|e| Error::internal("file.dialog", e.to_string()))?;
    let chosen = rx.await.ok().flatten();
    tracing::info!(?purpose, chosen = chosen.is_some(), "file dialog closed");
    Ok(chosen.map(|p| p.display().to_string()))
}

type Answer = tokio::sync::oneshot::Sender<Option<PathBuf>>;

/// Shows GTK's file chooser over the window, without blocking its main
/// loop; the answer goes to `tx` when the cashier chooses or cancels.
#[cfg(target_os = "linux")]
fn show_dialog(window: &tauri::WebviewWindow, purpose: Purpose, title: &str, suggested: Option<PathBuf>, tx: Answer) {
    use gtk::prelude::*;
    use gtk::{FileChooserAction as Action, ResponseType};
    let parent = window.gtk_window().ok();
    let action = match purpose {
        Purpose::OrdersImport | Purpose::Attachment | Purpose::KeysRestore => Action::Open,
        Purpose::RegisterExport => Action::SelectFolder,
        _ => Action::Save,
    };
    let dialog = gtk::FileChooserNative::new(Some(title), parent.as_ref(), action, None, None);
    dialog.set_modal(true);
    dialog.set_do_overwrite_confirmation(true);
    let folder = suggested
        .as_deref()
        .and_then(Path::parent)
        .map_or_else(comptoir::paths::documents_dir, Path::to_path_buf);
    dialog.set_current_folder(&folder);
    if let (Action::Save, Some(file)) = (action, suggested.as_deref().and_then(Path::file_name)) {
        dialog.set_current_name(file.to_string_lossy().as_ref());
    }
    if let Some((label, extensions)) = purpose.filter() {
        let filter = gtk::FileFilter::new();
        filter.set_name(Some(label));
        for ext in extensions {
            filter.add_pattern(&format!("*.{ext}"));
            filter.add_pattern(&format!("*.{}", ext.to_uppercase()));
        }
        dialog.add_filter(filter);
    }
    // The dialog lives until it answers: nothing else holds it.
    let holder = std::rc::Rc::new(std::cell::RefCell::new(Some(dialog.clone())));
    let tx = std::cell::RefCell::new(Some(tx));
    dialog.connect_response(move |d, response| {
        let chosen = (response == ResponseType::Accept).then(|| d.filename()).flatten();
        if let Some(tx) = tx.borrow_mut().take() {
            let _ = tx.send(chosen);
        }
        holder.borrow_mut().take();
    });
    dialog.show();
}

/// Elsewhere there is no dialog yet: as if the cashier cancelled.
#[cfg(not(target_os = "linux"))]
fn show_dialog(_: &tauri::WebviewWindow, _: Purpose, _: &str, _: Option<PathBuf>, tx: Answer) {
    let _ = tx.send(None);
}

/// The path the cashier chose, else the documents folder's stamped name.
fn chosen_or(path: Option<String>, stem: &str, extension: &str) -> PathBuf {
    path.filter(|p| !p.trim().is_empty())
        .map_or_else(|| comptoir::paths::export_path(stem, extension), PathBuf::from)
}

/// Writes the orders matching the filter as CSV (every matching order, not
/// the screen's page) where the cashier chose; returns the path.
#[tauri::command]
pub async fn export_orders(
    app: State<'_, Comptoir>,
    filter: OrderFilter,
    delimiter: String,
    path: Option<String>,
) -> Result<String> {
    let filter = OrderFilter {
        limit: None,
        offset: None,
        ..filter
    };
    let path = chosen_or(path, "comptoir-orders", "csv");
    let sep = if delimiter == ";" { b';' } else { b',' };
    comptoir::app::orders::export_orders(&app, &filter, &path, sep).await?;
    Ok(path.display().to_string())
}

/// Imports a CSV written by an export (all or nothing).
#[tauri::command]
pub async fn import_orders(app: State<'_, Comptoir>, path: String) -> Result<comptoir::journal::ImportReport> {
    comptoir::app::orders::import_orders(&app, Path::new(&path)).await
}

/// Writes the report as CSV where the cashier chose; returns the path.
#[tauri::command]
pub async fn report_csv(
    app: State<'_, Comptoir>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    path: Option<String>,
) -> Result<String> {
    let path = chosen_or(path, &format!("comptoir-report-{from}-{to}"), "csv");
    comptoir::app::orders::report(&app, from, to, None, Some((&path, b';'))).await?;
    Ok(path.display().to_string())
}

/// Attaches the file the cashier chose to an address ticket.
#[tauri::command]
pub async fn ticket_attach_file(
    app: State<'_, Comptoir>,
    id: String,
    path: String,
    description: Option<String>,
) -> Result<comptoir::providers::anomalie_adresse::model::Attachment> {
    comptoir::tickets::attach(&app, &id, Path::new(&path), description.as_deref()).await
}

/// Downloads an attachment and keeps a copy where the cashier chose (the
/// documents folder without a choice); its content comes back for preview.
#[tauri::command]
pub async fn ticket_attachment(
    app: State<'_, Comptoir>,
    id: String,
    attachment: String,
    to: Option<String>,
) -> Result<comptoir::tickets::AttachmentContent> {
    comptoir::tickets::open_attachment(&app, &id, &attachment, to.as_deref().map(Path::new)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_suggest_a_stamped_name_in_the_documents_folder() {
        let p = Purpose::OrdersExport.suggestion(None).unwrap();
        assert_eq!(p.parent().unwrap(), comptoir::paths::documents_dir());
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("comptoir-orders-") && name.ends_with(".csv"), "{name}");
        assert!(Purpose::OrdersImport.suggestion(None).is_none());
    }

    #[test]
    fn an_attachment_copy_keeps_only_a_file_name() {
        let p = Purpose::AttachmentCopy.suggestion(Some("../../etc/passwd")).unwrap();
        assert_eq!(p.parent().unwrap(), comptoir::paths::documents_dir());
        assert_eq!(p.file_name().unwrap(), ".._.._etc_passwd");
    }

    #[test]
    fn a_chosen_path_wins_and_an_empty_one_falls_back() {
        assert_eq!(
            chosen_or(Some("/tmp/x.csv".into()), "s", "csv"),
            PathBuf::from("/tmp/x.csv")
        );
        assert!(chosen_or(Some(" ".into()), "s", "csv").starts_with(comptoir::paths::documents_dir()));
    }
}
