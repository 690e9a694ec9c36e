//! Sealing secrets the journal must keep but must not hold in clear (gift
//! card codes and PINs arrive in clear, unlike Orange's activation codes,
//! which Orange already encrypts for the shop's key).
//!
//! AES-256-GCM with one random key per installation, kept in the OS keyring
//! like every other secret; the database holds only `v1:` + base64(nonce ||
//! ciphertext). Losing the key loses the copies, not the vouchers: the
//! provider can be asked for them again (`comptoir order refresh`).
//!
//! Counters of one shop share their keys through the key backup
//! (`keys backup` / `keys restore`): the backup carries every sealing key
//! this installation knows, encrypted with its passphrase, and a restore
//! adds them to the keys this installation opens with (its own first). So
//! a counter reprints a voucher another counter sold, and no key is ever
//! replaced: what this counter sealed stays readable.

use crate::error::{Error, Result};
use crate::secrets::{Secret, SecretStore};
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use rand::RngCore;

/// The keyring entry of the installation's sealing key.
const KEY_NAME: &str = "journal.seal_key";
/// The keyring entry of the other counters' keys, restored from their
/// backups: base64 keys separated by spaces.
const SHARED_NAME: &str = "journal.seal_keys_shared";
/// The key backup's block that carries the sealing keys.
const BLOCK_BEGIN: &str = "-----BEGIN COMPTOIR SEALING KEYS-----";
const BLOCK_END: &str = "-----END COMPTOIR SEALING KEYS-----";
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
    cipher_of(stored.expose()).map(Some)
}

fn cipher_of(b64: &str) -> Result<Aes256Gcm> {
    let bytes = B64
        .decode(b64)
        .ok()
        .filter(|b| b.len() == 32)
        .ok_or_else(|| Error::internal("seal.bad_key", "the journal's sealing key in the keyring is damaged"))?;
    Ok(Aes256Gcm::new_from_slice(&bytes).expect("32-byte key"))
}

/// The other counters' keys this installation was given.
fn shared(secrets: &SecretStore) -> Result<Vec<String>> {
    Ok(secrets
        .get(SHARED_NAME)?
        .map(|s| s.expose().split_whitespace().map(str::to_string).collect())
        .unwrap_or_default())
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
            "the key that sealed these vouchers is not in the keyring; import the shop's key backup (keys import), or ask the provider again (order refresh)",
        )
    };
    let bytes = sealed
        .strip_prefix(PREFIX)
        .and_then(|b| B64.decode(b).ok())
        .filter(|b| b.len() > 12)
        .ok_or_else(|| Error::internal("seal.corrupt", "a sealed value in the journal is unreadable"))?;
    // This installation's key, then the other counters' (GCM tells a wrong
    // key: it never opens into garbage).
    let mut ciphers: Vec<Aes256Gcm> = key(secrets, false)?.into_iter().collect();
    for other in shared(secrets)? {
        ciphers.push(cipher_of(&other)?);
    }
    let clear = ciphers
        .iter()
        .find_map(|c| c.decrypt(Nonce::from_slice(&bytes[..12]), &bytes[12..]).ok())
        .ok_or_else(lost)?;
    String::from_utf8(clear)
        .map(Secret::new)
        .map_err(|_| Error::internal("seal.corrupt", "a sealed value in the journal is unreadable"))
}

/// The key from a passphrase for the backup's block (argon2id, salted).
fn block_cipher(passphrase: &Secret, salt: &[u8]) -> Result<Aes256Gcm> {
    let mut key = [0u8; 32];
    argon2::Argon2::default()
        .hash_password_into(passphrase.expose().as_bytes(), salt, &mut key)
        .map_err(|e| Error::internal("seal.backup", format!("cannot derive the backup's key: {e}")))?;
    Ok(Aes256Gcm::new_from_slice(&key).expect("32-byte key"))
}

/// The block a key backup carries after the distributor key: every sealing
/// key this installation knows (its own made now if it has none yet, so
/// counters set up from one backup seal alike), encrypted with the
/// backup's passphrase. PEM-like, so `openssl` still reads the file's
/// first block, the distributor key.
pub fn backup_block(secrets: &SecretStore, passphrase: &Secret) -> Result<String> {
    key(secrets, true)?;
    let mut keys = vec![secrets.get(KEY_NAME)?.expect("made").expose().to_string()];
    keys.extend(shared(secrets)?);
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut salt);
    rand::thread_rng().fill_bytes(&mut nonce);
    let clear = Secret::new(keys.join(" "));
    let sealed = block_cipher(passphrase, &salt)?
        .encrypt(Nonce::from_slice(&nonce), clear.expose().as_bytes())
        .map_err(|_| Error::internal("seal.backup", "cannot encrypt the sealing keys"))?;
    let body = B64.encode([&salt[..], &nonce[..], &sealed[..]].concat());
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).expect("base64"))
        .collect();
    Ok(format!("{BLOCK_BEGIN}\n{}\n{BLOCK_END}\n", lines.join("\n")))
}

/// Adds the sealing keys a backup carries to this installation's: the
/// first becomes its own if it has none yet, the others are kept to open
/// with. Returns how many it did not know. A backup without the block (an
/// older one, or `openssl`'s) gives none.
pub fn restore_block(secrets: &SecretStore, backup: &str, passphrase: &Secret) -> Result<usize> {
    let Some(body) = backup
        .split_once(BLOCK_BEGIN)
        .and_then(|(_, rest)| rest.split_once(BLOCK_END))
        .map(|(body, _)| body.split_whitespace().collect::<String>())
    else {
        return Ok(0);
    };
    let damaged = || {
        Error::invalid(
            "crypto.bad_backup",
            "this file cannot be opened with this passphrase (wrong passphrase, or not a key backup)",
        )
    };
    let bytes = B64.decode(body).ok().filter(|b| b.len() > 28).ok_or_else(damaged)?;
    let clear = block_cipher(passphrase, &bytes[..16])?
        .decrypt(Nonce::from_slice(&bytes[16..28]), &bytes[28..])
        .map_err(|_| damaged())?;
    let clear = Secret::new(String::from_utf8(clear).map_err(|_| damaged())?);
    let given: Vec<&str> = clear.expose().split_whitespace().collect();
    for k in &given {
        cipher_of(k).map_err(|_| damaged())?;
    }
    let mut own = secrets.get(KEY_NAME)?.map(|k| k.expose().to_string());
    let mut known = shared(secrets)?;
    let (mut added, before) = (0, known.len());
    for k in given {
        if own.is_none() {
            // Made once, even with another process sealing at this moment.
            let kept = secrets.create_once(KEY_NAME, || Secret::new(k))?.expose().to_string();
            added += usize::from(kept == k);
            own = Some(kept);
        }
        if own.as_deref() != Some(k) && !known.iter().any(|x| x == k) {
            known.push(k.to_string());
            added += 1;
        }
    }
    if known.len() > before {
        secrets.set(SHARED_NAME, &Secret::new(known.join(" ")))?;
    }
    Ok(added)
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
    fn a_backup_shares_the_sealing_keys_and_replaces_none() {
        let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
        let [a, b, c] = [0, 1, 2].map(|i| SecretStore::new(Backend::Kernel, dirs[i].path()));
        let pass = Secret::new("horse battery staple");
        let sold_at_a = seal(&a, "FNAC-1111").unwrap();
        let sold_at_b = seal(&b, "FNAC-2222").unwrap();
        let block = backup_block(&a, &pass).unwrap();
        assert!(block.starts_with(BLOCK_BEGIN) && block.trim_end().ends_with(BLOCK_END));
        assert!(!block.contains(a.get(KEY_NAME).unwrap().unwrap().expose()));
        let backup = format!("-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n-----END ENCRYPTED PRIVATE KEY-----\n{block}");

        // B already sealed with its own key: it keeps it and opens A's too.
        assert_eq!(
            restore_block(&b, &backup, &Secret::new("wrong horse battery"))
                .unwrap_err()
                .code,
            "crypto.bad_backup"
        );
        assert_eq!(restore_block(&b, &backup, &pass).unwrap(), 1);
        assert_eq!(restore_block(&b, &backup, &pass).unwrap(), 0, "known already");
        assert_eq!(open(&b, &sold_at_a).unwrap().expose(), "FNAC-1111");
        assert_eq!(open(&b, &sold_at_b).unwrap().expose(), "FNAC-2222");

        // A fresh counter takes A's key as its own: each opens the other's.
        assert_eq!(restore_block(&c, &backup, &pass).unwrap(), 1);
        let sold_at_c = seal(&c, "FNAC-3333").unwrap();
        assert_eq!(open(&c, &sold_at_a).unwrap().expose(), "FNAC-1111");
        assert_eq!(open(&a, &sold_at_c).unwrap().expose(), "FNAC-3333");
        assert_eq!(open(&a, &sold_at_b).unwrap_err().code, "seal.key_missing");

        // A backup without the block (openssl's, an older one) gives none.
        assert_eq!(
            restore_block(&a, "-----BEGIN ENCRYPTED PRIVATE KEY-----", &pass).unwrap(),
            0
        );
        for s in [a, b, c] {
            s.delete(KEY_NAME).unwrap();
            s.delete(SHARED_NAME).unwrap();
        }
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
