//! Sealing secrets the journal must keep but must not hold in clear (gift
//! card codes and PINs arrive in clear, unlike Orange's activation codes,
//! which Orange already encrypts for the shop's key).
//!
//! AES-256-GCM with one random key per installation, kept in the OS keyring
//! like every other secret; the database holds only `v1:` + base64(nonce ||
//! ciphertext). Losing the key loses the copies, not the vouchers: the
//! provider can be asked for them again (`comptoir order refresh`).

use crate::error::{Error, Result};
use crate::secrets::{Secret, SecretStore};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use rand::RngCore;

/// The keyring entry of the installation's sealing key.
const KEY_NAME: &str = "journal.seal_key";
const PREFIX: &str = "v1:";
const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// The sealing key, made on first use.
fn key(secrets: &SecretStore, create: bool) -> Result<Option<Aes256Gcm>> {
    let stored = if create {
        // Once for the installation, even with two processes on a fresh
        // install: vouchers sealed with a key then lost would be unreadable.
        secrets.create_once(KEY_NAME, || {
            let mut bytes = [0u8; 32];
            rand::thread_rng().fill_bytes(&mut bytes);
            Secret::new(B64.encode(bytes))
        })?
    } else {
        match secrets.get(KEY_NAME)? {
            Some(k) => k,
            None => return Ok(None),
        }
    };
    let bytes = B64
        .decode(stored.expose())
        .ok()
        .filter(|b| b.len() == 32)
        .ok_or_else(|| Error::internal("seal.bad_key", "the journal's sealing key in the keyring is damaged"))?;
    Ok(Some(Aes256Gcm::new_from_slice(&bytes).expect("32-byte key")))
}

/// Encrypts `clear` for the journal.
pub fn seal(secrets: &SecretStore, clear: &str) -> Result<String> {
    let cipher = key(secrets, true)?.expect("created");
    let mut nonce = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut nonce);
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), clear.as_bytes())
        .map_err(|_| Error::internal("seal.failed", "could not encrypt for the journal"))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(format!("{PREFIX}{}", B64.encode(out)))
}

/// Decrypts what `seal` wrote. An error (never the data) when the key is
/// missing or the text was not sealed by this installation.
pub fn open(secrets: &SecretStore, sealed: &str) -> Result<Secret> {
    let lost = || {
        Error::config(
            "seal.key_missing",
            "this installation's sealing key is not in the keyring; ask the provider again (order refresh)",
        )
    };
    let cipher = key(secrets, false)?.ok_or_else(lost)?;
    let bytes = sealed
        .strip_prefix(PREFIX)
        .and_then(|b| B64.decode(b).ok())
        .filter(|b| b.len() > 12)
        .ok_or_else(|| Error::internal("seal.corrupt", "a sealed value in the journal is unreadable"))?;
    let clear = cipher
        .decrypt(Nonce::from_slice(&bytes[..12]), &bytes[12..])
        .map_err(|_| lost())?;
    String::from_utf8(clear)
        .map(Secret::new)
        .map_err(|_| Error::internal("seal.corrupt", "a sealed value in the journal is unreadable"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Backend;

    #[test]
    fn processes_sealing_at_once_on_a_fresh_install_share_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let start = std::sync::Arc::new(std::sync::Barrier::new(8));
        // Eight installations' handles (as eight processes hold them), all
        // sealing at the same moment on a fresh install.
        let sealed: Vec<String> = (0..8)
            .map(|i| {
                let (path, start) = (path.clone(), start.clone());
                std::thread::spawn(move || {
                    let store = SecretStore::new(Backend::Kernel, &path);
                    start.wait();
                    seal(&store, &format!("voucher {i}")).unwrap()
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        // Every voucher opens with the one key the installation kept.
        let store = SecretStore::new(Backend::Kernel, &path);
        for (i, s) in sealed.iter().enumerate() {
            assert_eq!(open(&store, s).unwrap().expose(), format!("voucher {i}"));
        }
        store.delete(KEY_NAME).unwrap();
    }

    #[test]
    fn seals_and_opens_and_nothing_in_clear() {
        let dir = tempfile::tempdir().unwrap();
        let store = SecretStore::new(Backend::Kernel, dir.path());
        let sealed = seal(&store, "AMZN-1234-5678").unwrap();
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains("AMZN"));
        assert_ne!(
            sealed,
            seal(&store, "AMZN-1234-5678").unwrap(),
            "a fresh nonce each time"
        );
        assert_eq!(open(&store, &sealed).unwrap().expose(), "AMZN-1234-5678");

        // Another installation (another key) cannot open it.
        let other_dir = tempfile::tempdir().unwrap();
        let other = SecretStore::new(Backend::Kernel, other_dir.path());
        seal(&other, "x").unwrap();
        assert_eq!(open(&other, &sealed).unwrap_err().code, "seal.key_missing");
        assert_eq!(open(&store, "v1:!!").unwrap_err().code, "seal.corrupt");
        store.delete(KEY_NAME).unwrap();
        other.delete(KEY_NAME).unwrap();
        assert_eq!(open(&store, &sealed).unwrap_err().code, "seal.key_missing");
    }
}
