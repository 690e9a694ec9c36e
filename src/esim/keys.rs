//! The shop's distributor key pair: made here, private half only in the
//! keyring, public half uploaded to Orange, which encrypts every eSIM
//! activation code with it. Losing the private key means losing the ability
//! to show past customers their codes: hence the warnings and the backup.

use crate::context::Comptoir;
use crate::crypto;
use crate::error::{Error, Result};
use crate::secrets::Secret;
use rsa::RsaPrivateKey;
use serde::Serialize;

/// Keyring name of the private key (PKCS#8 PEM).
pub const PRIVATE_KEY: &str = "orange_travel.distributor_key";

pub fn load(app: &Comptoir) -> Result<Option<RsaPrivateKey>> {
    app.secrets()
        .get(PRIVATE_KEY)?
        .map(|pem| crypto::private_from_pem(&pem))
        .transpose()
}

pub fn require(app: &Comptoir) -> Result<RsaPrivateKey> {
    load(app)?.ok_or_else(|| {
        Error::config(
            "orange_travel.no_local_key",
            "this shop has no distributor key: generate one (Settings, or `comptoir keys generate`)",
        )
    })
}

/// Makes and stores a new key pair. Refuses to replace one without `force`:
/// the old key is the only way to read the codes of past sales.
pub fn generate(app: &Comptoir, force: bool) -> Result<String> {
    app.require_now(crate::accounts::Right::Administer, Some("keys"))?;
    if !force && load(app)?.is_some() {
        return Err(Error::invalid(
            "orange_travel.key_exists",
            "this shop already has a key; replacing it makes past eSIM codes unreadable (use --force after a backup)",
        ));
    }
    let key = crypto::generate()?;
    let public = crypto::public_pem(&key)?;
    recorded(app, "key_generated", &public)?;
    app.secrets().set(PRIVATE_KEY, &crypto::private_pem(&key)?)?;
    tracing::info!("distributor key pair generated");
    Ok(public)
}

/// Records a key operation in the register, naming the key by its public
/// fingerprint (never anything of its private half), before it is done.
fn recorded(app: &Comptoir, event: &str, public_pem: &str) -> Result<()> {
    let fingerprint = crypto::fingerprint(public_pem)?;
    app.record_now(event, serde_json::json!({ "fingerprint": fingerprint }))
}

/// Stores a private key the shop already has (PEM, e.g. from OpenSSL).
pub fn import_pem(app: &Comptoir, pem: &Secret, force: bool) -> Result<String> {
    app.require_now(crate::accounts::Right::Administer, Some("keys"))?;
    store_pem(app, pem, force)
}

/// `import_pem` once the right was checked (by it, or by a restore).
fn store_pem(app: &Comptoir, pem: &Secret, force: bool) -> Result<String> {
    let key = crypto::private_from_pem(pem)?;
    if !force && load(app)?.is_some_and(|k| k != key) {
        return Err(Error::invalid(
            "orange_travel.key_exists",
            "this shop already has another key (use --force)",
        ));
    }
    let public = crypto::public_pem(&key)?;
    recorded(app, "key_imported", &public)?;
    app.secrets().set(PRIVATE_KEY, &crypto::private_pem(&key)?)?;
    Ok(public)
}

/// A passphrase-encrypted backup of the private key (PEM text).
pub fn export_backup(app: &Comptoir, passphrase: &Secret) -> Result<String> {
    app.require_now(crate::accounts::Right::Administer, Some("keys"))?;
    let private = require(app)?;
    recorded(app, "key_backup", &crypto::public_pem(&private)?)?;
    let key = crypto::encrypted_backup(&private, passphrase)?;
    // The keys that seal vouchers ride along: a counter restored from
    // this file reprints any counter's gift cards (`seal`).
    Ok(key + &crate::seal::backup_block(app.secrets(), passphrase)?)
}

/// Writes the backup to `path`, readable by its owner only. An existing file
/// is never overwritten: it may be the only copy of an older key.
pub fn write_backup(app: &Comptoir, path: &std::path::Path, passphrase: &Secret) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let pem = export_backup(app, passphrase)?; // the one check
    let cannot = |e: std::io::Error| {
        let code = if e.kind() == std::io::ErrorKind::AlreadyExists {
            "keys.backup_exists"
        } else {
            "keys.cannot_write"
        };
        Error::invalid(code, format!("cannot write {}: {e}", path.display())).with("path", path.display().to_string())
    };
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(cannot)?;
    f.write_all(pem.as_bytes()).map_err(cannot)?;
    tracing::info!(path = %path.display(), "distributor key backup written");
    Ok(())
}

/// Where the window suggests writing a backup: the documents folder, named
/// after the key's fingerprint.
pub fn suggested_backup_path(app: &Comptoir) -> Result<std::path::PathBuf> {
    let fingerprint = crypto::fingerprint(&public(app)?)?;
    let dir = crate::paths::documents_dir();
    Ok(dir.join(format!("comptoir-key-{fingerprint}.pem")))
}

/// Restores a backup from a file (see `import_backup`).
pub fn restore_file(app: &Comptoir, path: &std::path::Path, passphrase: &Secret, force: bool) -> Result<String> {
    app.require_now(crate::accounts::Right::Administer, Some("keys"))?;
    // A key backup is a few kilobytes.
    let bytes = crate::files::read_capped(path, 1024 * 1024, "keys.cannot_read")?;
    let pem = String::from_utf8(bytes).map_err(|_| {
        Error::invalid(
            "keys.cannot_read",
            format!("{} is not a PEM key backup", path.display()),
        )
        .with("path", path.display().to_string())
    })?;
    restore(app, &pem, passphrase, force)
}

/// Restores a backup. Replacing a different key needs `force`.
pub fn import_backup(app: &Comptoir, pem: &str, passphrase: &Secret, force: bool) -> Result<String> {
    app.require_now(crate::accounts::Right::Administer, Some("keys"))?;
    restore(app, pem, passphrase, force)
}

fn restore(app: &Comptoir, pem: &str, passphrase: &Secret, force: bool) -> Result<String> {
    // The distributor key is the file's first block (what `openssl` reads).
    const END: &str = "-----END ENCRYPTED PRIVATE KEY-----";
    let first = pem.find(END).map_or(pem, |at| &pem[..at + END.len()]);
    let key = crypto::from_encrypted_backup(first, passphrase)?;
    let public = store_pem(app, &crypto::private_pem(&key)?, force)?;
    let added = crate::seal::restore_block(app.secrets(), pem, passphrase)?;
    tracing::info!(sealing_keys_added = added, "key backup restored");
    Ok(public)
}

pub fn public(app: &Comptoir) -> Result<String> {
    crypto::public_pem(&require(app)?)
}

/// Sends the public key to Orange (irreversible: it replaces Orange's).
pub async fn upload(app: &Comptoir) -> Result<KeyStatus> {
    app.require(crate::accounts::Right::Administer, Some("keys")).await?;
    let public = public(app)?;
    let (client, training) = super::client(app).await?;
    client.upload_key(&public).await?;
    tracing::info!(training, "distributor public key uploaded");
    // Recorded once Orange took it: a refused upload changed nothing.
    let fingerprint = crypto::fingerprint(&public)?;
    crate::register::event(app, "key_uploaded", serde_json::json!({ "fingerprint": fingerprint })).await?;
    status(app).await
}

#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct KeyStatus {
    /// Fingerprint of the shop's key, if it has one.
    pub local: Option<String>,
    /// Fingerprint of the key Orange holds, if any.
    pub server: Option<String>,
    /// Orange holds the shop's key: eSIMs can be sold and read.
    pub ready: bool,
}

pub async fn status(app: &Comptoir) -> Result<KeyStatus> {
    let local = load(app)?
        .map(|k| crypto::public_pem(&k).and_then(|p| crypto::fingerprint(&p)))
        .transpose()?;
    let (client, _) = super::client(app).await?;
    let server = match client.server_key().await? {
        Some(k) => Some(crypto::fingerprint(&k.public_key_value)?),
        None => None,
    };
    Ok(KeyStatus {
        ready: local.is_some() && local == server,
        local,
        server,
    })
}
