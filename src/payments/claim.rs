//! One process at a time acts on an authorized payment: delivering what it
//! paid for, confirming or cancelling it. Two confirms of one payment (a
//! double click, the window's return listener beside `pay confirm`, two
//! counters) once each bought the product; a cancel during a delivery left
//! a delivered product on a payment the customer was never billed for.
//! The claim is taken in the journal (one writer wins, durably) before
//! anything is delivered, and the loser is told who holds it.

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::{Claim, Claimed, Order};

/// Holds the payment `order` for this process, or says it is being handled.
/// How long a confirm or cancel waits for another holder to finish (a
/// reconciliation deciding, the other click of a double click) before
/// saying the payment is being handled.
const WAIT: std::time::Duration = std::time::Duration::from_secs(3);

pub async fn take(app: &Comptoir, order: &Order) -> Result<Claim> {
    let start = std::time::Instant::now();
    loop {
        match app.journal.claim(&subject(&order.id)).await? {
            Claimed::Won(c) => return Ok(c),
            Claimed::HeldBy(_) if start.elapsed() < WAIT => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            Claimed::HeldBy(holder) => {
                let linked = super::linked_order(app, order).await.ok().flatten();
                let pid = holder.get("pid").and_then(|p| p.as_u64());
                return Err(in_progress(order, pid, linked.as_ref()));
            }
        }
    }
}

/// Runs `act` holding the payment's claim (taken as `take` does), and lets
/// go whatever it returned.
pub async fn holding<T>(app: &Comptoir, order: &Order, act: impl AsyncFnOnce() -> Result<T>) -> Result<T> {
    let held = take(app, order).await?;
    let result = act().await;
    release(app, held).await;
    result
}

/// Lets go; a failure to let go only delays the next confirm until this
/// process has ended (a dead holder is taken over), so it is logged, not raised.
pub async fn release(app: &Comptoir, claim: Claim) {
    if let Err(e) = app.journal.release(&claim).await {
        tracing::warn!(subject = %claim.subject, code = %e.code, "claim not released");
    }
}

/// Whether another live process is acting on the payment now (reconcile
/// leaves it to them).
pub async fn busy(app: &Comptoir, order: &Order) -> Result<Option<Claim>> {
    match app.journal.claim(&subject(&order.id)).await? {
        Claimed::Won(c) => Ok(Some(c)),
        Claimed::HeldBy(_) => Ok(None),
    }
}

fn subject(payment: &str) -> String {
    format!("payment:{payment}")
}

fn in_progress(order: &Order, pid: Option<u64>, linked: Option<&Order>) -> Error {
    let who = pid.map_or_else(|| "another window or command".to_string(), |p| format!("process {p}"));
    let mut e = Error::invalid(
        "internet_plus.delivery_in_progress",
        match linked {
            Some(l) => format!(
                "payment {} is already being delivered by {who} (order {}, {}): wait for it, then look at the order",
                order.id, l.id, l.status
            ),
            None => format!(
                "payment {} is already being delivered by {who}: wait for it, then look at the payment",
                order.id
            ),
        },
    )
    .with("order", order.id.clone());
    if let Some(l) = linked {
        e = e.with("delivered_order", l.id.clone());
    }
    e
}
