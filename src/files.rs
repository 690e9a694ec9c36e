//! Files the shop asks for (exports, reports, QR codes) and files it hands
//! in (imports, key backups): written whole or not at all, read with a cap,
//! and their failures said in words (a full disk is not a bug).

use crate::error::{Error, ErrorKind, Result};
use std::io::Write;
use std::path::Path;

/// Makes every file and folder this process creates the shop user's only
/// (umask 077: files 0600, folders 0700): the journal, logs, settings,
/// exports and tickets hold customers' names and numbers. Called first
/// thing by each shell.
pub fn keep_private() {
    #[cfg(unix)]
    // SAFETY: umask only sets the process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}

/// Creates `dir` if needed and makes it the user's only (an older install
/// left it 0755).
pub fn private_dir(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        std::fs::create_dir_all(dir)?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            // Best effort: a read-only folder stays readable, as it is.
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
    }
    Ok(())
}

/// Whether files can be created in `dir` (a read-only mount, a folder of
/// another user's): tried, since permission bits do not tell for root.
pub fn writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".comptoir-write-probe-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

/// Makes an existing file the user's only (files an older install left 0644).
pub fn private_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(path) {
            if m.is_file() && m.permissions().mode() & 0o077 != 0 {
                let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
            }
        }
    }
    Ok(())
}

/// What a failed read or write of `path` means for the cashier.
pub fn io_error(path: &Path, code: &str, e: &std::io::Error) -> Error {
    let shown = path.display().to_string();
    match e.kind() {
        std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => Error::new(
            ErrorKind::Unavailable,
            "file.disk_full",
            format!("the disk is full: {shown} was not written; free some space and try again"),
        ),
        std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => Error::invalid(
            "file.not_allowed",
            format!("{shown} cannot be written here ({e}); choose another folder"),
        ),
        _ => Error::invalid(code, format!("cannot write {shown}: {e}")),
    }
    .with("path", shown)
}

/// A CSV writer's failure: its I/O error said as `io_error` says it.
pub fn csv_error(path: Option<&Path>, code: &str, e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io_error(path.unwrap_or(Path::new("the file")), code, &io),
        other => Error::internal(code, format!("cannot write CSV: {other:?}")),
    }
}

/// Writes `path` whole or not at all: into a temporary file beside it,
/// flushed to disk, then renamed over it, so a failure (a full disk) leaves
/// whatever was there before, never half a file. A path that is not a
/// regular file (a device such as `/dev/stdout`, a pipe) is written directly.
pub fn write_whole(path: &Path, code: &str, write: impl FnOnce(&mut dyn Write) -> Result<()>) -> Result<()> {
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file());
    if special {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(|e| io_error(path, code, &e))?;
        write(&mut f)?;
        return f.flush().map_err(|e| io_error(path, code, &e));
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = path.with_file_name(format!(".{name}.{}.part", std::process::id()));
    let done = (|| {
        let file = std::fs::File::create(&tmp).map_err(|e| io_error(path, code, &e))?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| io_error(path, code, e.error()))?;
        file.sync_all().map_err(|e| io_error(path, code, &e))?;
        std::fs::rename(&tmp, path).map_err(|e| io_error(path, code, &e))
    })();
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// A file being written whole (see `write_whole`) by code that writes it
/// over time (an export streaming rows): `commit` renames it into place;
/// dropped without, the temporary file goes and the old file stays.
pub struct Whole {
    path: std::path::PathBuf,
    tmp: Option<std::path::PathBuf>,
    code: String,
    out: Option<std::io::BufWriter<std::fs::File>>,
}

impl Whole {
    pub fn create(path: &Path, code: &str) -> Result<Whole> {
        let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file());
        let (file, tmp) = if special {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| io_error(path, code, &e))?;
            (f, None)
        } else {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
            let tmp = path.with_file_name(format!(".{name}.{}.part", std::process::id()));
            let f = std::fs::File::create(&tmp).map_err(|e| io_error(path, code, &e))?;
            (f, Some(tmp))
        };
        Ok(Whole {
            path: path.to_path_buf(),
            tmp,
            code: code.to_string(),
            out: Some(std::io::BufWriter::new(file)),
        })
    }

    /// The file's writer (a concrete type: a future holding it stays `Send`).
    pub fn writer(&mut self) -> &mut std::io::BufWriter<std::fs::File> {
        self.out.as_mut().expect("open until committed")
    }

    /// Flushed to disk and renamed over the target.
    pub fn commit(mut self) -> Result<()> {
        let (path, code) = (self.path.clone(), self.code.clone());
        let out = self.out.take().expect("open until committed");
        let file = out.into_inner().map_err(|e| io_error(&path, &code, e.error()))?;
        file.sync_all()
            .or_else(|e| if self.tmp.is_none() { Ok(()) } else { Err(e) })
            .map_err(|e| io_error(&path, &code, &e))?;
        if let Some(tmp) = self.tmp.take() {
            std::fs::rename(&tmp, &path).map_err(|e| {
                let _ = std::fs::remove_file(&tmp);
                io_error(&path, &code, &e)
            })?;
        }
        Ok(())
    }
}

impl Drop for Whole {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            self.out.take();
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Reads a file handed in, refusing one larger than `max` bytes before it
/// fills the memory, and anything that is not a regular file (a device such
/// as `/dev/zero`, a link to one, a FIFO that would block, a folder): the
/// one reader for every file the user gives.
pub fn read_capped(path: &Path, max: u64, code: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let shown = path.display().to_string();
    let cannot =
        |e: std::io::Error| Error::invalid(code, format!("cannot read {shown}: {e}")).with("path", shown.clone());
    // Opened without blocking: opening a FIFO for reading would wait for a
    // writer forever. Its type is then read from the open file itself.
    let file = open_nonblocking(path).map_err(cannot)?;
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(Error::invalid(
            "file.not_regular",
            format!("{shown} is not a regular file (a device, a pipe or a folder): give the path of a file"),
        )
        .with("path", shown));
    }
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > max {
        return Err(Error::invalid(
            "file.too_large",
            format!(
                "{shown} is larger than {} MB, more than this file can be",
                max / 1024 / 1024
            ),
        )
        .with("path", shown)
        .with("max_mb", max / 1024 / 1024));
    }
    Ok(bytes)
}

/// `read_capped` for text: UTF-8, a leading byte-order mark (Windows'
/// editors write one) dropped.
pub fn read_text_capped(path: &Path, max: u64, code: &str) -> Result<String> {
    let bytes = read_capped(path, max, code)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        Error::invalid(code, format!("{} is not UTF-8 text", path.display())).with("path", path.display().to_string())
    })
}

fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_part() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.csv");
        std::fs::write(&path, "old").unwrap();
        let e = write_whole(&path, "export.cannot_write", |w| {
            w.write_all(b"half").unwrap();
            Err(Error::invalid("x", "stopped half way"))
        })
        .unwrap_err();
        assert_eq!(e.code, "x");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
        write_whole(&path, "export.cannot_write", |w| Ok(w.write_all(b"new")?)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[test]
    fn a_full_disk_is_said_so() {
        let e = write_whole(Path::new("/dev/full"), "export.cannot_write", |w| {
            w.write_all(&[b'x'; 100_000])
                .map_err(|e| io_error(Path::new("/dev/full"), "export.cannot_write", &e))
        })
        .unwrap_err();
        assert_eq!((e.code.as_str(), e.kind), ("file.disk_full", ErrorKind::Unavailable));
    }

    #[test]
    fn a_file_that_never_ends_is_refused() {
        let e = read_capped(Path::new("/dev/zero"), 1024 * 1024, "import.cannot_read").unwrap_err();
        assert_eq!(e.code, "file.not_regular");
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2048]).unwrap();
        let e = read_capped(&big, 1024, "import.cannot_read").unwrap_err();
        assert_eq!(e.code, "file.too_large");
    }

    /// Issue 20 §2: a FIFO named `x.pdf` hung the reader; a link to
    /// `/dev/zero` was read until the kernel killed the process.
    #[test]
    fn a_fifo_and_a_link_to_a_device_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("x.pdf");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert_eq!(read_capped(&fifo, 1024, "x").unwrap_err().code, "file.not_regular");
        let link = dir.path().join("plan.png");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert_eq!(read_capped(&link, 1024, "x").unwrap_err().code, "file.not_regular");
        assert_eq!(read_capped(dir.path(), 1024, "x").unwrap_err().code, "file.not_regular");
        let bom = dir.path().join("t.json");
        std::fs::write(&bom, b"\xEF\xBB\xBF{}").unwrap();
        assert_eq!(read_text_capped(&bom, 1024, "x").unwrap(), "{}");
    }
}
