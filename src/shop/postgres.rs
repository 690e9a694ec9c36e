//! The shop's shared journal on PostgreSQL: what every counter pushed,
//! written idempotently. A batch is one transaction; each row is inserted
//! if its key is new (`ON CONFLICT DO NOTHING`), else compared with what is
//! stored: the same row is nothing, a row that may grow under its topic's
//! rule (`topics::Rule`) is updated, and anything else is a conflict kept
//! for the owner, the stored row never overwritten.

use super::outbox::Batch;
use super::topics::{Rule, Topic};
use crate::error::{Error, Result};
use serde_json::{Map, Value};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::Row;
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations_pg");

/// What a push did with its rows.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Received {
    pub inserted: u64,
    pub updated: u64,
    pub same: u64,
    pub conflicts: u64,
}

/// A row pushed under a stored key with other values.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Conflict {
    pub counter: String,
    pub topic: String,
    pub key: Value,
    pub stored: Value,
    pub incoming: Value,
    pub at: String,
}

#[derive(Clone, Debug)]
pub struct Shop {
    pool: PgPool,
}

/// The shop's database could not be reached or refused: said without the
/// URL's password (sqlx never prints bound values or passwords).
pub fn unreachable(e: impl std::fmt::Display) -> Error {
    Error::unavailable(
        "share.unreachable",
        format!(
            "the shop's database cannot be reached ({e}): this counter keeps selling, and what it sells waits here until the database answers"
        ),
    )
}

impl Shop {
    /// Connects (within `wait`) and brings the schema up to date.
    pub async fn connect(url: &str, password: Option<&str>, wait: Duration) -> Result<Shop> {
        let mut options = PgConnectOptions::from_str(url).map_err(|_| {
            Error::invalid(
                "share.bad_url",
                "the shop's database is a PostgreSQL URL: postgres://user@host:port/database",
            )
        })?;
        if let Some(p) = password {
            options = options.password(p);
        }
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(wait)
            .connect_with(options.application_name("comptoir"))
            .await
            .map_err(unreachable)?;
        MIGRATOR.run(&pool).await.map_err(unreachable)?;
        Ok(Shop { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Writes a batch in one transaction (all of it or none).
    pub async fn receive(&self, counter: &str, public_key: Option<&str>, batch: &Batch) -> Result<Received> {
        let mut tx = self.pool.begin().await.map_err(unreachable)?;
        sqlx::query(
            "INSERT INTO counters (counter, public_key) VALUES ($1, $2)
             ON CONFLICT (counter) DO UPDATE SET last_push_at = now(),
                 public_key = COALESCE(counters.public_key, EXCLUDED.public_key)",
        )
        .bind(counter)
        .bind(public_key)
        .execute(&mut *tx)
        .await
        .map_err(unreachable)?;
        let mut got = Received::default();
        for (topic, rows) in &batch.rows {
            receive_topic(&mut tx, counter, topic, rows, &mut got).await?;
        }
        tx.commit().await.map_err(unreachable)?;
        Ok(got)
    }

    /// Conflicts kept for the owner, newest first (one counter's, or all).
    pub async fn conflicts(&self, counter: Option<&str>) -> Result<Vec<Conflict>> {
        let rows = sqlx::query(
            "SELECT counter, topic, key::text AS key, stored::text AS stored, incoming::text AS incoming,
                    to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS at
             FROM conflicts WHERE $1::text IS NULL OR counter = $1 ORDER BY id DESC",
        )
        .bind(counter)
        .fetch_all(&self.pool)
        .await
        .map_err(unreachable)?;
        rows.iter()
            .map(|r| {
                Ok(Conflict {
                    counter: r.get("counter"),
                    topic: r.get("topic"),
                    key: json(r.get("key"))?,
                    stored: json(r.get("stored"))?,
                    incoming: json(r.get("incoming"))?,
                    at: r.get("at"),
                })
            })
            .collect()
    }
}

fn json(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        Error::internal(
            "share.bad_row",
            format!("the shop's database sent unreadable JSON: {e}"),
        )
    })
}

fn quoted(cols: &[&str]) -> String {
    cols.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", ")
}

/// A row's key as the shop's table names it.
fn key_of(topic: &Topic, row: &Value) -> Value {
    Value::Array(
        topic
            .shop_key()
            .iter()
            .map(|k| row.get(*k).cloned().unwrap_or(Value::Null))
            .collect(),
    )
}

/// Only the topic's columns (the shop's tables add generated ones).
fn trimmed(topic: &Topic, row: &Value) -> Map<String, Value> {
    topic
        .shop_columns()
        .iter()
        .map(|c| (c.to_string(), row.get(*c).cloned().unwrap_or(Value::Null)))
        .collect()
}

async fn receive_topic(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    counter: &str,
    topic: &Topic,
    rows: &[Value],
    got: &mut Received,
) -> Result<()> {
    let cols = quoted(&topic.shop_columns());
    let keys = quoted(&topic.shop_key());
    let table = topic.name;
    let inserted: Vec<String> = sqlx::query_scalar(&format!(
        "INSERT INTO {table} ({cols}) SELECT {cols} FROM jsonb_populate_recordset(NULL::{table}, $1::jsonb)
         ON CONFLICT DO NOTHING RETURNING jsonb_build_array({keys})::text"
    ))
    .bind(Value::Array(rows.to_vec()).to_string())
    .fetch_all(&mut **tx)
    .await
    .map_err(unreachable)?;
    got.inserted += inserted.len() as u64;
    if inserted.len() == rows.len() {
        return Ok(());
    }
    let inserted: std::collections::HashSet<Value> = inserted.iter().map(|k| json(k)).collect::<Result<_>>()?;
    let rest: Vec<&Value> = rows.iter().filter(|r| !inserted.contains(&key_of(topic, r))).collect();
    let stored = sqlx::query_scalar::<_, String>(&format!(
        "SELECT to_jsonb(s)::text FROM {table} s WHERE ({keys}) IN
             (SELECT {keys} FROM jsonb_populate_recordset(NULL::{table}, $1::jsonb)) FOR UPDATE"
    ))
    .bind(Value::Array(rest.iter().map(|r| (*r).clone()).collect()).to_string())
    .fetch_all(&mut **tx)
    .await
    .map_err(unreachable)?;
    let mut by_key = std::collections::HashMap::new();
    for s in &stored {
        let v = json(s)?;
        by_key.insert(key_of(topic, &v), trimmed(topic, &v));
    }
    for row in rest {
        let incoming = trimmed(topic, row);
        let key = key_of(topic, row);
        match by_key.get(&key) {
            Some(s) if *s == incoming => got.same += 1,
            Some(s) if grows(topic.rule, s, &incoming) => {
                update(tx, topic, &incoming).await?;
                got.updated += 1;
            }
            // Stored under another unique key (a receipt number's counter
            // and sequence), or stored with other values: kept apart.
            other => {
                let stored = other.map(|s| Value::Object(s.clone())).unwrap_or(Value::Null);
                conflict(tx, counter, topic, &key, &stored, &Value::Object(incoming)).await?;
                got.conflicts += 1;
            }
        }
    }
    Ok(())
}

/// Whether `incoming` is the stored row grown as its rule allows.
fn grows(rule: Rule, stored: &Map<String, Value>, incoming: &Map<String, Value>) -> bool {
    match rule {
        Rule::Fixed => false,
        Rule::Newer { frozen } => {
            let later = match (stored.get("updated_at"), incoming.get("updated_at")) {
                (Some(Value::String(s)), Some(Value::String(i))) => i > s,
                // A basket has no updated_at: it grows once, from open.
                _ => stored.get("status") == Some(&Value::String("open".into())),
            };
            later && frozen.iter().all(|c| stored.get(*c) == incoming.get(*c))
        }
        Rule::FillIn => stored.iter().all(|(k, v)| v.is_null() || incoming.get(k) == Some(v)),
    }
}

async fn update(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>, topic: &Topic, row: &Map<String, Value>) -> Result<()> {
    let cols = topic.shop_columns();
    let set = quoted(&cols);
    let from = cols.iter().map(|c| format!("n.\"{c}\"")).collect::<Vec<_>>().join(", ");
    let on = topic
        .shop_key()
        .iter()
        .map(|k| format!("s.\"{k}\" = n.\"{k}\""))
        .collect::<Vec<_>>()
        .join(" AND ");
    sqlx::query(&format!(
        "UPDATE {t} s SET ({set}) = ({from}) FROM jsonb_populate_record(NULL::{t}, $1::jsonb) n WHERE {on}",
        t = topic.name
    ))
    .bind(Value::Object(row.clone()).to_string())
    .execute(&mut **tx)
    .await
    .map_err(unreachable)?;
    Ok(())
}

async fn conflict(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    counter: &str,
    topic: &Topic,
    key: &Value,
    stored: &Value,
    incoming: &Value,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO conflicts (counter, topic, key, stored, incoming) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb)
         ON CONFLICT DO NOTHING",
    )
    .bind(counter)
    .bind(topic.name)
    .bind(key.to_string())
    .bind(stored.to_string())
    .bind(incoming.to_string())
    .execute(&mut **tx)
    .await
    .map_err(unreachable)?;
    tracing::warn!(counter, topic = topic.name, key = %key, "a pushed row differs from the shop's: kept as a conflict");
    Ok(())
}
