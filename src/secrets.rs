//! Secrets (client secrets, passwords, private keys, cached tokens) live only
//! in a keyring: the OS one (Secret Service, Keychain, Credential Manager) by
//! default, or the Linux kernel keyring (`COMPTOIR_SECRET_STORE=kernel`) on
//! machines with no desktop session. There is no file fallback, on purpose.

use crate::error::{Error, Result};
use std::fmt;
use std::path::Path;

pub const SECRET_STORE_ENV: &str = "COMPTOIR_SECRET_STORE";
const SERVICE: &str = "comptoir";

/// A secret value. `Debug` and `Display` never show it, so it cannot leak
/// through a log line, an error or a panic message by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    /// The clear value, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Os,
    Kernel,
}

impl Backend {
    /// Reads `COMPTOIR_SECRET_STORE`; unset means the OS keyring.
    pub fn from_env() -> Result<Self> {
        match std::env::var(SECRET_STORE_ENV).ok().as_deref() {
            None | Some("") | Some("os") => Ok(Backend::Os),
            Some("kernel") => Ok(Backend::Kernel),
            Some(other) => Err(Error::config(
                "secrets.bad_store",
                format!("{SECRET_STORE_ENV} must be `os` or `kernel`, not `{other}`"),
            )
            .with("value", other)),
        }
    }
}

/// The secret store of one installation. Entries are scoped by the data
/// folder, so two shops (or two test runs) on one machine never share secrets.
#[derive(Debug, Clone)]
pub struct SecretStore {
    backend: Backend,
    scope: String,
    /// The file whose lock makes a secret created once (`create_once`).
    lock: std::path::PathBuf,
}

impl SecretStore {
    pub fn new(backend: Backend, data_dir: &Path) -> Self {
        let canonical = data_dir.canonicalize().unwrap_or_else(|_| data_dir.to_path_buf());
        let scope = format!("{:016x}", stable_hash(canonical.to_string_lossy().as_bytes()));
        SecretStore {
            backend,
            scope,
            lock: data_dir.join("secrets.lock"),
        }
    }

    /// The secret `name`, made by `make` and stored if there is none yet,
    /// once for the installation: the check and the creation hold the data
    /// folder's lock, so two processes starting together agree on one
    /// secret rather than each keeping its own (a keyring has no
    /// create-if-absent of its own).
    pub fn create_once(&self, name: &str, make: impl FnOnce() -> Secret) -> Result<Secret> {
        if let Some(s) = self.get(name)? {
            return Ok(s);
        }
        if let Some(dir) = self.lock.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&self.lock)?;
        lock.lock()?;
        if let Some(s) = self.get(name)? {
            return Ok(s); // made by another process meanwhile
        }
        let made = make();
        self.set(name, &made)?;
        Ok(made)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn account(&self, name: &str) -> String {
        format!("{name}@{}", self.scope)
    }

    pub fn get(&self, name: &str) -> Result<Option<Secret>> {
        match self.backend {
            Backend::Os => os::get(&self.account(name)),
            Backend::Kernel => kernel::get(&self.account(name)),
        }
        .map(|v| v.map(Secret))
    }

    pub fn set(&self, name: &str, value: &Secret) -> Result<()> {
        match self.backend {
            Backend::Os => os::set(&self.account(name), value.expose()),
            Backend::Kernel => kernel::set(&self.account(name), value.expose()),
        }
    }

    pub fn delete(&self, name: &str) -> Result<()> {
        match self.backend {
            Backend::Os => os::delete(&self.account(name)),
            Backend::Kernel => kernel::delete(&self.account(name)),
        }
    }
}

/// A stable 64-bit hash (std's hasher may change between Rust releases, and
/// the scope must not, or a shop would lose its secrets on an upgrade).
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100000001b3)
    })
}

fn unreachable_store(detail: impl fmt::Display) -> Error {
    Error::config(
        "secrets.unavailable",
        format!(
            "the OS keyring cannot be reached ({detail}); unlock it, or set \
             {SECRET_STORE_ENV}=kernel on a machine without a desktop session"
        ),
    )
}

mod os {
    use super::*;

    fn entry(account: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, account).map_err(unreachable_store)
    }

    pub fn get(account: &str) -> Result<Option<String>> {
        match entry(account)?.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unreachable_store(e)),
        }
    }

    pub fn set(account: &str, value: &str) -> Result<()> {
        entry(account)?.set_password(value).map_err(unreachable_store)
    }

    pub fn delete(account: &str) -> Result<()> {
        match entry(account)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unreachable_store(e)),
        }
    }
}

/// The kernel keyring. Keys go in the user keyring (`@u`), which every
/// process of the user shares, so a secret set by one `comptoir` command is
/// read by the next even when no session keyring exists (the default in
/// containers and CI). It lives in kernel memory only and is gone on reboot.
#[cfg(target_os = "linux")]
mod kernel {
    use super::*;
    use linux_keyutils::{KeyError, KeyRing, KeyRingIdentifier};

    fn ring() -> Result<KeyRing> {
        KeyRing::from_special_id(KeyRingIdentifier::User, true)
            .map_err(|e| unreachable_store(format!("kernel user keyring: {e:?}")))
    }

    fn description(account: &str) -> String {
        format!("{SERVICE}:{account}")
    }

    pub fn get(account: &str) -> Result<Option<String>> {
        let ring = ring()?;
        let key = match ring.search(&description(account)) {
            Ok(k) => k,
            // A just-deleted key may linger revoked until the kernel collects it.
            Err(KeyError::KeyDoesNotExist | KeyError::KeyRevoked | KeyError::KeyExpired) => return Ok(None),
            Err(e) => return Err(unreachable_store(format!("kernel keyring search: {e:?}"))),
        };
        let bytes = key
            .read_to_vec()
            .map_err(|e| unreachable_store(format!("kernel keyring read: {e:?}")))?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| Error::internal("secrets.not_text", "a stored secret is not text"))
    }

    pub fn set(account: &str, value: &str) -> Result<()> {
        ring()?
            .add_key(&description(account), value.as_bytes())
            .map(|_| ())
            .map_err(|e| unreachable_store(format!("kernel keyring add: {e:?}")))
    }

    pub fn delete(account: &str) -> Result<()> {
        let ring = ring()?;
        match ring.search(&description(account)) {
            // Unlink first so the name is free at once; invalidating then
            // wipes the value from kernel memory.
            Ok(key) => {
                ring.unlink_key(key)
                    .map_err(|e| unreachable_store(format!("kernel keyring unlink: {e:?}")))?;
                let _ = key.invalidate();
                Ok(())
            }
            Err(KeyError::KeyDoesNotExist | KeyError::KeyRevoked | KeyError::KeyExpired) => Ok(()),
            Err(e) => Err(unreachable_store(format!("kernel keyring search: {e:?}"))),
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod kernel {
    use super::*;
    fn unsupported() -> Error {
        Error::config(
            "secrets.kernel_unsupported",
            format!("{SECRET_STORE_ENV}=kernel works on Linux only"),
        )
    }
    pub fn get(_: &str) -> Result<Option<String>> {
        Err(unsupported())
    }
    pub fn set(_: &str, _: &str) -> Result<()> {
        Err(unsupported())
    }
    pub fn delete(_: &str) -> Result<()> {
        Err(unsupported())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?} {s}").contains("hunter2"));
    }

    #[test]
    fn scope_is_stable_and_per_folder() {
        assert_eq!(stable_hash(b"abc"), 0xe71fa2190541574b);
        let a = SecretStore::new(Backend::Kernel, Path::new("/nonexistent/a"));
        let b = SecretStore::new(Backend::Kernel, Path::new("/nonexistent/b"));
        assert_ne!(a.account("x"), b.account("x"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn kernel_store_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = SecretStore::new(Backend::Kernel, dir.path());
        assert_eq!(store.get("t.secret").unwrap(), None);
        store.set("t.secret", &Secret::new("p@ss w$rd#&")).unwrap();
        store.set("t.secret", &Secret::new("second")).unwrap();
        assert_eq!(store.get("t.secret").unwrap().unwrap().expose(), "second");
        store.delete("t.secret").unwrap();
        assert_eq!(store.get("t.secret").unwrap(), None);
    }
}
