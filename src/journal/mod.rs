//! The journal: SQLite through sqlx, the source of truth for every order.
//! Every state change runs in a transaction with its history event, so a
//! crash leaves either the old state or the new one, never half of each.

mod aggregate;
mod basket;
mod canonical;
mod claims;
pub mod closing;
mod export;
mod import;
mod ledger;
mod read_ahead;
mod refund;
mod register;
mod seed_register;
mod till;
mod time_key;

pub use crate::types::{cents, OrderKind, OrderStatus};
pub use aggregate::Aggregate;
pub use basket::{Basket, BasketLine, NewLine};
pub use canonical::to_string as canonical;
pub use claims::{Claim, Claimed};
pub use closing::{Kind as ClosingKind, Period, TAKINGS};
pub use export::{write_csv, CsvOut, CSV_COLUMNS};
pub use import::{parse_csv, ImportReport};
pub use ledger::{Ledger, SalesLine};
pub use read_ahead::read_ahead;
pub use register::{
    hash_of, hash_of_text, hex, payments_value, rate_totals, receipt_values, RawRecord, Record, Sign, SoldLine,
    GENESIS, HEAD_FILE,
};
pub use seed_register::SeedReceipt;
pub use till::{NewReceipt, Payment, ReceiptRow, Refund, Shift, ShiftSums};

use crate::error::{Error, Result};
use crate::types::ProviderId;
use chrono::{DateTime, Local, NaiveDate, SecondsFormat, TimeZone, Utc};
use rand::Rng;
use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How many rows SQLite's thread may read ahead of the reader (sqlx's
/// default, 50, made a page of 5,000 a ping-pong between the two threads,
/// each waking the other every 50 rows). Memory is spent only when the
/// reader lags, and at most a page of rows.
const ROW_CHANNEL: usize = 8192;

#[derive(Clone)]
pub struct Journal {
    pool: SqlitePool,
    /// The cashier acting through this journal now (None: nobody signed in,
    /// or no accounts yet), written on every order and event.
    actor: Arc<std::sync::RwLock<Option<String>>>,
    /// Signs the register's records (`register::arm`).
    signer: Arc<std::sync::RwLock<Option<Sign>>>,
    /// This counter's code, on every register record.
    counter: Arc<std::sync::RwLock<String>>,
    /// The month the shop's fiscal year ends with (its closing's period).
    fiscal_end: Arc<std::sync::atomic::AtomicU32>,
    /// The journal's file, beside which the register's head is kept.
    path: Option<PathBuf>,
    /// When this process last found no closing due (`closing::Checked`).
    closings_checked: Arc<std::sync::Mutex<Option<closing::Checked>>>,
    /// The register holds a record: it always will (it is append-only), so
    /// a record need not ask again whether it is the very first.
    register_started: Arc<std::sync::atomic::AtomicBool>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// What a sale writes before it asks the provider.
#[derive(Debug, Clone)]
pub struct NewOrder {
    pub provider: ProviderId,
    pub kind: OrderKind,
    pub product_id: Option<String>,
    pub product_name: String,
    pub quantity: u32,
    pub customer_ref: Option<String>,
    pub phone: Option<String>,
    pub sim_id: Option<String>,
    pub amount_cents: i64,
    pub cost_cents: Option<i64>,
    pub fees_cents: Option<i64>,
    pub currency: String,
    pub training: bool,
    pub details: serde_json::Value,
}

/// An order as the journal knows it (never with its sealed secrets).
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct Order {
    pub id: String,
    pub provider: ProviderId,
    pub kind: OrderKind,
    pub status: OrderStatus,
    pub provider_ref: Option<String>,
    pub product_id: Option<String>,
    pub product_name: String,
    pub quantity: u32,
    pub customer_ref: Option<String>,
    pub phone: Option<String>,
    pub sim_id: Option<String>,
    pub iccid: Option<String>,
    #[serde(rename = "amount", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount_cents: i64,
    #[serde(rename = "cost", serialize_with = "cents::serialize_opt")]
    #[ts(type = "number | null")]
    pub cost_cents: Option<i64>,
    #[serde(rename = "fees", serialize_with = "cents::serialize_opt")]
    #[ts(type = "number | null")]
    pub fees_cents: Option<i64>,
    pub currency: String,
    pub training: bool,
    pub details: serde_json::Value,
    pub created_at: String,
    pub updated_at: String,
    /// Who sold it (None: sold before accounts existed).
    pub cashier: Option<String>,
}

#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct OrderEvent {
    #[ts(type = "number")]
    pub seq: i64,
    pub at: String,
    pub event: String,
    pub from_status: Option<OrderStatus>,
    pub to_status: Option<OrderStatus>,
    pub message: String,
    /// Who did it (None: before accounts existed, or the system).
    pub cashier: Option<String>,
}

/// A change of status with what the provider told us.
#[derive(Debug, Clone, Default)]
pub struct StatusUpdate {
    pub provider_ref: Option<String>,
    /// A line number the provider assigned (an eSIM's MSISDN).
    pub phone: Option<String>,
    pub iccid: Option<String>,
    /// Merged into `details` (top-level keys replace).
    pub details: Option<serde_json::Value>,
    /// Provider ciphertext to keep, decrypted only on demand.
    pub sealed: Option<String>,
    pub message: String,
}

#[derive(ts_rs::TS, Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
#[ts(optional_fields)]
pub struct OrderFilter {
    pub search: Option<String>,
    pub provider: Option<ProviderId>,
    pub kind: Option<OrderKind>,
    pub status: Option<OrderStatus>,
    /// First local day included.
    pub from: Option<NaiveDate>,
    /// Last local day included.
    pub to: Option<NaiveDate>,
    pub training: Option<bool>,
    #[ts(as = "Option<Sort>", optional)]
    pub sort: Sort,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
    /// Orders this cashier sold.
    pub cashier: Option<String>,
}

impl Order {
    /// The line's number as the customer knows it (`06 84 58 75 87`), from
    /// Orange's nine digits; the sale notes a Spanish line's country.
    pub fn phone_for_people(&self) -> Option<String> {
        let spanish = self.details.get("phone_country").and_then(|v| v.as_str()) == Some("ES");
        self.phone.as_deref().map(|p| crate::types::phone::display(p, spanish))
    }
}

impl OrderFilter {
    /// Whether it sets a condition on the orders' own columns.
    fn has_fields(&self) -> bool {
        self.provider.is_some()
            || self.kind.is_some()
            || self.status.is_some()
            || self.from.is_some()
            || self.to.is_some()
            || self.training.is_some()
            || self.cashier.is_some()
    }
}

/// The order a list of orders comes in. Each has an index behind it, so a
/// page stays instant on a large journal.
#[derive(ts_rs::TS, Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    #[default]
    Newest,
    Oldest,
    /// Largest amount first (newest first among equals).
    Highest,
    Lowest,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Newest, Sort::Oldest, Sort::Highest, Sort::Lowest];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Highest => "highest",
            Sort::Lowest => "lowest",
        }
    }

    fn sql(self) -> &'static str {
        match self {
            Sort::Newest => " ORDER BY created_at DESC, rowid DESC",
            Sort::Oldest => " ORDER BY created_at ASC, rowid ASC",
            Sort::Highest => " ORDER BY amount_cents DESC, created_at DESC, rowid DESC",
            Sort::Lowest => " ORDER BY amount_cents ASC, created_at DESC, rowid DESC",
        }
    }

    /// The same order as the orders' rowids (time order), where it is one.
    fn rowid_order(self) -> Option<&'static str> {
        match self {
            Sort::Newest => Some("DESC"),
            Sort::Oldest => Some("ASC"),
            Sort::Highest | Sort::Lowest => None,
        }
    }
}

impl std::str::FromStr for Sort {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Sort::ALL.into_iter().find(|v| v.as_str() == s).ok_or_else(|| {
            Error::invalid(
                "order.bad_sort",
                format!("unknown sort `{s}`: newest, oldest, highest or lowest"),
            )
            .with("value", s)
        })
    }
}

pub fn now_rfc3339() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `CPT-YYMMDD-XXXXXX`: short enough to read to a customer, random enough to
/// be unique across shops, and made of characters every provider accepts as
/// a reference (letters, digits, hyphens).
pub fn new_order_id() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford: no I, L, O, U
    let mut rng = rand::thread_rng();
    let tail: String = (0..6)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    match ID_COUNTER.read().unwrap_or_else(|e| e.into_inner()).as_deref() {
        Some(counter) => format!("CPT-{}-{counter}-{tail}", Local::now().format("%y%m%d")),
        None => format!("CPT-{}-{tail}", Local::now().format("%y%m%d")),
    }
}

/// The counter code new ids carry, once this counter shares.
pub fn id_counter() -> Option<String> {
    ID_COUNTER.read().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The counter code in new ids once the counter shares a journal with
/// others (`shop`): ids are then unique across the shop by construction,
/// not by the luck of six random characters.
static ID_COUNTER: std::sync::RwLock<Option<String>> = std::sync::RwLock::new(None);

pub fn set_id_counter(counter: Option<&str>) {
    *ID_COUNTER.write().unwrap_or_else(|e| e.into_inner()) = counter.map(str::to_string);
}

impl Journal {
    /// Opens (creating if needed) the journal and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // A folder that cannot be written (a read-only mount, a backup
        // looked at): the journal opens read-only, so the Orders screen,
        // `comptoir orders` and the reports work; a write says why it fails.
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        if path.is_file() && !crate::files::writable(folder) {
            refuse_empty(path)?;
            return Self::open_read_only(path).await;
        }
        // One process at a time creates the journal and brings its schema
        // up to date: two counters started together on a fresh install
        // would otherwise meet each other's half-made file (0 bytes, or a
        // table made by the other's migration). Held until migrated.
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path.with_extension("sqlite.lock"))?;
        lock.lock()?;
        refuse_empty(path)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed order survives a power cut, not only a crash.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .row_buffer_size(ROW_CHANNEL)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| damaged(path, e.into()))?;
        let before = applied_migrations(&pool).await;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| damaged(path, migration_error(e)))?;
        let journal = Journal {
            pool,
            actor: Arc::default(),
            signer: Arc::default(),
            counter: Arc::new(std::sync::RwLock::new("C1".into())),
            fiscal_end: Arc::new(std::sync::atomic::AtomicU32::new(12)),
            path: Some(path.to_path_buf()),
            closings_checked: Arc::default(),
            register_started: Arc::default(),
        };
        // A migration of a large journal is a bulk write (renumbering a
        // million orders left a 900 MB write-ahead log): merged at once.
        if before > 0 && applied_migrations(&journal.pool).await > before {
            journal.checkpoint().await;
        }
        drop(lock);
        // The user's only, even where an older install left them 0644.
        for suffix in ["", "-wal", "-shm"] {
            crate::files::private_file(Path::new(&format!("{}{suffix}", path.display())))?;
        }
        Ok(journal)
    }

    /// The journal as it is on a read-only medium: no migration. Its
    /// write-ahead log, when one was left, is read with it (SQLite reads a
    /// WAL read-only when its files exist); without one, `immutable` lets
    /// SQLite read the file without making one.
    async fn open_read_only(path: &Path) -> Result<Self> {
        let wal = Path::new(&format!("{}-wal", path.display()))
            .metadata()
            .is_ok_and(|m| m.len() > 0);
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(!wal)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        if applied_migrations(&pool).await < MIGRATOR.iter().count() as i64 {
            return Err(Error::config(
                "journal.read_only_old",
                format!("the journal {} is from an older Comptoir and its folder is read-only: open it once where it can be written", path.display()),
            ));
        }
        tracing::info!(path = %path.display(), "journal opened read-only");
        Ok(Journal {
            pool,
            actor: Arc::default(),
            signer: Arc::default(),
            counter: Arc::new(std::sync::RwLock::new("C1".into())),
            fiscal_end: Arc::new(std::sync::atomic::AtomicU32::new(12)),
            path: Some(path.to_path_buf()),
            closings_checked: Arc::default(),
            register_started: Arc::default(),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Names the cashier whose actions this journal now records.
    pub fn set_actor(&self, name: Option<String>) {
        *self.actor.write().unwrap_or_else(|e| e.into_inner()) = name;
    }

    /// The cashier this journal records (None: no accounts, or the system).
    pub fn actor(&self) -> Option<String> {
        self.actor.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A transaction that holds the write lock from its first statement.
    /// A plain (deferred) one that reads and then writes cannot wait for a
    /// writer in another process: SQLite fails it at once with "database is
    /// locked", busy timeout or not. `BEGIN IMMEDIATE` waits, up to the
    /// busy timeout, like any single write.
    pub async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Writes a new order `pending` with its `created` event, committed, and
    /// returns it. Call before any request that spends money.
    pub async fn create_order(&self, new: NewOrder) -> Result<Order> {
        validate_new(&new)?;
        let id = new_order_id();
        let now = now_rfc3339();
        let base = time_key::base(&now)?;
        let mut tx = self.begin_write().await?;
        sqlx::query(&format!(
            "INSERT INTO orders (rowid, id, provider, kind, status, product_id, product_name, quantity, customer_ref,
                phone, sim_id, amount_cents, cost_cents, fees_cents, currency, training, details, created_at, updated_at, cashier)
             SELECT {}, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM (SELECT ? AS b, 0 AS r)",
            time_key::NEXT_ROWID
        ))
        .bind(&id)
        .bind(new.provider.as_str())
        .bind(new.kind.as_str())
        .bind(&new.product_id)
        .bind(&new.product_name)
        .bind(new.quantity as i64)
        .bind(&new.customer_ref)
        .bind(&new.phone)
        .bind(&new.sim_id)
        .bind(new.amount_cents)
        .bind(new.cost_cents)
        .bind(new.fees_cents)
        .bind(&new.currency)
        .bind(new.training)
        .bind(new.details.to_string())
        .bind(&now)
        .bind(&now)
        .bind(self.actor())
        .bind(base)
        .execute(&mut *tx)
        .await?;
        append_event(
            &mut tx,
            &id,
            "created",
            None,
            Some(OrderStatus::Pending),
            "",
            self.actor(),
        )
        .await?;
        tx.commit().await?;
        self.get(&id).await
    }

    /// Moves an order to `to`, refusing moves the lifecycle forbids, and
    /// appends the event in the same transaction.
    pub async fn set_status(&self, id: &str, to: OrderStatus, update: StatusUpdate) -> Result<Order> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT status, details FROM orders WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| not_found(id))?;
        let from = OrderStatus::from_str(row.get::<&str, _>("status"))?;
        if from != to && !from.can_become(to) {
            return Err(Error::invalid(
                "order.bad_transition",
                format!("order {id} cannot go from {from} to {to}"),
            )
            .with("id", id)
            .with("from", from.as_str())
            .with("to", to.as_str()));
        }
        let mut details: serde_json::Value =
            serde_json::from_str(row.get::<&str, _>("details")).unwrap_or_else(|_| serde_json::json!({}));
        if let (Some(obj), Some(serde_json::Value::Object(patch))) = (details.as_object_mut(), update.details) {
            obj.extend(patch);
        }
        sqlx::query(
            "UPDATE orders SET status = ?, provider_ref = COALESCE(?, provider_ref), phone = COALESCE(?, phone), iccid = COALESCE(?, iccid),
                details = ?, sealed = COALESCE(?, sealed), updated_at = ? WHERE id = ?",
        )
        .bind(to.as_str())
        .bind(&update.provider_ref)
        .bind(&update.phone)
        .bind(&update.iccid)
        .bind(details.to_string())
        .bind(&update.sealed)
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let event = if from == to { "update" } else { "status" };
        append_event(&mut tx, id, event, Some(from), Some(to), &update.message, self.actor()).await?;
        tx.commit().await?;
        self.get(id).await
    }

    /// Keeps a provider's last answer under `key` (support lookups, raw
    /// catalogs), to be shown with its age when the network is down.
    pub async fn cache_put(&self, key: &str, data: &serde_json::Value) -> Result<String> {
        let fetched_at = now_rfc3339();
        sqlx::query("INSERT OR REPLACE INTO provider_cache (key, data, fetched_at) VALUES (?, ?, ?)")
            .bind(key)
            .bind(data.to_string())
            .bind(&fetched_at)
            .execute(&self.pool)
            .await?;
        Ok(fetched_at)
    }

    /// Forgets the answer kept under `key`.
    pub async fn cache_forget(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM provider_cache WHERE key = ?")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The answer kept under `key`, with when it was fetched.
    pub async fn cache_get(&self, key: &str) -> Result<Option<(serde_json::Value, String)>> {
        let row = sqlx::query("SELECT data, fetched_at FROM provider_cache WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        let Some(row) = row else { return Ok(None) };
        let data = serde_json::from_str(row.get::<&str, _>("data"))
            .map_err(|_| Error::internal("journal.cache_corrupt", "a cached provider answer is unreadable"))?;
        Ok(Some((data, row.get("fetched_at"))))
    }

    /// Records something that happened to an order without changing it
    /// (a reveal of a secret, a reprint, a note).
    pub async fn note(&self, id: &str, event: &str, message: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        self.get_in(&mut tx, id).await?;
        append_event(&mut tx, id, event, None, None, message, self.actor()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn get(&self, id: &str) -> Result<Order> {
        let mut conn = self.pool.acquire().await?;
        self.get_in(&mut conn, id).await
    }

    async fn get_in(&self, conn: &mut sqlx::SqliteConnection, id: &str) -> Result<Order> {
        let row = sqlx::query(&format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = ?"))
            .bind(id)
            .fetch_optional(conn)
            .await?
            .ok_or_else(|| not_found(id))?;
        order_from_row(&row)
    }

    /// The orders of one provider whose details hold `key` = `value`
    /// (`paid_by`, `subscription_id`...), newest first. `key` is one of the
    /// core's own detail names, never input.
    pub async fn by_detail(&self, provider: ProviderId, key: &str, value: &str) -> Result<Vec<Order>> {
        debug_assert!(key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        let rows = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE provider = ? AND json_extract(details, '$.{key}') = ? ORDER BY created_at DESC"
        ))
        .bind(provider.as_str())
        .bind(value)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(order_from_row).collect()
    }

    /// The order a provider knows by its own reference (a transaction id).
    pub async fn by_provider_ref(&self, provider: ProviderId, reference: &str) -> Result<Option<Order>> {
        let row = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE provider = ? AND provider_ref = ? ORDER BY created_at DESC LIMIT 1"
        ))
        .bind(provider.as_str())
        .bind(reference)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(order_from_row).transpose()
    }

    /// Records the amount of an order that was sold before its amount was
    /// known (an Internet+ offer the shop had not listed: W-HA says it).
    pub async fn learn_amount(&self, id: &str, amount_cents: i64) -> Result<()> {
        sqlx::query("UPDATE orders SET amount_cents = ? WHERE id = ? AND amount_cents = 0")
            .bind(amount_cents)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The provider ciphertext kept for an order, if any.
    pub async fn sealed(&self, id: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT sealed FROM orders WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| not_found(id))?;
        Ok(row.get("sealed"))
    }

    pub async fn events(&self, id: &str) -> Result<Vec<OrderEvent>> {
        let rows = sqlx::query(
            "SELECT seq, at, event, from_status, to_status, message, cashier FROM order_events WHERE order_id = ? ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OrderEvent {
                    seq: r.get("seq"),
                    at: r.get("at"),
                    event: r.get("event"),
                    from_status: r.get::<Option<&str>, _>("from_status").map(str::parse).transpose()?,
                    to_status: r.get::<Option<&str>, _>("to_status").map(str::parse).transpose()?,
                    message: r.get("message"),
                    cashier: r.get("cashier"),
                })
            })
            .collect()
    }

    /// Orders matching the filter, in its sort (newest first by default).
    pub async fn list(&self, filter: &OrderFilter) -> Result<Vec<Order>> {
        let limit = filter.limit.unwrap_or(100).min(10_000) as i64;
        let offset = filter.offset.unwrap_or(0) as i64;
        let mut q = sqlx::QueryBuilder::new(format!("SELECT {ORDER_COLUMNS} FROM orders WHERE 1 = 1"));
        match (filter.search.as_deref().and_then(fts_query), filter.sort.rowid_order()) {
            // In date order, a search's page is read from the full-text
            // index in rowid order (time order, see time_key) and stops at
            // the page's end, however many orders match.
            (Some(text), Some(order)) => {
                q.push(
                    " AND rowid IN (SELECT orders.rowid FROM orders_fts JOIN orders ON orders.rowid = orders_fts.rowid \
                     WHERE orders_fts MATCH ",
                )
                .push_bind(text);
                push_fields(&mut q, filter);
                q.push(" ORDER BY orders_fts.rowid ")
                    .push(order)
                    .push(" LIMIT ")
                    .push_bind(limit)
                    .push(" OFFSET ")
                    .push_bind(offset)
                    .push(")")
                    .push(filter.sort.sql());
            }
            _ => {
                push_filter(&mut q, filter);
                q.push(filter.sort.sql())
                    .push(" LIMIT ")
                    .push_bind(limit)
                    .push(" OFFSET ")
                    .push_bind(offset);
            }
        }
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter().map(order_from_row).collect()
    }

    /// How many orders match the filter, counted up to `cap` + 1 (for
    /// paging): beyond, an exact count reads every match (a term in a fifth
    /// of a million orders, or every live order: 30 to 100 ms), and the
    /// screen says "more than `cap`" instead.
    pub async fn count_up_to(&self, filter: &OrderFilter, cap: i64) -> Result<i64> {
        let search = filter.search.as_deref().and_then(fts_query);
        let mut q = sqlx::QueryBuilder::new("SELECT COUNT(*) AS n FROM (SELECT 1 FROM ");
        match search {
            // A search alone counts in the full-text index, which holds one
            // row per order; with other conditions, each match's order is read.
            Some(text) if !filter.has_fields() => {
                q.push("orders_fts WHERE orders_fts MATCH ").push_bind(text);
            }
            Some(text) => {
                q.push("orders_fts JOIN orders ON orders.rowid = orders_fts.rowid WHERE orders_fts MATCH ")
                    .push_bind(text);
                push_fields(&mut q, filter);
            }
            None => {
                q.push("orders WHERE 1 = 1");
                push_fields(&mut q, filter);
            }
        }
        q.push(" LIMIT ").push_bind(cap.saturating_add(1)).push(")");
        Ok(q.build().fetch_one(&self.pool).await?.get("n"))
    }

    /// Orders reconciliation must still settle, oldest first.
    pub async fn unsettled(&self) -> Result<Vec<Order>> {
        let rows = sqlx::query(&format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE status IN ('pending', 'unknown', 'processing') ORDER BY created_at"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(order_from_row).collect()
    }
}

/// How many migrations the journal has had (0 for a new one).
async fn applied_migrations(pool: &SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success = 1")
        .fetch_one(pool)
        .await
        .unwrap_or(0)
}

pub(super) const ORDER_COLUMNS: &str =
    "id, provider, kind, status, provider_ref, product_id, product_name, quantity, customer_ref, \
     phone, sim_id, iccid, amount_cents, cost_cents, fees_cents, currency, training, details, created_at, updated_at, cashier";

/// A journal file of 0 bytes was a journal once (SQLite writes its header
/// before the lock above is let go): truncated by a disk or a copy gone
/// wrong. Opening it would silently start an empty history; say so instead.
/// A journal SQLite cannot read (random bytes, a file cut short): said
/// with its path, and a copy kept beside it once (never deleted, never
/// replaced), for whoever restores it.
fn damaged(path: &Path, e: Error) -> Error {
    if e.code != "journal.damaged" {
        return e;
    }
    let copy = PathBuf::from(format!("{}.damaged", path.display()));
    if !copy.exists() {
        if let Err(c) = std::fs::copy(path, &copy) {
            tracing::warn!(path = %copy.display(), "cannot keep a copy of the damaged journal: {c}");
        }
    }
    Error::config(
        "journal.damaged",
        format!(
            "the journal {} is damaged (not a whole SQLite database): restore it from a backup; a copy of the damaged file is kept as {}",
            path.display(),
            copy.display()
        ),
    )
    .with("path", path.display().to_string())
    .with("copy", copy.display().to_string())
}

/// A migration's failure: a damaged file said as such, anything else as before.
fn migration_error(e: sqlx::migrate::MigrateError) -> Error {
    match e {
        sqlx::migrate::MigrateError::Execute(db) => db.into(),
        other => other.into(),
    }
}

fn refuse_empty(path: &Path) -> Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
        return Err(Error::config(
            "journal.empty_file",
            format!(
                "the journal {} is empty (0 bytes): it was cut short. Restore it from a backup, or move it away to start a new journal",
                path.display()
            ),
        )
        .with("path", path.display().to_string()));
    }
    Ok(())
}

fn not_found(id: &str) -> Error {
    Error::invalid("order.not_found", format!("no order `{id}` in the journal")).with("id", id)
}

fn validate_new(new: &NewOrder) -> Result<()> {
    if new.quantity == 0 {
        return Err(Error::invalid("order.bad_quantity", "quantity must be at least 1"));
    }
    let bounded = |c: Option<i64>| c.is_none_or(|c| (0..=import::MAX_CENTS).contains(&c));
    if !bounded(Some(new.amount_cents)) || !bounded(new.cost_cents) || !bounded(new.fees_cents) {
        return Err(Error::invalid(
            "order.bad_amount",
            "amounts are from 0 to 1,000,000,000.00",
        ));
    }
    if new.currency.len() != 3 || !new.currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(
            Error::invalid("order.bad_currency", "currency must be an ISO 4217 code such as EUR")
                .with("value", new.currency.clone()),
        );
    }
    // What the import would refuse is never written: the shop's own
    // export always restores (the same rule, `types::text::check`).
    use crate::types::text::{check, CUSTOMER_MAX, NAME_MAX};
    let fields = [
        ("product_name", Some(new.product_name.as_str()), NAME_MAX),
        ("product_id", new.product_id.as_deref(), 120),
        ("customer_ref", new.customer_ref.as_deref(), CUSTOMER_MAX),
        ("phone", new.phone.as_deref(), 32),
        ("sim_id", new.sim_id.as_deref(), 32),
    ];
    for (label, v, max) in fields {
        if let Some(v) = v {
            check(label, v, max, false).map_err(|why| Error::invalid("order.bad_text", why).with("field", label))?;
        }
    }
    Ok(())
}

async fn append_event(
    conn: &mut sqlx::SqliteConnection,
    id: &str,
    event: &str,
    from: Option<OrderStatus>,
    to: Option<OrderStatus>,
    message: &str,
    cashier: Option<String>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO order_events (order_id, at, event, from_status, to_status, message, cashier) VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(now_rfc3339())
    .bind(event)
    .bind(from.map(OrderStatus::as_str))
    .bind(to.map(OrderStatus::as_str))
    .bind(message)
    .bind(cashier)
    .execute(conn)
    .await?;
    Ok(())
}

fn push_filter<'a>(q: &mut sqlx::QueryBuilder<'a, sqlx::Sqlite>, filter: &'a OrderFilter) {
    if let Some(text) = filter.search.as_deref().and_then(fts_query) {
        q.push(" AND rowid IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ")
            .push_bind(text)
            .push(")");
    }
    push_fields(q, filter);
}

/// The filter's conditions on the orders' own columns (all but the search).
fn push_fields<'a>(q: &mut sqlx::QueryBuilder<'a, sqlx::Sqlite>, filter: &'a OrderFilter) {
    if let Some(p) = filter.provider {
        q.push(" AND provider = ").push_bind(p.as_str());
    }
    if let Some(k) = filter.kind {
        q.push(" AND kind = ").push_bind(k.as_str());
    }
    if let Some(s) = filter.status {
        q.push(" AND status = ").push_bind(s.as_str());
    }
    if let Some(from) = filter.from {
        q.push(" AND created_at >= ").push_bind(local_midnight_utc(from));
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        q.push(" AND created_at < ").push_bind(local_midnight_utc(to));
    }
    if let Some(t) = filter.training {
        q.push(" AND training = ").push_bind(t);
    }
    if let Some(c) = filter.cashier.as_deref() {
        q.push(" AND cashier = ").push_bind(c);
    }
}

/// The shop thinks in local days; the journal stores UTC.
pub fn local_midnight_utc(day: NaiveDate) -> String {
    let naive = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    let local: DateTime<Local> = Local
        .from_local_datetime(&naive)
        .earliest()
        .unwrap_or_else(|| Local.from_utc_datetime(&naive));
    local.with_timezone(&Utc).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Turns what the cashier typed into an FTS5 query: every word must match
/// as a prefix, and FTS syntax characters are taken literally. A phone
/// number typed as people write it (`06 84 58`, `+33 6 84`) is one word, and
/// also matches without its national 0 or its country code, since lines are
/// stored as the providers keep them (`684587587`).
pub fn fts_query(text: &str) -> Option<String> {
    let quoted = |w: &str| format!("\"{}\"*", w.replace('"', "\"\""));
    let compact: String = text.split_whitespace().collect();
    let number = compact.strip_prefix('+').unwrap_or(&compact);
    if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
        let mut forms = vec![compact.clone()];
        for prefix in ["+33", "+34", "0033", "0034", "0"] {
            if let Some(rest) = compact.strip_prefix(prefix).filter(|r| !r.is_empty()) {
                forms.push(rest.to_string());
            }
        }
        forms.dedup();
        let alternatives: Vec<String> = forms.iter().map(|f| quoted(f)).collect();
        return Some(format!("({})", alternatives.join(" OR ")));
    }
    let terms: Vec<String> = text.split_whitespace().map(quoted).collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

pub(super) fn order_from_row(r: &SqliteRow) -> Result<Order> {
    Ok(Order {
        id: r.get("id"),
        provider: r.get::<&str, _>("provider").parse()?,
        kind: r.get::<&str, _>("kind").parse()?,
        status: r.get::<&str, _>("status").parse()?,
        provider_ref: r.get("provider_ref"),
        product_id: r.get("product_id"),
        product_name: r.get("product_name"),
        quantity: r.get::<i64, _>("quantity") as u32,
        customer_ref: r.get("customer_ref"),
        phone: r.get("phone"),
        sim_id: r.get("sim_id"),
        iccid: r.get("iccid"),
        amount_cents: r.get("amount_cents"),
        cost_cents: r.get("cost_cents"),
        fees_cents: r.get("fees_cents"),
        currency: r.get("currency"),
        training: r.get("training"),
        details: serde_json::from_str(r.get::<&str, _>("details")).unwrap_or_default(),
        created_at: r.get("created_at"),
        updated_at: r.get("updated_at"),
        cashier: r.get("cashier"),
    })
}

#[cfg(test)]
mod tests;
