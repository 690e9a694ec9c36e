//! This counter among the shop's others: where it shares (`target`), and a
//! sale made at another counter, read from the shop's database when a
//! customer comes back here for its QR code or its vouchers (`sold`).
//!
//! Another counter's sale is read, never copied into this journal: it stays
//! that counter's, and what this counter does with it (a reveal, a print)
//! is recorded in this counter's register, naming the counter that sold it.

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::Order;
use crate::shop::{self, Target};
use std::time::Duration;

/// How long a reprint waits for the shop's database.
const WAIT: Duration = Duration::from_secs(3);

/// Where this counter shares, if anywhere. A database without a counter
/// code is refused (exit 2): receipts and records would not say whose.
pub fn target(app: &Comptoir) -> Result<Option<Target>> {
    let from_env = std::env::var(shop::DATABASE_ENV).ok().filter(|u| !u.trim().is_empty());
    let url = match from_env {
        Some(u) => u,
        None => match app.settings()?.get_str(shop::DATABASE_URL) {
            Some(u) => u.to_string(),
            None => return Ok(None),
        },
    };
    let has_counter = std::env::var("COMPTOIR_COUNTER").is_ok_and(|c| !c.is_empty())
        || app.settings()?.get_str(crate::settings::COUNTER_ID).is_some();
    if !has_counter {
        return Err(Error::invalid(
            "share.no_counter",
            "a shop database is set but this counter has no code: give it one, unique in the shop (comptoir config set counter.id C2)",
        ));
    }
    let password = match url::Url::parse(&url) {
        Ok(u) if u.password().is_some() => None,
        _ => app
            .secrets()
            .get(shop::PASSWORD_SECRET)?
            .map(|s| s.expose().to_string()),
    };
    Ok(Some(Target {
        url,
        password,
        counter: crate::till::counter(app)?,
    }))
}

/// A sale as a reprint needs it: the order, its sealed secrets, and the
/// counter that sold it when it is not this one.
pub struct Sold {
    pub order: Order,
    pub sealed: Option<String>,
    /// `Some(counter)` for another counter's sale, read from the shop.
    pub elsewhere: Option<String>,
}

/// The sale `id`: from this counter's journal, else (when the counter
/// shares a database) from the shop's. Not found anywhere, or the database
/// out of reach, says so.
pub async fn sold(app: &Comptoir, id: &str) -> Result<Sold> {
    match app.journal.get(id).await {
        Ok(order) => Ok(Sold {
            sealed: app.journal.sealed(id).await?,
            order,
            elsewhere: None,
        }),
        Err(e) if e.code == "order.not_found" => {
            let Some(target) = target(app)? else { return Err(e) };
            // On the process's kept pool: a reprint reads the sale for its
            // ticket and again for its sections, one query each.
            let shop = app.shop.get(&target, WAIT).await?;
            match shop.order(id).await? {
                Some((shared, sealed)) => Ok(Sold {
                    order: shared.order,
                    sealed,
                    elsewhere: Some(shared.counter),
                }),
                None => Err(Error::invalid(
                    "order.not_found_anywhere",
                    format!("no order `{id}` at this counter nor in the shop's database"),
                )
                .with("id", id)),
            }
        }
        Err(e) => Err(e),
    }
}

/// Records what this counter revealed of a sale: in the order's history
/// when the sale is this counter's, in the register when another counter's.
pub async fn note_reveal(app: &Comptoir, sold: &Sold, message: &str) -> Result<()> {
    match &sold.elsewhere {
        None => app.journal.note(&sold.order.id, "reveal", message).await,
        Some(counter) => {
            let details = serde_json::json!({"order": sold.order.id, "sold_at": counter, "what": message});
            crate::register::event(app, "reveal", details).await
        }
    }
}
