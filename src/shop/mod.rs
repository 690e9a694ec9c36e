//! Several counters, one shop: each counter writes to its own SQLite
//! journal first and shares it with the shop's PostgreSQL database when it
//! can. The counter's side is the outbox (`outbox`), what is shared is one
//! table (`topics`), and the shop's side is `postgres`. Both journals answer
//! the same questions through one trait, `journal::Ledger`: the counter's
//! own when offline, the shop's when asked for `--everywhere`.
//!
//! A push is never on a sale's path: the window pushes in the background,
//! a command after its work, within a few seconds, and a database that
//! does not answer only leaves the outbox waiting.

pub mod outbox;
pub mod postgres;
pub mod register;
pub mod search;
pub mod topics;

use crate::error::Result;
use crate::journal::Journal;
use serde::Serialize;
use std::time::{Duration, Instant};

pub use postgres::{Conflict, Received, Shop};
pub use register::CounterKey;

pub use crate::settings::DATABASE_URL;
/// The keyring secret holding its password.
pub const PASSWORD_SECRET: &str = "shop.database_password";
/// The environment variable that overrides the setting (its URL may hold
/// the password: it is never written anywhere).
pub const DATABASE_ENV: &str = "COMPTOIR_DATABASE_URL";

/// Where this counter shares, and as whom.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub password: Option<String>,
    pub counter: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("database", &shown_url(&self.url))
            .field("counter", &self.counter)
            .finish_non_exhaustive()
    }
}

/// The URL as a person may see it: without any password.
pub fn shown_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(None);
            }
            u.to_string()
        }
        Err(_) => "(not a URL)".into(),
    }
}

/// What `share status` says.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ShareStatus {
    pub counter: String,
    /// The database without its password; None: this counter works alone.
    pub database: Option<String>,
    pub reachable: bool,
    #[ts(type = "number")]
    pub unsent: i64,
    pub oldest_unsent_at: Option<String>,
    /// Sales (orders) among what waits, and when the oldest was queued:
    /// what the window's badge says.
    #[ts(type = "number")]
    pub unsent_sales: i64,
    pub oldest_unsent_sale_at: Option<String>,
    pub last_push_at: Option<String>,
    /// Conflicts this counter's pushes left for the owner (as last known).
    #[ts(type = "number")]
    pub conflicts: i64,
    /// Why the database could not be reached, in words.
    pub problem: Option<String>,
}

/// What one push sent.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Pushed {
    /// Outbox entries let go.
    pub sent: usize,
    pub received: Received,
    /// Entries still waiting (the time ran out, or none could be sent).
    pub unsent: i64,
}

/// Connects to the shop's database within `wait`.
pub async fn connect(target: &Target, wait: Duration) -> Result<Shop> {
    match tokio::time::timeout(wait, Shop::connect(&target.url, target.password.as_deref(), wait)).await {
        Ok(shop) => shop,
        Err(_) => Err(postgres::unreachable("no answer in time")),
    }
}

/// One pool of connections to the shop's database for as long as the
/// process runs, for the window's searches and reports: connecting and
/// checking the schema each time cost a search several milliseconds (the
/// phone search's p95 missed its target by them, `make bench`). A pool whose
/// server restarted reconnects by itself (sqlx tests a connection before
/// lending it); another target (the settings changed) gets a new pool.
#[derive(Default)]
pub struct Pools(tokio::sync::Mutex<Option<(Target, Shop)>>);

impl Pools {
    pub async fn get(&self, target: &Target, wait: Duration) -> Result<Shop> {
        let mut held = self.0.lock().await;
        if let Some((t, shop)) = held.as_ref() {
            if t == target && !shop.pool().is_closed() {
                return Ok(shop.clone());
            }
        }
        let shop = connect(target, wait).await?;
        if let Some((_, old)) = held.replace((target.clone(), shop.clone())) {
            old.pool().close().await;
        }
        Ok(shop)
    }
}

/// Pushes what waits, batch after batch, until the outbox is empty or
/// `budget` is spent. Every batch is committed there before it is let go
/// here: stopped anywhere, nothing is lost, and what is sent again is
/// found the same.
pub async fn push(journal: &Journal, target: &Target, public_key: Option<&str>, budget: Duration) -> Result<Pushed> {
    let start = Instant::now();
    outbox::start(journal).await?;
    let shop = connect(target, budget.min(Duration::from_secs(5))).await?;
    let mut pushed = Pushed::default();
    loop {
        let batch = outbox::batch(journal, &target.counter, 2000).await?;
        if batch.entries == 0 {
            break;
        }
        let got = shop.receive(&target.counter, public_key, &batch).await?;
        outbox::done(journal, batch.last).await?;
        pushed.sent += batch.entries;
        pushed.received.inserted += got.inserted;
        pushed.received.updated += got.updated;
        pushed.received.same += got.same;
        pushed.received.conflicts += got.conflicts;
        if start.elapsed() >= budget {
            break;
        }
    }
    let conflicts = shop.conflicts(Some(&target.counter)).await?.len();
    outbox::set_state(journal, "conflicts", &conflicts.to_string()).await?;
    shop.pool().close().await;
    pushed.unsent = outbox::waiting(journal).await?.0;
    Ok(pushed)
}

/// Where this counter stands: what waits, and whether the database answers
/// (asked within `wait`; without one, as the last push found it, which
/// costs no connection: the window asks every few seconds).
pub async fn status(
    journal: &Journal,
    target: Option<&Target>,
    counter: &str,
    wait: Option<Duration>,
) -> Result<ShareStatus> {
    let (unsent, oldest) = outbox::waiting(journal).await?;
    let (unsent_sales, oldest_sale) = outbox::waiting_sales(journal).await?;
    let last_error = outbox::state(journal, "last_error").await?.filter(|e| !e.is_empty());
    let mut status = ShareStatus {
        counter: counter.to_string(),
        database: target.map(|t| shown_url(&t.url)),
        reachable: false,
        unsent,
        oldest_unsent_at: oldest,
        unsent_sales,
        oldest_unsent_sale_at: oldest_sale,
        last_push_at: outbox::state(journal, "last_push_at").await?,
        conflicts: outbox::state(journal, "conflicts")
            .await?
            .and_then(|c| c.parse().ok())
            .unwrap_or(0),
        problem: None,
    };
    let Some(wait) = wait else {
        status.reachable = target.is_some() && last_error.is_none() && status.last_push_at.is_some();
        status.problem = target.and(last_error);
        return Ok(status);
    };
    if let Some(t) = target {
        match connect(t, wait).await {
            Ok(shop) => {
                status.reachable = true;
                status.conflicts = shop.conflicts(Some(&t.counter)).await?.len() as i64;
                shop.pool().close().await;
            }
            Err(e) => status.problem = Some(e.message.clone()),
        }
    }
    Ok(status)
}
