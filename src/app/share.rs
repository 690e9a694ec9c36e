//! Sharing this counter's journal with the shop's database (`shop`): where
//! it is (the environment, else the settings and the keyring), pushing,
//! and reading every counter's orders and reports.

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::OrderFilter;
use crate::report::Report;
use crate::shop::{self, search::SharedOrder, Pushed, ShareStatus};
use chrono::NaiveDate;
use serde::Serialize;
use std::time::Duration;

/// How long a command waits for the shop's database after its work.
pub const AFTER_COMMAND: Duration = Duration::from_secs(2);

pub use crate::counters::target;

/// Prepares a counter that shares: new ids carry its code, and its
/// outbox is on (with its history queued the first time).
pub async fn arm(app: &Comptoir) -> Result<()> {
    // Without a counter code the shells refuse to sell (`target`), but the
    // installation still opens, so that the code can be set.
    if let Ok(Some(t)) = target(app) {
        crate::journal::set_id_counter(Some(&t.counter));
        shop::outbox::start(&app.journal).await?;
    }
    Ok(())
}

/// Pushes what waits, for at most `budget` (the database must be set).
/// Its failure is kept, for the window's badge and `share status`.
pub async fn push(app: &Comptoir, budget: Duration) -> Result<Pushed> {
    let Some(t) = target(app)? else {
        return Err(no_database());
    };
    let key = crate::register::public_key(app).ok();
    let pushed = shop::push(&app.journal, &t, key.as_deref(), budget).await;
    let said = match &pushed {
        Ok(_) => String::new(),
        Err(e) => e.message.clone(),
    };
    shop::outbox::set_state(&app.journal, "last_error", &said).await?;
    pushed
}

/// How often the window looks for something to share: a sale is in the
/// shop's database about this long after it is written (plus the push
/// itself), so another counter finds it within two seconds. Looking costs
/// one count of the outbox.
pub const BACKGROUND_EVERY: Duration = Duration::from_secs(1);

/// The window's pusher, for as long as the window runs (never on a sale's
/// path: the sale only wrote its outbox entry).
pub async fn keep_pushing(app: &Comptoir) {
    loop {
        push_in_background(app).await;
        tokio::time::sleep(BACKGROUND_EVERY).await;
    }
}

/// In the window, every second: what waits goes when it can, and a
/// database that does not answer is only remembered.
pub async fn push_in_background(app: &Comptoir) {
    if !matches!(target(app), Ok(Some(_))) {
        return;
    }
    match shop::outbox::waiting(&app.journal).await {
        Ok((0, _)) | Err(_) => {}
        Ok(_) => {
            if let Err(e) = push(app, Duration::from_secs(3)).await {
                tracing::info!(code = %e.code, "background push: {}", e.message);
            }
        }
    }
}

/// Before the till closes, what waits goes first (for a moment), so the
/// shop's report holds this counter's day: the sales still waiting after
/// it, when a database is set and some do.
pub async fn push_before_close(app: &Comptoir) -> Option<i64> {
    if !matches!(target(app), Ok(Some(_))) {
        return None;
    }
    if let Err(e) = push(app, AFTER_COMMAND).await {
        tracing::warn!(code = %e.code, "push before the till's close: {}", e.message);
    }
    match shop::outbox::waiting_sales(&app.journal).await {
        Ok((n, _)) if n > 0 => Some(n),
        _ => None,
    }
}

/// The outbox's last entry (0: empty), to tell whether a command wrote.
pub async fn outbox_mark(app: &Comptoir) -> i64 {
    shop::outbox::last(&app.journal).await.unwrap_or(0)
}

/// After a command that wrote: pushes for a moment, never failing it.
/// Returns what to tell the cashier when something still waits.
pub async fn push_after(app: &Comptoir) -> Option<String> {
    match target(app) {
        Ok(Some(_)) => {}
        _ => return None,
    }
    match push(app, AFTER_COMMAND).await {
        Ok(p) if p.unsent == 0 => None,
        Ok(p) => Some(format!(
            "{} records still wait to be shared; they will go with the next push",
            p.unsent
        )),
        Err(e) => {
            tracing::warn!(code = %e.code, "push after the command: {}", e.message);
            let (n, _) = shop::outbox::waiting(&app.journal).await.unwrap_or_default();
            Some(format!("not shared yet ({n} records wait here): {}", e.message))
        }
    }
}

/// Where this counter stands; `check`: asks the database now (within 3 s).
pub async fn status(app: &Comptoir, check: bool) -> Result<ShareStatus> {
    let t = target(app)?;
    let wait = check.then_some(Duration::from_secs(3));
    shop::status(&app.journal, t.as_ref(), &crate::till::counter(app)?, wait).await
}

fn no_database() -> Error {
    Error::invalid(
        "share.no_database",
        "no shop database is set: this counter works alone (set COMPTOIR_DATABASE_URL or shop.database_url)",
    )
}

async fn shop(app: &Comptoir) -> Result<shop::Shop> {
    let Some(t) = target(app)? else {
        return Err(no_database());
    };
    app.shop.get(&t, Duration::from_secs(3)).await
}

/// Every counter's orders, or this counter's own when the database cannot
/// be reached (said in `offline`).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct Everywhere {
    pub orders: Vec<SharedOrder>,
    /// Matches counted up to the page's cap + 1.
    #[ts(type = "number")]
    pub count: i64,
    /// Why only this counter's orders are shown (None: every counter's).
    pub offline: Option<String>,
}

pub async fn orders_everywhere(app: &Comptoir, filter: &OrderFilter) -> Result<Everywhere> {
    // The database may stop under the kept pool as well as refuse to
    // connect: either way this counter's own orders are shown.
    let shared = async {
        let s = shop(app).await?;
        // The page and its count side by side, on two of the pool's
        // connections: the search's time is the longer of the two.
        tokio::try_join!(s.orders(filter), s.count_up_to(filter, 10_000))
    };
    match shared.await {
        Ok((orders, count)) => Ok(Everywhere {
            orders,
            count,
            offline: None,
        }),
        Err(e) if e.code == "share.unreachable" => {
            let counter = crate::till::counter(app)?;
            let orders = app.journal.list(filter).await?;
            Ok(Everywhere {
                count: app.journal.count_up_to(filter, 10_000).await?,
                orders: orders
                    .into_iter()
                    .map(|order| SharedOrder {
                        counter: counter.clone(),
                        order,
                    })
                    .collect(),
                offline: Some(e.message),
            })
        }
        Err(e) => Err(e),
    }
}

/// The shop's report: every counter's sales, by counter and by cashier.
pub async fn report_everywhere(
    app: &Comptoir,
    from: NaiveDate,
    to: NaiveDate,
    cashier: Option<String>,
) -> Result<Report> {
    let s = shop(app).await?;
    crate::report::report_for(&s, from, to, cashier).await
}

/// `comptoir register verify --everywhere`: every counter's register as the
/// shop's database holds it, chained and signed by the key each counter
/// pushed. This counter's records go first (briefly), so they are in it.
#[derive(Debug, Clone, Serialize)]
pub struct VerifiedEverywhere {
    pub records: i64,
    /// Records per chain, every counter's together (as `verify` says them).
    pub chains: std::collections::BTreeMap<String, i64>,
    pub counters: Vec<crate::register::verify::CounterVerified>,
    pub ok: bool,
}

pub async fn verify_everywhere(app: &Comptoir) -> Result<VerifiedEverywhere> {
    if let Err(e) = push(app, AFTER_COMMAND).await {
        tracing::warn!(code = %e.code, "push before verifying everywhere: {}", e.message);
    }
    let s = shop(app).await?;
    let found = verify_each(&s).await;
    // A defect found at another counter is recorded here too: the owner's
    // verification is itself part of this counter's register.
    if let Err(e) = &found {
        if e.kind == crate::error::ErrorKind::Tampered {
            let details =
                serde_json::json!({"code": e.code, "params": e.params, "message": e.message, "everywhere": true});
            if let Err(w) = crate::register::event(app, "integrity_defect", details).await {
                tracing::error!(code = %w.code, "the defect found could not be recorded");
            }
        }
    }
    found
}

async fn verify_each(s: &shop::Shop) -> Result<VerifiedEverywhere> {
    let mut counters = Vec::new();
    for c in s.counter_keys().await? {
        counters.push(crate::register::verify::verify_shared(s, &c).await?);
    }
    let mut chains = std::collections::BTreeMap::new();
    for (chain, n) in counters.iter().flat_map(|c| &c.chains) {
        *chains.entry(chain.clone()).or_insert(0) += n;
    }
    Ok(VerifiedEverywhere {
        chains,
        records: counters.iter().map(|c| c.records).sum(),
        counters,
        ok: true,
    })
}
