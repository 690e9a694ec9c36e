//! The register a tax office can trust: what the till records cannot
//! change without it being found. Its invariants:
//! - **Append-only.** The `register` table refuses UPDATE and DELETE
//!   (triggers); a correction is a new record naming what it corrects.
//! - **Chained by values.** Each chain (`receipt`, `refund`, `print`,
//!   `event`) has its own gap-free sequence; each record's hash covers the
//!   previous hash and the record's values in canonical form (sorted-key
//!   compact JSON, cents as integers, a format version), never a row id.
//! - **Signed.** Every record's hash, and the heads, are signed with the
//!   installation's Ed25519 key, kept in the OS keyring; `comptoir
//!   register key` prints its public half.
//! - **Headed outside the journal.** The heads are written, signed, to a
//!   file beside the journal after each append: records cut off the end,
//!   or an older copy of the journal put back, leave the journal behind
//!   its head, and `verify` says so.
//! - **Checked against the journal.** `verify` compares every receipt,
//!   payment, refund and order of a receipt with its record: an amount or
//!   a status edited in the SQLite file by hand is found.
//! - **Every change of how the shop sells is an event.** A setting
//!   changed (its key, what it was, what it became) and each operation on
//!   the distributor key (by its public fingerprint) are recorded before
//!   they take effect, with or without cashier accounts (`Comptoir::
//!   record_now`); a change the register cannot record is refused.
//!
//! The journal's side (tables, appends, the head file) is
//! `journal::register`; this module holds the key and the verification.

pub mod archive;
pub mod closing;
pub mod fiscal;
mod recount;
pub mod verify;

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::secrets::Secret;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use std::sync::Arc;

/// Keyring name of the installation's signing key (PKCS#8 PEM).
pub const SIGNING_KEY: &str = "register.signing_key";

/// The installation's signing key, made once (two processes starting
/// together agree on one: `create_once`).
pub fn signing_key(app: &Comptoir) -> Result<SigningKey> {
    key_from(app.secrets())
}

fn key_from(secrets: &crate::secrets::SecretStore) -> Result<SigningKey> {
    let pem = secrets.create_once(SIGNING_KEY, || {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        let pem = key
            .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .expect("an Ed25519 key has a PKCS#8 form");
        tracing::info!("register signing key made");
        Secret::new(pem.to_string())
    })?;
    SigningKey::from_pkcs8_pem(pem.expose()).map_err(|e| {
        Error::config(
            "register.bad_key",
            format!("the register's signing key in the keyring cannot be read: {e}"),
        )
    })
}

/// The public half, as PEM (SubjectPublicKeyInfo): `openssl pkey -pubin` reads it.
pub fn public_pem(key: &VerifyingKey) -> Result<String> {
    key.to_public_key_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .map_err(|e| Error::internal("register.bad_key", e.to_string()))
}

/// `comptoir register key`: the public key every record is signed with.
pub fn public_key(app: &Comptoir) -> Result<String> {
    public_pem(&signing_key(app)?.verifying_key())
}

/// Gives the journal the key it signs records with. The key is read from
/// the keyring at the first record, not at every start (`comptoir status`
/// needs none).
pub fn arm(app: &Comptoir) {
    let secrets = app.secrets().clone();
    let key: Arc<std::sync::OnceLock<SigningKey>> = Arc::default();
    let sign: crate::journal::Sign = Arc::new(move |bytes: &[u8]| {
        use base64::Engine;
        let k = match key.get() {
            Some(k) => k,
            None => {
                let made = key_from(&secrets)?;
                key.get_or_init(|| made)
            }
        };
        Ok(base64::engine::general_purpose::STANDARD.encode(k.sign(bytes).to_bytes()))
    });
    app.journal.set_signer(Some(sign));
    let end = app.settings().ok().and_then(|s| {
        s.get_str(crate::settings::FISCAL_YEAR_END)
            .and_then(crate::settings::fiscal_year_end_month)
    });
    app.journal.set_fiscal_year_end(end.unwrap_or(12));
}

/// Records a technical event (a login, a setting changed, a defect found).
pub async fn event(app: &Comptoir, kind: &str, details: serde_json::Value) -> Result<()> {
    let values = serde_json::json!({"event": kind, "cashier": app.journal.actor(), "details": details});
    app.journal.append("event", values).await?;
    Ok(())
}

/// Records this software's version in the register when it changed since
/// the last start (an upgrade, or a first start after the first record).
/// Never stops a start: a keyring that does not answer, or a clock set
/// back into a closed period, leaves it for the next start, with a warning.
pub async fn record_version(app: &Comptoir) {
    match app.journal.record_version(env!("CARGO_PKG_VERSION")).await {
        Ok(Some(r)) => tracing::info!(
            seq = r.seq,
            version = env!("CARGO_PKG_VERSION"),
            "software version recorded"
        ),
        Ok(None) => {}
        Err(e) => tracing::warn!(code = e.code, "software version not recorded yet: {}", e.message),
    }
}

/// Records that the window started or stopped (`start` / `stop`), with
/// this software's version. Best effort, as `record_version`: a keyring
/// that does not answer never keeps the counter from opening or closing.
pub async fn record_run(app: &Comptoir, what: &str) {
    let details =
        serde_json::json!({"shell": "window", "version": env!("CARGO_PKG_VERSION"), "pid": std::process::id()});
    if let Err(e) = event(app, what, details).await {
        tracing::warn!(code = e.code, "the window's {what} was not recorded: {}", e.message);
    }
}
