//! What the counter does with an authorized Internet+ payment: deliver what
//! the offer sells (through its provider's sale flow, chosen by the
//! registry), then confirm, so the customer is billed only for what they
//! got; if the delivery fails, cancel, so they are not billed for nothing.
//!
//! Confirm and cancel hold the payment's claim (`payments::claim`) while
//! they act: a second confirm or a cancel meanwhile is refused, and each
//! reads the payment again once it holds the claim, so nothing is
//! delivered twice and nothing delivered is left on a cancelled payment.

use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{Order, OrderStatus, StatusUpdate};
use crate::payments::{self, claim};
use crate::registry;

/// `pay confirm ID`: the linked product first when the offer sells one not
/// delivered yet, then W-HA's confirmation. Returns the payment's order.
pub async fn confirm(app: &Comptoir, id: &str) -> Result<Order> {
    let order = payments::find(app, id).await?;
    let confirmed = claim::holding(app, &order, async || confirm_held(app, &order.id).await).await?;
    // Counted at the till with the other means of payment.
    super::till::record_internet_plus(app, &confirmed).await?;
    app.journal.get(&confirmed.id).await
}

/// The confirmation, the claim held: the payment as it is now.
async fn confirm_held(app: &Comptoir, id: &str) -> Result<Order> {
    let order = app.journal.get(id).await?;
    let Some(sells) = payments::sells(&order) else {
        return payments::confirm(app, &order).await;
    };
    let linked = payments::linked_order(app, &order).await?;
    if order.status != OrderStatus::Processing {
        if let Some(l) = linked.filter(|l| l.status == OrderStatus::Delivered) {
            return Err(already_delivered(&order, &l));
        }
        // Let the payment's own rules explain (not authorized, too late...).
        return payments::confirm(app, &order).await;
    }
    let delivered = match linked {
        Some(linked) => linked,
        None => match registry::deliver(app, &sells, order.customer_ref.clone(), &order.id).await {
            Ok(linked) => linked,
            Err(e) if e.kind == ErrorKind::UnknownOutcome => return Err(not_yet(&order, e)),
            Err(e) => return cancel_after(app, &order, e).await,
        },
    };
    match delivered.status {
        OrderStatus::Delivered => {
            // Read again: only a payment still authorized is confirmed.
            let now = app.journal.get(id).await?;
            if now.status != OrderStatus::Processing {
                return Err(changed_meanwhile(&now, &delivered));
            }
            let update = StatusUpdate {
                details: Some(serde_json::json!({"delivered_order": delivered.id})),
                message: format!("paid for order {}", delivered.id),
                ..Default::default()
            };
            let now = app.journal.set_status(id, now.status, update).await?;
            payments::confirm(app, &now).await
        }
        OrderStatus::Failed | OrderStatus::Cancelled => {
            let e = Error::new(
                ErrorKind::Refused,
                "internet_plus.not_delivered",
                format!("order {} was not delivered", delivered.id),
            );
            cancel_after(app, &order, e).await
        }
        _ => Err(not_yet(
            &order,
            Error::new(
                ErrorKind::UnknownOutcome,
                "provider.outcome_unknown",
                format!("order {} is still {}", delivered.id, delivered.status),
            ),
        )),
    }
}

/// `pay cancel ID`: refused while a delivery is in flight (the claim) and
/// once a product was delivered or may have been (its order is not
/// failed): the customer would keep it unbilled.
pub async fn cancel(app: &Comptoir, id: &str) -> Result<Order> {
    app.require(crate::accounts::Right::Manage, Some(id)).await?;
    let order = payments::find(app, id).await?;
    claim::holding(app, &order, async || cancel_held(app, &order.id).await).await
}

async fn cancel_held(app: &Comptoir, id: &str) -> Result<Order> {
    let order = app.journal.get(id).await?;
    if let Some(l) = payments::linked_order(app, &order).await? {
        if !matches!(l.status, OrderStatus::Failed | OrderStatus::Cancelled) {
            return Err(Error::invalid(
                "internet_plus.cancel_delivered",
                format!(
                    "payment {} paid for order {} ({}): it cannot be cancelled; confirm it, or refund it once confirmed",
                    order.id, l.id, l.status
                ),
            )
            .with("order", order.id.clone())
            .with("delivered_order", l.id.clone()));
        }
    }
    payments::cancel(app, &order, "cancelled by the shop").await
}

fn already_delivered(order: &Order, linked: &Order) -> Error {
    Error::invalid(
        "internet_plus.already_delivered",
        format!(
            "payment {} was already delivered as order {} and is {}: nothing was done again",
            order.id, linked.id, order.status
        ),
    )
    .with("order", order.id.clone())
    .with("delivered_order", linked.id.clone())
}

/// The payment moved while its product was delivered (W-HA's 24 hours, a
/// reconcile elsewhere): the delivered order is named for the shop to decide.
fn changed_meanwhile(payment: &Order, delivered: &Order) -> Error {
    Error::new(
        ErrorKind::Refused,
        "internet_plus.changed_during_delivery",
        format!(
            "order {} was delivered, but payment {} is now {}: the customer was not billed through it; take the payment another way or refund the product",
            delivered.id, payment.id, payment.status
        ),
    )
    .with("order", payment.id.clone())
    .with("delivered_order", delivered.id.clone())
}

/// The delivery's outcome is not known yet: the payment stays authorized,
/// neither confirmed nor cancelled, until reconciliation knows.
fn not_yet(order: &Order, e: Error) -> Error {
    Error::new(
        ErrorKind::UnknownOutcome,
        "internet_plus.delivery_unknown",
        format!(
            "the product paid by {} may or may not have been delivered ({}): the payment is left authorized; `comptoir reconcile` will confirm or cancel it",
            order.id, e.message
        ),
    )
    .with("order", order.id.clone())
}

/// Delivery failed: the payment is cancelled and the delivery's error said.
async fn cancel_after(app: &Comptoir, order: &Order, e: Error) -> Result<Order> {
    tracing::warn!(order = %order.id, code = %e.code, "delivery failed: cancelling the payment");
    payments::cancel(app, order, "what it paid for could not be delivered").await?;
    Err(Error::new(
        ErrorKind::Refused,
        "internet_plus.cancelled_undelivered",
        format!(
            "the product could not be delivered ({}); the payment was cancelled: the customer is not billed",
            e.message
        ),
    )
    .with("order", order.id.clone())
    .with("reason", e.code))
}

/// The window's whole flow once the return arrives: record it, then, on
/// success, deliver and confirm.
pub async fn complete(app: &Comptoir, return_url: &str) -> Result<Order> {
    let order = payments::accept_return(app, return_url).await?;
    if order.status != OrderStatus::Processing {
        return Ok(order);
    }
    confirm(app, &order.id).await
}
