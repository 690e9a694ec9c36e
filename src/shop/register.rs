//! Every counter's register as the shop's database holds it: the counters
//! with the public key each pushed, their chains and their records, read
//! in pages in sequence order for `comptoir register verify --everywhere`
//! (`register::verify` recomputes them as it does the counter's own).

use super::postgres::{unreachable, Shop};
use crate::error::Result;
use crate::journal::RawRecord;
use sqlx::Row;

/// A counter known to the shop, with the key its records are signed with
/// (none when it never pushed one: its records cannot be checked).
#[derive(Debug, Clone)]
pub struct CounterKey {
    pub counter: String,
    pub public_key: Option<String>,
}

impl Shop {
    /// The counters that pushed anything, by code.
    pub async fn counter_keys(&self) -> Result<Vec<CounterKey>> {
        let rows = sqlx::query("SELECT counter, public_key FROM counters ORDER BY counter")
            .fetch_all(self.pool())
            .await
            .map_err(unreachable)?;
        Ok(rows
            .iter()
            .map(|r| CounterKey {
                counter: r.get("counter"),
                public_key: r.get("public_key"),
            })
            .collect())
    }

    /// A counter's chains, each with its last sequence number.
    pub async fn register_heads_of(&self, counter: &str) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT chain, MAX(seq) AS head FROM register WHERE counter = $1 GROUP BY chain ORDER BY chain",
        )
        .bind(counter)
        .fetch_all(self.pool())
        .await
        .map_err(unreachable)?;
        Ok(rows.iter().map(|r| (r.get("chain"), r.get("head"))).collect())
    }

    /// A counter's chain from `after` on, in order, at most `limit`.
    pub async fn register_page_of(&self, counter: &str, chain: &str, after: i64, limit: i64) -> Result<Vec<RawRecord>> {
        let rows = sqlx::query(
            "SELECT seq, at, counter, payload, prev_hash, hash, signature FROM register
             WHERE counter = $1 AND chain = $2 AND seq > $3 ORDER BY seq LIMIT $4",
        )
        .bind(counter)
        .bind(chain)
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(unreachable)?;
        Ok(rows
            .iter()
            .map(|r| RawRecord {
                seq: r.get("seq"),
                at: r.get("at"),
                counter: r.get("counter"),
                payload: r.get("payload"),
                prev_hash: r.get("prev_hash"),
                hash: r.get("hash"),
                signature: r.get("signature"),
            })
            .collect())
    }
}
