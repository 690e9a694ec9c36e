//! The register's chains as the journal keeps them (French anti-fraud
//! rules for tills): append-only (triggers refuse any UPDATE or DELETE),
//! one gap-free sequence per chain, each record's hash over the previous
//! record's hash and the record's values in canonical form (never a row
//! id), and its hash signed with the installation's key. A record is
//! appended inside the write that makes what it records (a receipt and
//! its record commit together). After each append the chains' heads are
//! written, signed, to a file beside the journal, so that cutting records
//! off the end, or putting back an older copy, is found.

use super::{now_rfc3339, Journal};
use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The canonical form's version, inside every hashed record.
pub const FORMAT: i64 = 1;
/// The previous hash of a chain's first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The head file, beside the journal.
pub const HEAD_FILE: &str = "register.head.json";

/// The last `software_version` event's version (the partial index
/// `register_software_version` answers it without a scan).
const LAST_VERSION: &str = "SELECT json_extract(payload, '$.details.to') FROM register
     WHERE chain = 'event' AND json_extract(payload, '$.event') = 'software_version'
     ORDER BY seq DESC LIMIT 1";

/// Signs a record's hash (the installation's Ed25519 key): base64.
pub type Sign = Arc<dyn Fn(&[u8]) -> Result<String> + Send + Sync>;

/// One record of a chain.
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct Record {
    pub chain: String,
    #[ts(type = "number")]
    pub seq: i64,
    /// Local time with its offset, to the second.
    pub at: String,
    pub counter: String,
    pub values: Value,
    pub prev_hash: String,
    pub hash: String,
    pub signature: Option<String>,
}

/// What a record's hash covers: the previous hash, then the canonical
/// form of its chain, sequence, time, counter and values.
pub fn hash_of(prev: &str, chain: &str, seq: i64, at: &str, counter: &str, values: &Value) -> String {
    let body = json!({"v": FORMAT, "chain": chain, "seq": seq, "at": at, "counter": counter, "values": values});
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(super::canonical::to_string(&body).as_bytes());
    hex(&h.finalize())
}

/// `hash_of` from a record's stored payload, read as text: the same
/// hash for the canonical payload the register writes, found without
/// parsing it (`verify` hashes a million records this way). A payload
/// rewritten in any other form gives another hash, as it should.
pub fn hash_of_text(prev: &str, chain: &str, seq: i64, at: &str, counter: &str, payload: &str) -> String {
    let text = |x: &str| Value::String(x.to_string()).to_string();
    let body = format!(
        "{{\"at\":{},\"chain\":{},\"counter\":{},\"seq\":{seq},\"v\":{FORMAT},\"values\":{payload}}}",
        text(at),
        text(chain),
        text(counter)
    );
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(body.as_bytes());
    hex(&h.finalize())
}

/// A record as stored, its values unread.
pub struct RawRecord {
    pub seq: i64,
    pub at: String,
    pub counter: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
    pub signature: Option<String>,
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

pub(super) fn record_from_row(r: &sqlx::sqlite::SqliteRow) -> Result<Record> {
    Ok(Record {
        chain: r.get("chain"),
        seq: r.get("seq"),
        at: r.get("at"),
        counter: r.get("counter"),
        values: serde_json::from_str(&r.get::<String, _>("payload"))
            .map_err(|e| Error::internal("register.unreadable", e.to_string()))?,
        prev_hash: r.get("prev_hash"),
        hash: r.get("hash"),
        signature: r.get("signature"),
    })
}

impl Journal {
    /// The key that signs what this journal appends to the register.
    pub fn set_signer(&self, sign: Option<Sign>) {
        *self.signer.write().unwrap_or_else(|e| e.into_inner()) = sign;
    }

    /// This counter's code, on every record (the shells set it).
    pub fn set_counter(&self, counter: &str) {
        *self.counter.write().unwrap_or_else(|e| e.into_inner()) = counter.to_string();
    }

    pub fn counter(&self) -> String {
        self.counter.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Appends a record inside a write transaction, after the closings
    /// that are due (refused inside a closed period: `journal::closing`).
    pub async fn append_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        chain: &str,
        values: Value,
    ) -> Result<Record> {
        let now = chrono::Local::now();
        self.close_due_in(tx, chain, &now).await?;
        self.append_raw(tx, chain, values, &now).await
    }

    /// Appends a record, dated `now`, with no closing made first. The
    /// register's very first record is preceded, in the same write, by the
    /// software version that wrote it (later versions: `record_version`).
    pub(super) async fn append_raw(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        chain: &str,
        values: Value,
        now: &chrono::DateTime<chrono::Local>,
    ) -> Result<Record> {
        use std::sync::atomic::Ordering;
        let empty = !self.register_started.load(Ordering::Relaxed)
            && sqlx::query_scalar::<_, bool>("SELECT NOT EXISTS (SELECT 1 FROM register)")
                .fetch_one(&mut **tx)
                .await?;
        if !empty {
            // Only once it is known to hold a record: a first record in a
            // transaction rolled back leaves it empty.
            self.register_started.store(true, Ordering::Relaxed);
        }
        if empty {
            let version = json!({"event": "software_version", "cashier": Value::Null,
                                 "details": {"from": Value::Null, "to": env!("CARGO_PKG_VERSION")}});
            self.insert_record(tx, "event", version, now).await?;
        }
        self.insert_record(tx, chain, values, now).await
    }

    async fn insert_record(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
        chain: &str,
        values: Value,
        now: &chrono::DateTime<chrono::Local>,
    ) -> Result<Record> {
        let last = sqlx::query("SELECT seq, hash FROM register WHERE chain = ? ORDER BY seq DESC LIMIT 1")
            .bind(chain)
            .fetch_optional(&mut **tx)
            .await?;
        let (seq, prev) = match last {
            Some(r) => (r.get::<i64, _>("seq") + 1, r.get::<String, _>("hash")),
            None => (1, GENESIS.to_string()),
        };
        let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
        let counter = self.counter();
        let hash = hash_of(&prev, chain, seq, &at, &counter, &values);
        let signer = self.signer.read().unwrap_or_else(|e| e.into_inner()).clone();
        let signature = signer.map(|sign| sign(hash.as_bytes())).transpose()?;
        sqlx::query(
            "INSERT INTO register (chain, seq, at, counter, payload, prev_hash, hash, signature, written_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(chain)
        .bind(seq)
        .bind(&at)
        .bind(&counter)
        .bind(super::canonical::to_string(&values))
        .bind(&prev)
        .bind(&hash)
        .bind(&signature)
        .bind(now_rfc3339())
        .execute(&mut **tx)
        .await?;
        Ok(Record {
            chain: chain.to_string(),
            seq,
            at,
            counter,
            values,
            prev_hash: prev,
            hash,
            signature,
        })
    }

    /// Appends a record in its own write, then writes the heads.
    pub async fn append(&self, chain: &str, values: Value) -> Result<Record> {
        let mut tx = self.begin_write().await?;
        let r = self.append_in(&mut tx, chain, values).await?;
        tx.commit().await?;
        self.write_head().await?;
        Ok(r)
    }

    /// The software version the register last recorded, if any.
    pub async fn recorded_version(&self) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(LAST_VERSION)
            .fetch_optional(&self.pool)
            .await?
            .flatten())
    }

    /// Records `version` in the `event` chain when it is not the one the
    /// register last recorded: an auditor reads which software wrote
    /// which records. A register with nothing in it yet records nothing
    /// here (its first record brings the version with it: `append_raw`);
    /// a register from before versions were recorded gets one. Checked
    /// again inside the write, so two processes starting together record once.
    pub async fn record_version(&self, version: &str) -> Result<Option<Record>> {
        let empty: bool = sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM register)")
            .fetch_one(&self.pool)
            .await?;
        if empty || self.recorded_version().await?.as_deref() == Some(version) {
            return Ok(None);
        }
        let mut tx = self.begin_write().await?;
        let last: Option<String> = sqlx::query_scalar(LAST_VERSION)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
        if last.as_deref() == Some(version) {
            return Ok(None);
        }
        let values = json!({"event": "software_version", "cashier": Value::Null,
                            "details": {"from": last, "to": version}});
        let r = self.append_in(&mut tx, "event", values).await?;
        tx.commit().await?;
        self.write_head().await?;
        Ok(Some(r))
    }

    /// The technical events (logins, versions, ...), newest first.
    pub async fn register_events(&self, limit: i64) -> Result<Vec<Record>> {
        sqlx::query(
            "SELECT chain, seq, at, counter, payload, prev_hash, hash, signature FROM register
             WHERE chain = 'event' ORDER BY seq DESC LIMIT ?",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record_from_row)
        .collect()
    }

    /// A chain's records from `after` on, in order, at most `limit`.
    pub async fn register_page(&self, chain: &str, after: i64, limit: i64) -> Result<Vec<Record>> {
        sqlx::query(
            "SELECT chain, seq, at, counter, payload, prev_hash, hash, signature FROM register
             WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(chain)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record_from_row)
        .collect()
    }

    /// A chain's stored records from `after` on, their values unread.
    pub async fn register_raw_page(&self, chain: &str, after: i64, limit: i64) -> Result<Vec<RawRecord>> {
        Ok(sqlx::query(
            "SELECT seq, at, counter, payload, prev_hash, hash, signature FROM register
             WHERE chain = ? AND seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(chain)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
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

    /// Every chain's last sequence and hash.
    pub async fn register_heads(&self) -> Result<BTreeMap<String, (i64, String)>> {
        let rows = sqlx::query(
            "SELECT r.chain, r.seq, r.hash FROM register r
             JOIN (SELECT chain, MAX(seq) AS seq FROM register GROUP BY chain) m ON m.chain = r.chain AND m.seq = r.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| {
                (
                    r.get::<String, _>("chain"),
                    (r.get::<i64, _>("seq"), r.get::<String, _>("hash")),
                )
            })
            .collect())
    }

    /// How many records the register holds.
    pub async fn register_count(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM register")
            .fetch_one(&self.pool)
            .await?)
    }

    /// The records of `chain` whose values hold `key` = `value` (a
    /// receipt's number), in order.
    pub async fn records_where(&self, chain: &str, key: &str, value: &str) -> Result<Vec<Record>> {
        sqlx::query(
            "SELECT chain, seq, at, counter, payload, prev_hash, hash, signature FROM register
             WHERE chain = ? AND json_extract(payload, '$.' || ?) = ? ORDER BY seq",
        )
        .bind(chain)
        .bind(key)
        .bind(value)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(record_from_row)
        .collect()
    }

    /// A receipt's record (live or training), by its number.
    pub async fn receipt_record(&self, number: &str) -> Result<Option<Record>> {
        sqlx::query(
            "SELECT chain, seq, at, counter, payload, prev_hash, hash, signature FROM register
             WHERE chain IN ('receipt', 'training') AND json_extract(payload, '$.number') = ?",
        )
        .bind(number)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(record_from_row)
        .transpose()
    }

    /// Writes the heads, signed, to the file beside the journal (whole
    /// or not at all). Written after the commit: a crash between the two
    /// leaves the journal ahead of the file, which is not a defect; the
    /// journal behind the file is.
    pub async fn write_head(&self) -> Result<()> {
        let Some(path) = self.head_path() else { return Ok(()) };
        let heads = self.register_heads().await?;
        let chains: serde_json::Map<String, Value> = heads
            .into_iter()
            .map(|(c, (seq, hash))| (c, json!({"seq": seq, "hash": hash})))
            .collect();
        let body = json!({"v": FORMAT, "chains": chains});
        let canonical = super::canonical::to_string(&body);
        let signer = self.signer.read().unwrap_or_else(|e| e.into_inner()).clone();
        let signature = signer.map(|sign| sign(canonical.as_bytes())).transpose()?;
        let file = json!({"v": FORMAT, "chains": body["chains"], "signature": signature});
        let text = serde_json::to_string_pretty(&file).expect("JSON");
        crate::files::write_whole(&path, "register.head_unwritable", |w| {
            w.write_all(text.as_bytes())
                .map_err(|e| crate::files::io_error(&path, "register.head_unwritable", &e))
        })
    }

    /// Where the head file is (none for a journal opened without a folder).
    pub fn head_path(&self) -> Option<std::path::PathBuf> {
        self.path.as_ref().map(|p| p.with_file_name(HEAD_FILE))
    }
}

/// A basket line as its receipt's record holds it.
pub struct SoldLine {
    pub line: i64,
    pub kind: String,
    pub provider: String,
    pub product: String,
    pub name: String,
    pub quantity: i64,
    pub unit: i64,
}

/// A receipt's record: every line with its tax treatment and rate, the
/// totals per rate (excluding tax, tax, including tax) and out of scope,
/// the payments and the change.
pub fn receipt_values(number: &str, cashier: Option<String>, lines: &[SoldLine], new: &super::NewReceipt<'_>) -> Value {
    let mut by_rate: BTreeMap<i64, i64> = BTreeMap::new();
    let mut out_of_scope = 0;
    let lines: Vec<Value> = lines
        .iter()
        .map(|l| {
            let treatment = (new.tax)(&l.provider, &l.kind);
            let amount = l.quantity * l.unit;
            match treatment.rate() {
                Some(r) => *by_rate.entry(r).or_default() += amount,
                None => out_of_scope += amount,
            }
            json!({"line": l.line, "kind": l.kind, "provider": l.provider, "product": l.product,
                "name": l.name, "quantity": l.quantity, "unit": l.unit, "amount": amount,
                "tax": treatment.as_string(), "rate": treatment.rate()})
        })
        .collect();
    let paid: Vec<(String, i64)> = new
        .payments
        .iter()
        .map(|p| (p.tender.as_str().to_string(), p.amount_cents))
        .collect();
    let given = new.payments.iter().find_map(|p| p.given_cents);
    json!({"number": number, "cashier": cashier, "siret": new.siret, "lines": lines,
        "total": new.total_cents, "change": new.change_cents, "cash_given": given,
        "taxes": rate_totals(&by_rate), "out_of_scope": out_of_scope,
        "payments": payments_value(&paid), "currency": new.currency, "training": new.training})
}

/// Totals including tax per rate, as records and closings list them.
pub fn rate_totals(by_rate: &BTreeMap<i64, i64>) -> Value {
    Value::Array(
        by_rate
            .iter()
            .map(|(rate, total)| {
                let (base, tax) = crate::types::tax::split(*total, *rate);
                json!({"rate": rate, "base": base, "tax": tax, "total": total})
            })
            .collect(),
    )
}

/// The payments of a receipt as its record holds them: by means name.
pub fn payments_value(payments: &[(String, i64)]) -> Value {
    let mut p = payments.to_vec();
    p.sort();
    Value::Array(p.into_iter().map(|(t, a)| json!({"tender": t, "amount": a})).collect())
}

impl Journal {
    /// Every receipt's recorded facts as the journal now has them, a page
    /// at a time in number order: a million receipts are never held at
    /// once (held in maps with their payments, `verify` peaked at 2.6 GB).
    /// Pages, not one stream: streamed row by row, the reader and sqlx's
    /// worker thread woke each other for every row, and half the runs took
    /// half as long again, in the kernel.
    pub async fn each_receipt_fact(&self, mut each: impl FnMut(ReceiptFacts) -> Result<()>) -> Result<()> {
        let journal = self.clone();
        let mut pages = super::read_ahead(
            String::new(),
            |p: &[ReceiptFacts]| p.last().map(|r| r.number.clone()),
            move |after| {
                let journal = journal.clone();
                async move { journal.receipt_facts_after(&after).await }
            },
        );
        while let Some(page) = pages.recv().await {
            for fact in page? {
                each(fact)?;
            }
        }
        Ok(())
    }

    async fn receipt_facts_after(&self, after: &str) -> Result<Vec<ReceiptFacts>> {
        // The receipts in their key's order, each one's means found by the
        // tenders' key (receipt, tender), so in means order.
        let rows = sqlx::query(
            "SELECT r.number, r.total_cents, r.change_cents,
             r.created_at < (SELECT value FROM register_meta WHERE key = 'started_at') AS before,
             t.tender, t.amount_cents
             FROM (SELECT number, total_cents, change_cents, created_at FROM receipts
                   WHERE number > ? ORDER BY number LIMIT ?) r
             LEFT JOIN tenders t ON t.receipt = r.number ORDER BY r.number, t.tender",
        )
        .bind(after)
        .bind(FACTS_PAGE)
        .fetch_all(&self.pool)
        .await?;
        let mut page: Vec<ReceiptFacts> = Vec::new();
        for row in &rows {
            let number: &str = row.get("number");
            if page.last().is_none_or(|c| c.number != number) {
                page.push(ReceiptFacts {
                    number: number.to_string(),
                    total: row.get("total_cents"),
                    change: row.get("change_cents"),
                    payments: Vec::new(),
                    before: row.get::<Option<bool>, _>("before").unwrap_or(false),
                });
            }
            if let (Some(c), Some(tender)) = (page.last_mut(), row.get::<Option<String>, _>("tender")) {
                c.payments.push((tender, row.get("amount_cents")));
            }
        }
        Ok(page)
    }

    /// Whether the journal holds receipt `number`.
    pub async fn has_receipt(&self, number: &str) -> Result<bool> {
        Ok(sqlx::query("SELECT 1 FROM receipts WHERE number = ?")
            .bind(number)
            .fetch_optional(&self.pool)
            .await?
            .is_some())
    }

    /// Every refund as the journal now has it, as its record's values,
    /// and whether it was made before the register existed.
    pub async fn refund_facts(&self) -> Result<Vec<(Value, bool)>> {
        Ok(sqlx::query(
            "SELECT receipt, line, tender, amount_cents,
             created_at < (SELECT value FROM register_meta WHERE key = 'started_at') AS before
             FROM till_refunds ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let v = json!({"receipt": r.get::<String, _>("receipt"), "line": r.get::<i64, _>("line"),
                       "tender": r.get::<String, _>("tender"), "amount": r.get::<i64, _>("amount_cents")});
            (v, r.get::<bool, _>("before"))
        })
        .collect())
    }

    /// Every order bought for a receipt, a page at a time (in row order):
    /// (receipt, line, amount, status).
    pub async fn each_receipt_order_fact(
        &self,
        mut each: impl FnMut(&str, i64, i64, &str) -> Result<()>,
    ) -> Result<()> {
        let journal = self.clone();
        let mut pages = super::read_ahead(
            0i64,
            |p: &[OrderFact]| p.last().map(|o| o.rowid),
            move |after| {
                let journal = journal.clone();
                async move { journal.receipt_order_facts_after(after).await }
            },
        );
        while let Some(page) = pages.recv().await {
            for o in page? {
                each(&o.receipt, o.line, o.amount, &o.status)?;
            }
        }
        Ok(())
    }

    async fn receipt_order_facts_after(&self, after: i64) -> Result<Vec<OrderFact>> {
        let rows = sqlx::query(
            "SELECT rowid, json_extract(details, '$.receipt') AS receipt,
             json_extract(details, '$.receipt_line') AS line, amount_cents, status
             FROM orders WHERE rowid > ? AND json_extract(details, '$.receipt') IS NOT NULL
             ORDER BY rowid LIMIT ?",
        )
        .bind(after)
        .bind(FACTS_PAGE)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| OrderFact {
                rowid: r.get("rowid"),
                receipt: r.get("receipt"),
                line: r.get::<Option<i64>, _>("line").unwrap_or(0),
                amount: r.get("amount_cents"),
                status: r.get("status"),
            })
            .collect())
    }
}

/// An order bought for a receipt's line, as `verify` checks it.
struct OrderFact {
    rowid: i64,
    receipt: String,
    line: i64,
    amount: i64,
    status: String,
}

/// Receipts or orders read per page by `verify`'s cross-check.
const FACTS_PAGE: i64 = 5000;

/// A receipt as the journal now has it (`Journal::each_receipt_fact`),
/// its payments as (means, amount) sorted by means.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptFacts {
    pub number: String,
    pub total: i64,
    pub change: i64,
    pub payments: Vec<(String, i64)>,
    /// Made before the register existed: it has no record to be checked against.
    pub before: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_payload_hashes_as_its_values_do() {
        let values =
            json!({"number": "C1-000001", "total": 6500, "lines": [{"name": "Carte \"Fnac\" 25 €", "rate": null}]});
        let payload = super::super::canonical::to_string(&values);
        let at = "2026-12-31T23:40:00+01:00";
        assert_eq!(
            hash_of_text(GENESIS, "receipt", 7, at, "C1", &payload),
            hash_of(GENESIS, "receipt", 7, at, "C1", &values)
        );
    }
}
