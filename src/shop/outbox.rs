//! The outbox in the counter's own journal: what waits to be shared, read
//! in batches as the rows are now, and let go only once the shop's
//! database has committed them. Its invariants:
//! - a row is queued in the transaction that writes it (triggers), so a
//!   sale can never be recorded and not queued;
//! - an entry is deleted only after the batch holding it was committed in
//!   PostgreSQL, so a push killed at any point sends it again, and the
//!   server's idempotent writes make that harmless;
//! - nothing here is on a sale's path but one trigger's insert.

use super::topics::{Topic, TOPICS};
use crate::error::Result;
use crate::journal::Journal;
use serde_json::Value;
use sqlx::Row;
use std::collections::BTreeMap;

/// Rows read for one push, by topic, and the last outbox entry they cover.
#[derive(Debug, Default)]
pub struct Batch {
    pub last: i64,
    pub entries: usize,
    pub rows: Vec<(&'static Topic, Vec<Value>)>,
}

/// Whether this journal queues what it writes.
pub async fn sharing(journal: &Journal) -> Result<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM share_state WHERE key = 'sharing'")
            .fetch_one(journal.pool())
            .await?
            > 0,
    )
}

/// Turns sharing on, once: from now on every write is queued, and so is
/// the whole history, in one transaction (a counter that joins a shop
/// brings its past sales).
pub async fn start(journal: &Journal) -> Result<()> {
    if sharing(journal).await? {
        return Ok(());
    }
    let mut tx = journal.begin_write().await?;
    let on = sqlx::query("INSERT OR IGNORE INTO share_state (key, value) VALUES ('sharing', ?1)")
        .bind(crate::journal::now_rfc3339())
        .execute(&mut *tx)
        .await?;
    if on.rows_affected() == 1 {
        for t in TOPICS {
            let key = t.key.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ");
            sqlx::query(&format!(
                "INSERT INTO outbox (topic, key) SELECT '{}', json_array({key}) FROM \"{}\" ORDER BY rowid",
                t.name, t.name
            ))
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// How many entries wait, and when the oldest was queued.
pub async fn waiting(journal: &Journal) -> Result<(i64, Option<String>)> {
    let row = sqlx::query("SELECT COUNT(*) AS n, MIN(at) AS oldest FROM outbox")
        .fetch_one(journal.pool())
        .await?;
    Ok((row.get("n"), row.get("oldest")))
}

/// How many sales (orders) wait, and when the oldest was queued.
pub async fn waiting_sales(journal: &Journal) -> Result<(i64, Option<String>)> {
    let row = sqlx::query("SELECT COUNT(DISTINCT key) AS n, MIN(at) AS oldest FROM outbox WHERE topic = 'orders'")
        .fetch_one(journal.pool())
        .await?;
    Ok((row.get("n"), row.get("oldest")))
}

/// The last entry queued (0: none ever).
pub async fn last(journal: &Journal) -> Result<i64> {
    Ok(sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(seq) FROM outbox")
        .fetch_one(journal.pool())
        .await?
        .unwrap_or(0))
}

/// The next `limit` entries' rows, as they are now, with `counter` on each.
pub async fn batch(journal: &Journal, counter: &str, limit: i64) -> Result<Batch> {
    let entries = sqlx::query("SELECT seq, topic, key FROM outbox ORDER BY seq LIMIT ?1")
        .bind(limit)
        .fetch_all(journal.pool())
        .await?;
    let mut batch = Batch {
        entries: entries.len(),
        ..Default::default()
    };
    let mut keys: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for e in &entries {
        batch.last = e.get("seq");
        keys.entry(e.get("topic")).or_default().push(e.get("key"));
    }
    for t in TOPICS {
        let Some(list) = keys.get_mut(t.name) else {
            continue;
        };
        list.sort();
        list.dedup();
        let rows = load(journal, t, counter, list).await?;
        if !rows.is_empty() {
            batch.rows.push((t, rows));
        }
    }
    Ok(batch)
}

/// Rows of one topic by their keys (JSON arrays), as JSON objects.
async fn load(journal: &Journal, t: &Topic, counter: &str, keys: &[String]) -> Result<Vec<Value>> {
    let mut fields: Vec<String> = t.columns.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
    if !t.has_counter {
        fields.push("'counter', ?2".into());
    }
    let key_cols = t.key.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(", ");
    let key_vals = (0..t.key.len())
        .map(|i| format!("value ->> {i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT json_object({}) AS row FROM \"{}\" WHERE ({key_cols}) IN (SELECT {key_vals} FROM json_each(?1))",
        fields.join(", "),
        t.name
    );
    let all = format!("[{}]", keys.join(","));
    let rows = sqlx::query(&sql)
        .bind(all)
        .bind(counter)
        .fetch_all(journal.pool())
        .await?;
    rows.iter()
        .map(|r| {
            serde_json::from_str(r.get::<&str, _>("row"))
                .map_err(|e| crate::error::Error::internal("share.bad_row", format!("a journal row is not JSON: {e}")))
        })
        .collect()
}

/// Lets go of every entry up to `last`, once the shop's database holds them.
pub async fn done(journal: &Journal, last: i64) -> Result<()> {
    let mut tx = journal.begin_write().await?;
    sqlx::query("DELETE FROM outbox WHERE seq <= ?1")
        .bind(last)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT OR REPLACE INTO share_state (key, value) VALUES ('last_push_at', ?1)")
        .bind(crate::journal::now_rfc3339())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A value kept beside the outbox (`last_push_at`, `conflicts`).
pub async fn state(journal: &Journal, key: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar("SELECT value FROM share_state WHERE key = ?1")
        .bind(key)
        .fetch_optional(journal.pool())
        .await?)
}

pub async fn set_state(journal: &Journal, key: &str, value: &str) -> Result<()> {
    sqlx::query("INSERT OR REPLACE INTO share_state (key, value) VALUES (?1, ?2)")
        .bind(key)
        .bind(value)
        .execute(journal.pool())
        .await?;
    Ok(())
}
