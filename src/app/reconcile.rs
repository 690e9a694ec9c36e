//! Reconciliation: every order whose outcome is not known yet (`pending`,
//! `unknown`, `processing`) is asked about at its provider, through the
//! registry, and the answer recorded. Never buys.

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::OrderStatus;
use crate::{registry, sale};
use serde::Serialize;

/// What reconciliation did to one order.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Settled {
    pub order: String,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub provider_ref: Option<String>,
}

/// An order reconciliation could not settle, and why.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct NotSettled {
    pub order: String,
    pub error: Error,
}

/// What a reconciliation did: the orders it settled, and those it could not
/// ask about (they stay as they were, to be asked again).
#[derive(ts_rs::TS, Debug, Clone, Default, Serialize)]
pub struct Reconciled {
    pub settled: Vec<Settled>,
    pub unsettled: Vec<NotSettled>,
    /// Till receipts whose last open line this run delivered or refunded.
    pub receipts: Vec<String>,
}

/// Why this run cannot judge an order made in the other mode: a live order
/// is never asked about at the simulator, nor a training one at the real
/// provider. It stays as it was, named, for a run in its own mode.
fn other_mode(app: &Comptoir, order: &crate::journal::Order) -> Result<Option<Error>> {
    let training = match app.mode(order.provider) {
        Ok(mode) => matches!(mode, crate::config::Mode::Training),
        Err(_) => return Ok(None), // the provider's own error comes when it is asked
    };
    if order.training == training {
        return Ok(None);
    }
    let (this, other) = if training {
        ("training", "live")
    } else {
        ("live", "training")
    };
    Ok(Some(
        Error::unavailable(
            "reconcile.other_mode",
            format!(
                "order {} was made {other}; this run is {this}: run `comptoir reconcile`{} to settle it",
                order.id,
                if order.training {
                    " --training"
                } else {
                    " without --training"
                }
            ),
        )
        .with("order", order.id.clone())
        .with("mode", other),
    ))
}

/// Asks the provider about every `pending`, `unknown` or `processing` order
/// and records what it says. An order the provider has no trace of is
/// `failed` (it did not happen; the cashier may sell it again). Never buys.
/// An order whose provider cannot answer is reported and left as it was;
/// the others are settled all the same.
pub async fn reconcile(app: &Comptoir) -> Result<Reconciled> {
    app.require(crate::accounts::Right::Manage, None).await?;
    settle_all(app).await
}

/// The window's own reconciliation, at start and in the background: it
/// only records what the providers say about open orders, so it needs no
/// cashier's right (a cashier's window must still settle its sales).
pub async fn settle_all(app: &Comptoir) -> Result<Reconciled> {
    let mut done = Reconciled::default();
    let mut askers = registry::Askers::default();
    let mut down = registry::Down::new();
    for order in app.journal.unsettled().await? {
        if order.status == OrderStatus::Pending && sale::in_flight(&order) {
            continue; // its request may still be on its way: not ours to judge yet
        }
        if let Some(e) = down.get(&order.provider) {
            done.unsettled.push(NotSettled {
                order: order.id.clone(),
                error: e.clone(),
            });
            continue;
        }
        if let Some(e) = other_mode(app, &order)? {
            done.unsettled.push(NotSettled {
                order: order.id.clone(),
                error: e,
            });
            continue;
        }
        match registry::reconcile_one(app, &mut askers, &order).await {
            Ok(Some(to)) if to.status != order.status => done.settled.push(Settled {
                order: order.id,
                from: order.status,
                to: to.status,
                provider_ref: to.provider_ref,
            }),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(order = %order.id, code = %e.code, "reconciliation could not settle the order");
                if registry::is_down(&e) {
                    down.insert(order.provider, e.clone());
                }
                done.unsettled.push(NotSettled {
                    order: order.id,
                    error: e,
                });
            }
        }
    }
    // A receipt's line settled above is delivered, or failed and given back now.
    for r in super::till::settle_open(app).await? {
        if r.settled {
            done.receipts.push(r.number);
        }
    }
    Ok(done)
}
