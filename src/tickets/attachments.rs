//! Files attached to a ticket (a plan, a photo of the address plate) and
//! downloaded from it. A file handed in is read through `files::read_capped`
//! (a regular file, never a device or a FIFO, at most [`MAX_FILE`]); its name
//! is checked before anything is sent (no line breaks that would end the
//! multipart header); a download is written through `files::write_whole`.

use super::{cache, client};
use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::providers::anomalie_adresse::model::Attachment;
use serde::Serialize;
use std::path::Path;

/// The largest file Comptoir reads to attach (the operator's own limit,
/// answered as 413, may be lower).
pub const MAX_FILE: u64 = 20 * 1024 * 1024;
/// The file types the OpenAPI allows, by extension.
pub use crate::providers::anomalie_adresse::sim::FILE_TYPES;

/// Attaches a file (a plan, a photo of the address plate): its type
/// checked against the OpenAPI's list and its size against [`MAX_FILE`]
/// before it is read or sent.
pub async fn attach(app: &Comptoir, id: &str, file: &Path, description: Option<&str>) -> Result<Attachment> {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    check_name(&name)?;
    mime_of(&name)?;
    let bytes = crate::files::read_capped(file, MAX_FILE, "anomalie_adresse.file").map_err(|e| {
        if e.code == "file.too_large" {
            too_large(&name)
        } else {
            e
        }
    })?;
    attach_bytes(app, id, &name, bytes, description).await
}

/// Attaches a file the window read (its name and bytes), checked as `attach`.
pub async fn attach_bytes(
    app: &Comptoir,
    id: &str,
    name: &str,
    bytes: Vec<u8>,
    description: Option<&str>,
) -> Result<Attachment> {
    check_name(name)?;
    let mime = mime_of(name)?;
    check_size(name, bytes.len() as u64)?;
    if let Some(d) = description {
        crate::types::text::check("the description", d, 1000, true)
            .map_err(|why| Error::invalid("anomalie_adresse.bad_text", why).with("field", "description"))?;
    }
    let (client, _, _) = client(app).await?;
    let att = client.add_attachment(id.trim(), name, mime, bytes, description).await?;
    cache::put_attachments(&app.journal, id.trim(), std::slice::from_ref(&att)).await?;
    Ok(att)
}

/// The MIME type the OpenAPI gives a file's extension; other files are refused.
fn mime_of(name: &str) -> Result<&'static str> {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    FILE_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, m)| *m)
        .ok_or_else(|| {
            let allowed: Vec<&str> = FILE_TYPES.iter().map(|(e, _)| *e).collect();
            Error::invalid(
                "anomalie_adresse.file_type",
                format!(
                    "`{name}` cannot be attached: the operator takes {} files",
                    allowed.join(", ")
                ),
            )
            .with("file", name)
            .with("allowed", allowed.join(", "))
        })
}

fn check_size(name: &str, size: u64) -> Result<()> {
    if size == 0 {
        return Err(Error::invalid(
            "anomalie_adresse.file_empty",
            format!("`{name}` is empty (0 bytes): choose the file again"),
        )
        .with("file", name));
    }
    if size > MAX_FILE {
        return Err(too_large(name));
    }
    Ok(())
}

fn too_large(name: &str) -> Error {
    Error::invalid(
        "anomalie_adresse.file_too_large",
        format!(
            "`{name}` is larger than {} MB, the most Comptoir attaches",
            MAX_FILE / 1024 / 1024
        ),
    )
    .with("file", name)
    .with("max_mb", MAX_FILE / 1024 / 1024)
}

/// A file name that can travel in a multipart header and be shown: no
/// line breaks or other control characters (a CR/LF would end the header
/// and start another), no format characters, at most 255 characters.
fn check_name(name: &str) -> Result<()> {
    crate::types::text::check("the file's name", name, 255, false).map_err(|why| {
        Error::invalid(
            "anomalie_adresse.bad_file_name",
            format!("{why}: rename the file, then attach it"),
        )
        .with("file", crate::types::text::printable(name))
    })
}

/// An attachment as the window opens it: its bytes (base64) and type, and
/// where a copy was kept (the documents folder).
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct AttachmentContent {
    pub name: String,
    pub mime: String,
    pub base64: String,
    pub saved_to: String,
}

/// Downloads an attachment for the window: kept in the documents folder, and
/// its bytes returned to show an image or a PDF at once.
pub async fn open_attachment(
    app: &Comptoir,
    id: &str,
    attachment: &str,
    to: Option<&Path>,
) -> Result<AttachmentContent> {
    use base64::Engine;
    let known = cache::attachments(&app.journal, id.trim()).await?;
    let meta = known.iter().find(|a| a.id.as_deref() == Some(attachment.trim()));
    let name = meta
        .and_then(|a| a.name.clone())
        .unwrap_or_else(|| attachment.trim().to_string());
    let out = match to {
        // A file the cashier chose in the system's dialog.
        Some(path) => path.to_path_buf(),
        // Only the file's own name, never a path the provider's name holds.
        None => {
            let safe: String = name
                .chars()
                .map(|c| {
                    if c == '/' || c == '\\' || c.is_control() {
                        '_'
                    } else {
                        c
                    }
                })
                .collect();
            let short = &id.trim()[..8.min(id.trim().len())];
            crate::paths::documents_dir().join(format!("{short}-{safe}"))
        }
    };
    let (client, _, _) = client(app).await?;
    let bytes = client.download(id.trim(), attachment.trim()).await?;
    save(&out, &bytes)?;
    Ok(AttachmentContent {
        mime: meta
            .and_then(|a| a.mime_type.clone())
            .unwrap_or_else(|| mime_of(&name).unwrap_or("application/octet-stream").to_string()),
        base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        saved_to: out.to_string_lossy().into_owned(),
        name,
    })
}

/// Downloads an attachment into `out`, whole or not at all (a temporary
/// file renamed once written).
pub async fn download(app: &Comptoir, id: &str, attachment: &str, out: &Path) -> Result<u64> {
    let (client, _, _) = client(app).await?;
    let bytes = client.download(id.trim(), attachment.trim()).await?;
    save(out, &bytes)?;
    Ok(bytes.len() as u64)
}

/// Writes a downloaded file whole (a device such as `/dev/full` is written
/// to, never replaced by a regular file, and its failure is an error).
fn save(out: &Path, bytes: &[u8]) -> Result<()> {
    crate::files::write_whole(out, "anomalie_adresse.out", |w| {
        w.write_all(bytes)
            .map_err(|e| crate::files::io_error(out, "anomalie_adresse.out", &e))
    })
}
