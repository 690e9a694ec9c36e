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
//! The dialog runs in a process of its own (`dialog`): GTK's chooser in
//! the window's process would drop the window's locks on the journal.

use crate::dialog::{Action, Request};
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

/// The dialog's buttons, in the window's language.
#[derive(Debug, serde::Deserialize)]
pub struct Buttons {
    pub cancel: String,
    pub open: String,
    pub save: String,
    pub folder: String,
}

/// Opens the system's dialog over the window; the chosen path, or `None`
/// when the cashier cancelled. `name` helps the suggestion (an order id, a
/// period, an attachment's name); `title` and `buttons` are in the
/// window's language, which `language` names for GTK's own words.
#[tauri::command]
pub async fn choose_file(
    purpose: Purpose,
    title: String,
    name: Option<String>,
    buttons: Buttons,
    language: Option<String>,
) -> Result<Option<String>> {
    let suggested = purpose.suggestion(name.as_deref());
    let action = match purpose {
        Purpose::OrdersImport | Purpose::Attachment | Purpose::KeysRestore => Action::Open,
        Purpose::RegisterExport => Action::Folder,
        _ => Action::Save,
    };
    let request = Request {
        action,
        title,
        folder: suggested
            .as_deref()
            .and_then(Path::parent)
            .map_or_else(comptoir::paths::documents_dir, Path::to_path_buf),
        name: suggested
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned()),
        filter: purpose
            .filter()
            .map(|(label, exts)| (label.to_string(), exts.iter().map(|e| e.to_string()).collect())),
        accept: match action {
            Action::Open => buttons.open,
            Action::Save => buttons.save,
            Action::Folder => buttons.folder,
        },
        cancel: buttons.cancel,
        language,
    };
    let chosen = crate::dialog::ask(&request)
        .await
        .map_err(|e| Error::internal("file.dialog", format!("the file dialog did not open: {e}")))?;
    tracing::info!(?purpose, chosen = chosen.is_some(), "file dialog closed");
    Ok(chosen.map(|p| p.display().to_string()))
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
