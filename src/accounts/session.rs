//! A command line's session: `comptoir login NAME` keeps a random token in
//! the data folder (`session.json`, 0600) and its SHA-256 in the journal;
//! each command finds the cashier by it, and the session ends with
//! `logout`, after the idle time (`cashier.lock_minutes`), or when the
//! account is disabled. The file alone names nobody: a token whose hash
//! the journal does not hold (forged, or ended) opens nothing.

use super::{audit, Actor};
use crate::error::{Error, Result};
use crate::journal::{now_rfc3339, Journal};
use chrono::{DateTime, Utc};
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::path::{Path, PathBuf};

fn file(data_dir: &Path) -> PathBuf {
    data_dir.join("session.json")
}

fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Opens a session for `actor` (ending the one this folder had).
pub async fn open(journal: &Journal, data_dir: &Path, actor: &Actor) -> Result<()> {
    close(journal, data_dir).await?;
    let token: String = (0..32)
        .map(|_| format!("{:02x}", rand::thread_rng().gen::<u8>()))
        .collect();
    let now = now_rfc3339();
    sqlx::query(
        "INSERT INTO cashier_sessions (token_hash, cashier_id, started_at, last_used)
         SELECT ?, id, ?, ? FROM cashiers WHERE name = ?",
    )
    .bind(digest(&token))
    .bind(&now)
    .bind(&now)
    .bind(&actor.name)
    .execute(journal.pool())
    .await?;
    let body = serde_json::json!({ "token": token }).to_string();
    crate::files::write_whole(&file(data_dir), "cashier.session", |w| {
        w.write_all(body.as_bytes())
            .map_err(|e| crate::files::io_error(&file(data_dir), "cashier.session", &e))
    })?;
    crate::files::private_file(&file(data_dir))?;
    audit(journal, Some(&actor.name), "login", true, None, None, "command line").await
}

fn token(data_dir: &Path) -> Option<String> {
    let text = crate::files::read_text_capped(&file(data_dir), 4096, "cashier.session").ok()?;
    serde_json::from_str::<serde_json::Value>(&text).ok()?["token"]
        .as_str()
        .map(str::to_string)
}

/// The cashier this folder's session names, if it is open and was used
/// within `idle_minutes`; an idle one is ended and said so.
pub async fn current(journal: &Journal, data_dir: &Path, idle_minutes: i64) -> Result<Option<Actor>> {
    let Some(token) = token(data_dir) else {
        return Ok(None);
    };
    let row = sqlx::query(
        "SELECT s.last_used, c.name, c.role FROM cashier_sessions s JOIN cashiers c ON c.id = s.cashier_id
         WHERE s.token_hash = ? AND s.ended_at IS NULL AND c.active = 1",
    )
    .bind(digest(&token))
    .fetch_optional(journal.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let actor = Actor {
        name: row.get("name"),
        role: row.get::<&str, _>("role").parse()?,
    };
    let last = DateTime::parse_from_rfc3339(row.get::<&str, _>("last_used")).map(|d| d.with_timezone(&Utc));
    if last.is_ok_and(|l| (Utc::now() - l).num_seconds() > idle_minutes * 60) {
        end(journal, &token).await?;
        let _ = std::fs::remove_file(file(data_dir));
        audit(journal, Some(&actor.name), "session_idle", true, None, None, "").await?;
        return Err(Error::invalid(
            "cashier.session_ended",
            format!("{}'s session ended after {idle_minutes} minutes without a command: sign in again (`comptoir login NAME`)", actor.name),
        )
        .with("name", actor.name)
        .with("minutes", idle_minutes));
    }
    // Best effort: a journal on a read-only medium is still read.
    let used = sqlx::query("UPDATE cashier_sessions SET last_used = ? WHERE token_hash = ?")
        .bind(now_rfc3339())
        .bind(digest(&token))
        .execute(journal.pool())
        .await;
    if let Err(e) = used {
        tracing::warn!("the session's last use is not recorded: {e}");
    }
    Ok(Some(actor))
}

async fn end(journal: &Journal, token: &str) -> Result<()> {
    sqlx::query("UPDATE cashier_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL")
        .bind(now_rfc3339())
        .bind(digest(token))
        .execute(journal.pool())
        .await?;
    Ok(())
}

/// Ends this folder's session; the cashier it named, if any.
pub async fn close(journal: &Journal, data_dir: &Path) -> Result<Option<String>> {
    let Some(token) = token(data_dir) else {
        return Ok(None);
    };
    let name: Option<String> = sqlx::query(
        "SELECT c.name FROM cashier_sessions s JOIN cashiers c ON c.id = s.cashier_id WHERE s.token_hash = ? AND s.ended_at IS NULL",
    )
    .bind(digest(&token))
    .fetch_optional(journal.pool())
    .await?
    .map(|r| r.get("name"));
    end(journal, &token).await?;
    let _ = std::fs::remove_file(file(data_dir));
    if let Some(n) = &name {
        audit(journal, Some(n), "logout", true, None, None, "command line").await?;
    }
    Ok(name)
}

/// Ends every session of an account (disabled).
pub async fn end_all(journal: &Journal, name: &str) -> Result<()> {
    sqlx::query(
        "UPDATE cashier_sessions SET ended_at = ? WHERE ended_at IS NULL AND cashier_id = (SELECT id FROM cashiers WHERE name = ?)",
    )
    .bind(now_rfc3339())
    .bind(name)
    .execute(journal.pool())
    .await?;
    Ok(())
}
