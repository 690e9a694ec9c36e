//! Cashiers: accounts with a role and a PIN, kept in the journal. A PIN is
//! 4 to 8 digits, stored only as an argon2id hash (salted, PHC string) in
//! the `cashiers` table, never logged, written to a file or put in an
//! error. Five wrong PINs in a row lock the account for five minutes.
//! Accounts are disabled, never deleted: history keeps their names.
//!
//! Until the first account exists the installation acts as its owner
//! without a PIN (a fresh install sells in training at once); the first
//! account must be an owner. Who acts now is the shells' to say
//! (`cashier::` in the domain); `rights` is the one table of who may do what.

pub mod rights;
pub mod session;

pub use rights::{allowed, Right, Role};

use crate::error::{Error, ErrorKind, Result};
use crate::journal::{now_rfc3339, Journal};
use crate::secrets::Secret;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::Row;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// Wrong PINs in a row before the account locks, and for how long.
pub const MAX_FAILURES: i64 = 5;
pub const LOCK_MINUTES: i64 = 5;

/// An account as lists show it (never its PIN or hash).
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct Account {
    pub name: String,
    pub role: Role,
    pub active: bool,
    /// Until when five wrong PINs locked it (RFC 3339), if they did.
    pub locked_until: Option<String>,
}

/// Who acts: a signed-in cashier.
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct Actor {
    pub name: String,
    pub role: Role,
}

/// Who acts in this process now, kept by the opened installation (the
/// domain's `cashier` decides with it): whether accounts exist, the
/// signed-in cashier, a manager's approval under way.
#[derive(Default)]
pub struct State {
    pub(crate) any: AtomicBool,
    pub(crate) actor: Mutex<Option<Actor>>,
    /// A manager's approval and when it was given: it covers the one
    /// command under way (the CLI's process, the window's next action,
    /// which ends it with `end_approval`) and lapses after two minutes.
    pub(crate) approval: Mutex<Option<(Actor, std::time::Instant)>>,
}

impl State {
    pub(crate) fn set_any(&self, any: bool) {
        self.any.store(any, Ordering::SeqCst);
    }
}

/// A PIN as typed: 4 to 8 digits, kept as a `Secret` (prints as `***`).
pub struct Pin(Secret);

impl Pin {
    pub fn parse(typed: &str) -> Result<Pin> {
        let t = typed.trim();
        if !(4..=8).contains(&t.len()) || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::invalid("cashier.bad_pin_format", "a PIN is 4 to 8 digits"));
        }
        Ok(Pin(Secret::new(t)))
    }
}

fn hash(pin: &Pin) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.0.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| Error::internal("cashier.hash", "the PIN could not be hashed"))
}

fn matches(pin: &Pin, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(pin.0.expose().as_bytes(), &h).is_ok())
}

fn check_name(name: &str) -> Result<String> {
    let n = crate::types::text::field("cashier.bad_name", "the cashier's name", name, 40)?;
    if n.is_empty() {
        return Err(Error::invalid("cashier.bad_name", "give the cashier a name"));
    }
    Ok(n)
}

fn unknown(name: &str) -> Error {
    Error::invalid("cashier.unknown", format!("no cashier named `{name}`")).with("name", name)
}

fn account(r: &sqlx::sqlite::SqliteRow) -> Result<Account> {
    Ok(Account {
        name: r.get("name"),
        role: r.get::<&str, _>("role").parse()?,
        active: r.get::<i64, _>("active") == 1,
        locked_until: r.get("locked_until"),
    })
}

/// Whether any account exists (none: the installation acts as its owner).
pub async fn any(journal: &Journal) -> Result<bool> {
    Ok(sqlx::query("SELECT 1 FROM cashiers LIMIT 1")
        .fetch_optional(journal.pool())
        .await?
        .is_some())
}

pub async fn list(journal: &Journal) -> Result<Vec<Account>> {
    let rows = sqlx::query("SELECT name, role, active, locked_until FROM cashiers ORDER BY active DESC, name")
        .fetch_all(journal.pool())
        .await?;
    rows.iter().map(account).collect()
}

pub async fn get(journal: &Journal, name: &str) -> Result<Account> {
    let row = sqlx::query("SELECT name, role, active, locked_until FROM cashiers WHERE name = ?")
        .bind(name.trim())
        .fetch_optional(journal.pool())
        .await?
        .ok_or_else(|| unknown(name.trim()))?;
    account(&row)
}

/// Adds an account. The first must be an owner.
pub async fn add(journal: &Journal, name: &str, role: Role, pin: &Pin) -> Result<Account> {
    let name = check_name(name)?;
    let hashed = hash(pin)?;
    let mut tx = journal.begin_write().await?;
    let first = sqlx::query("SELECT 1 FROM cashiers LIMIT 1")
        .fetch_optional(&mut *tx)
        .await?
        .is_none();
    if first && role != Role::Owner {
        return Err(Error::invalid(
            "cashier.first_owner",
            "the first account of an installation is its owner: add it with --role owner",
        ));
    }
    let added = sqlx::query(
        "INSERT INTO cashiers (name, role, pin_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(&name)
    .bind(role.as_str())
    .bind(hashed)
    .bind(now_rfc3339())
    .execute(&mut *tx)
    .await?;
    if added.rows_affected() == 0 {
        return Err(
            Error::invalid("cashier.exists", format!("a cashier named `{name}` exists already")).with("name", name),
        );
    }
    tx.commit().await?;
    get(journal, &name).await
}

/// Disables an account (never deleted: history keeps the name) and ends its sessions.
pub async fn disable(journal: &Journal, name: &str) -> Result<Account> {
    let a = get(journal, name).await?;
    let owners = sqlx::query("SELECT count(*) AS n FROM cashiers WHERE role = 'owner' AND active = 1 AND name != ?")
        .bind(&a.name)
        .fetch_one(journal.pool())
        .await?
        .get::<i64, _>("n");
    if a.role == Role::Owner && owners == 0 {
        return Err(Error::invalid(
            "cashier.last_owner",
            "this is the last active owner: add another owner before disabling it",
        ));
    }
    sqlx::query("UPDATE cashiers SET active = 0 WHERE name = ?")
        .bind(&a.name)
        .execute(journal.pool())
        .await?;
    session::end_all(journal, &a.name).await?;
    get(journal, &a.name).await
}

/// Renames an account; history keeps the name each step was done under.
pub async fn rename(journal: &Journal, name: &str, new: &str) -> Result<Account> {
    let a = get(journal, name).await?;
    let new = check_name(new)?;
    let done = sqlx::query("UPDATE cashiers SET name = ? WHERE name = ?")
        .bind(&new)
        .bind(&a.name)
        .execute(journal.pool())
        .await;
    match done {
        Err(e) if e.to_string().contains("UNIQUE") => {
            Err(Error::invalid("cashier.exists", format!("a cashier named `{new}` exists already")).with("name", new))
        }
        other => {
            other?;
            get(journal, &new).await
        }
    }
}

/// Sets a new PIN (and unlocks the account).
pub async fn set_pin(journal: &Journal, name: &str, pin: &Pin) -> Result<Account> {
    let a = get(journal, name).await?;
    sqlx::query("UPDATE cashiers SET pin_hash = ?, failures = 0, locked_until = NULL WHERE name = ?")
        .bind(hash(pin)?)
        .bind(&a.name)
        .execute(journal.pool())
        .await?;
    get(journal, &a.name).await
}

/// Checks a PIN: the active, unlocked account it opens. A wrong one counts
/// (five in a row lock the account for five minutes) and is recorded.
pub async fn verify(journal: &Journal, name: &str, pin: &Pin) -> Result<Actor> {
    let row = sqlx::query("SELECT name, role, pin_hash, active, locked_until FROM cashiers WHERE name = ?")
        .bind(name.trim())
        .fetch_optional(journal.pool())
        .await?
        .ok_or_else(|| unknown(name.trim()))?;
    let name: String = row.get("name");
    if row.get::<i64, _>("active") != 1 {
        return Err(Error::invalid("cashier.disabled", format!("{name}'s account is disabled")).with("name", name));
    }
    if let Some(until) = locked(row.get("locked_until")) {
        return Err(locked_error(&name, until));
    }
    if matches(pin, row.get::<&str, _>("pin_hash")) {
        sqlx::query("UPDATE cashiers SET failures = 0, locked_until = NULL WHERE name = ?")
            .bind(&name)
            .execute(journal.pool())
            .await?;
        return Ok(Actor {
            role: row.get::<&str, _>("role").parse()?,
            name,
        });
    }
    wrong_pin(journal, &name).await
}

async fn wrong_pin(journal: &Journal, name: &str) -> Result<Actor> {
    let mut tx = journal.begin_write().await?;
    let failures: i64 = sqlx::query("UPDATE cashiers SET failures = failures + 1 WHERE name = ? RETURNING failures")
        .bind(name)
        .fetch_one(&mut *tx)
        .await?
        .get("failures");
    if failures >= MAX_FAILURES {
        let until = Utc::now() + Duration::minutes(LOCK_MINUTES);
        sqlx::query("UPDATE cashiers SET failures = 0, locked_until = ? WHERE name = ?")
            .bind(until.to_rfc3339())
            .bind(name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        audit(
            journal,
            Some(name),
            "locked",
            false,
            None,
            None,
            "five wrong PINs in a row",
        )
        .await?;
        return Err(locked_error(name, until));
    }
    tx.commit().await?;
    audit(journal, Some(name), "wrong_pin", false, None, None, "").await?;
    Err(Error::invalid(
        "cashier.bad_pin",
        format!(
            "wrong PIN for {name} ({} more tries before the account locks for {LOCK_MINUTES} minutes)",
            MAX_FAILURES - failures
        ),
    )
    .with("name", name)
    .with("tries_left", MAX_FAILURES - failures))
}

fn locked(until: Option<String>) -> Option<DateTime<Utc>> {
    let until = DateTime::parse_from_rfc3339(&until?).ok()?.with_timezone(&Utc);
    (until > Utc::now()).then_some(until)
}

fn locked_error(name: &str, until: DateTime<Utc>) -> Error {
    let minutes = ((until - Utc::now()).num_seconds() + 59) / 60;
    Error::new(
        ErrorKind::InvalidInput,
        "cashier.locked",
        format!("{name}'s account is locked after five wrong PINs: try again in {minutes} minute(s), or ask an owner to reset the PIN"),
    )
    .with("name", name)
    .with("minutes", minutes)
    .with("until", until.to_rfc3339())
}

/// Appends what a cashier did or tried to the audit trail.
pub async fn audit(
    journal: &Journal,
    cashier: Option<&str>,
    action: &str,
    allowed: bool,
    approved_by: Option<&str>,
    subject: Option<&str>,
    detail: &str,
) -> Result<()> {
    // The audit trail's entry and its record in the register's `event`
    // chain (logins, locks, rights used or refused, settings and keys
    // changed) are one write.
    let mut tx = journal.begin_write().await?;
    sqlx::query(
        "INSERT INTO audit (at, cashier, action, allowed, approved_by, subject, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(now_rfc3339())
    .bind(cashier)
    .bind(action)
    .bind(allowed)
    .bind(approved_by)
    .bind(subject)
    .bind(detail)
    .execute(&mut *tx)
    .await?;
    let values = serde_json::json!({"event": action, "cashier": cashier, "allowed": allowed,
        "approved_by": approved_by, "subject": subject, "detail": detail});
    journal.append_in(&mut tx, "event", values).await?;
    tx.commit().await?;
    journal.write_head().await
}

/// One line of the audit trail.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub at: String,
    pub cashier: Option<String>,
    pub action: String,
    pub allowed: bool,
    pub approved_by: Option<String>,
    pub subject: Option<String>,
    pub detail: String,
}

/// The latest `limit` audit entries, newest first.
pub async fn audit_trail(journal: &Journal, limit: i64) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT at, cashier, action, allowed, approved_by, subject, detail FROM audit ORDER BY id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(journal.pool())
    .await?;
    Ok(rows
        .iter()
        .map(|r| AuditEntry {
            at: r.get("at"),
            cashier: r.get("cashier"),
            action: r.get("action"),
            allowed: r.get::<i64, _>("allowed") == 1,
            approved_by: r.get("approved_by"),
            subject: r.get("subject"),
            detail: r.get("detail"),
        })
        .collect())
}
