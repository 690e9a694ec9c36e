//! The tickets as last read from the operator, in the journal's database:
//! what the ticket list and page show offline, searched with the orders'
//! full-text query (building id, address, customer, ticket id, reference).

use crate::error::Result;
use crate::journal::{fts_query, now_rfc3339, Journal};
use crate::providers::anomalie_adresse::model::{Attachment, Note, Ticket};
use serde_json::Value;
use sqlx::Row;

/// One cached ticket.
#[derive(Debug, Clone)]
pub struct Cached {
    pub raw: Value,
    pub ticket: Ticket,
    pub etag: Option<String>,
    pub customer: Option<String>,
    pub training: bool,
    pub read_at: String,
}

/// The address a ticket names, as one line for the list and the search.
pub fn address_line(raw: &Value) -> String {
    let a = &raw["building"]["address"];
    let part = |k: &str| a[k].as_str().unwrap_or("").trim().to_string();
    let street = [
        part("streetNr"),
        part("streetNrSuffix"),
        part("streetType"),
        part("streetName"),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" ");
    let town = [part("postcode"), part("city")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut line = [street, town]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    if line.is_empty() {
        // A modification names its corrections: their target values.
        if let Some(issues) = raw["issues"].as_object() {
            let values: Vec<String> = issues
                .values()
                .filter_map(|i| i.get("value"))
                .filter_map(|v| {
                    v.as_str().map(str::to_string).or_else(|| {
                        v.as_array()
                            .map(|a| a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(" "))
                    })
                })
                .collect();
            line = values.join(", ");
        }
    }
    line
}

/// Keeps a ticket as read now; the customer given at filing is kept when
/// `customer` is none.
pub async fn put(j: &Journal, raw: &Value, etag: Option<&str>, customer: Option<&str>, training: bool) -> Result<()> {
    let ticket: Ticket = serde_json::from_value(raw.clone()).unwrap_or_default();
    let Some(id) = ticket.id.clone() else {
        return Ok(());
    };
    let now = now_rfc3339();
    let mut tx = j.begin_write().await?;
    sqlx::query(
        "INSERT INTO tickets (id, training, kind, status, name, external_id, buildings, address, customer, etag, data, created_at, read_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (id) DO UPDATE SET kind = ?3, status = ?4, name = ?5, external_id = ?6, buildings = ?7,
             address = ?8, customer = COALESCE(?9, customer), etag = ?10, data = ?11, read_at = ?13",
    )
    .bind(&id)
    .bind(training)
    .bind(ticket.kind.as_deref().unwrap_or(""))
    .bind(ticket.status.as_deref().unwrap_or(""))
    .bind(ticket.name.as_deref().unwrap_or(""))
    .bind(ticket.external_id.as_deref())
    .bind(ticket.buildings().join(" "))
    .bind(address_line(raw))
    .bind(customer)
    .bind(etag)
    .bind(raw.to_string())
    .bind(ticket.creation_date.as_deref().unwrap_or(&now))
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

fn cached(r: &sqlx::sqlite::SqliteRow) -> Cached {
    let raw: Value = serde_json::from_str(r.get::<&str, _>("data")).unwrap_or_default();
    Cached {
        ticket: serde_json::from_value(raw.clone()).unwrap_or_default(),
        raw,
        etag: r.get("etag"),
        customer: r.get("customer"),
        training: r.get("training"),
        read_at: r.get("read_at"),
    }
}

pub async fn get(j: &Journal, id: &str) -> Result<Option<Cached>> {
    let row = sqlx::query("SELECT * FROM tickets WHERE id = ?1")
        .bind(id)
        .fetch_optional(j.pool())
        .await?;
    Ok(row.as_ref().map(cached))
}

/// Every cached ticket of one mode, the newest read first.
pub async fn all(j: &Journal, training: bool) -> Result<Vec<Cached>> {
    let rows = sqlx::query("SELECT * FROM tickets WHERE training = ?1 ORDER BY read_at DESC")
        .bind(training)
        .fetch_all(j.pool())
        .await?;
    Ok(rows.iter().map(cached).collect())
}

/// The cached tickets the words match, the newest read first.
pub async fn search(j: &Journal, training: bool, text: &str, limit: i64, offset: i64) -> Result<(Vec<Cached>, i64)> {
    let Some(q) = fts_query(text) else {
        let all = all(j, training).await?;
        let total = all.len() as i64;
        return Ok((
            all.into_iter()
                .skip(offset.max(0) as usize)
                .take(limit.max(0) as usize)
                .collect(),
            total,
        ));
    };
    let filter =
        "FROM tickets WHERE training = ?1 AND rowid IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?2)";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {filter}"))
        .bind(training)
        .bind(&q)
        .fetch_one(j.pool())
        .await?;
    let rows = sqlx::query(&format!("SELECT * {filter} ORDER BY read_at DESC LIMIT ?3 OFFSET ?4"))
        .bind(training)
        .bind(&q)
        .bind(limit)
        .bind(offset)
        .fetch_all(j.pool())
        .await?;
    Ok((rows.iter().map(cached).collect(), total))
}

async fn put_child(j: &Journal, table: &str, ticket: &str, id: &str, data: &Value) -> Result<()> {
    let mut tx = j.begin_write().await?;
    sqlx::query(&format!(
        "INSERT INTO {table} (ticket_id, id, data) VALUES (?1, ?2, ?3) ON CONFLICT (ticket_id, id) DO UPDATE SET data = ?3"
    ))
    .bind(ticket)
    .bind(id)
    .bind(data.to_string())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps notes read for a cached ticket (a ticket not cached keeps none).
pub async fn put_notes(j: &Journal, ticket: &str, notes: &[Note]) -> Result<()> {
    if get(j, ticket).await?.is_none() {
        return Ok(());
    }
    for n in notes {
        if let Some(id) = &n.id {
            put_child(
                j,
                "ticket_notes",
                ticket,
                id,
                &serde_json::to_value(n).unwrap_or_default(),
            )
            .await?;
        }
    }
    Ok(())
}

pub async fn put_attachments(j: &Journal, ticket: &str, list: &[Attachment]) -> Result<()> {
    if get(j, ticket).await?.is_none() {
        return Ok(());
    }
    for a in list {
        if let Some(id) = &a.id {
            put_child(
                j,
                "ticket_attachments",
                ticket,
                id,
                &serde_json::to_value(a).unwrap_or_default(),
            )
            .await?;
        }
    }
    Ok(())
}

async fn children<T: serde::de::DeserializeOwned>(j: &Journal, table: &str, ticket: &str) -> Result<Vec<T>> {
    let rows: Vec<String> =
        sqlx::query_scalar(&format!("SELECT data FROM {table} WHERE ticket_id = ?1 ORDER BY rowid"))
            .bind(ticket)
            .fetch_all(j.pool())
            .await?;
    Ok(rows.iter().filter_map(|d| serde_json::from_str(d).ok()).collect())
}

pub async fn notes(j: &Journal, ticket: &str) -> Result<Vec<Note>> {
    children(j, "ticket_notes", ticket).await
}

pub async fn attachments(j: &Journal, ticket: &str) -> Result<Vec<Attachment>> {
    children(j, "ticket_attachments", ticket).await
}

/// Where the event feed was read up to in this mode.
pub async fn feed_position(j: &Journal, training: bool) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT last_time FROM ticket_feed WHERE training = ?1")
            .bind(training)
            .fetch_optional(j.pool())
            .await?,
    )
}

pub async fn set_feed_position(j: &Journal, training: bool, time: &str) -> Result<()> {
    let mut tx = j.begin_write().await?;
    sqlx::query("INSERT INTO ticket_feed (training, last_time) VALUES (?1, ?2) ON CONFLICT (training) DO UPDATE SET last_time = ?2")
        .bind(training)
        .bind(time)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
