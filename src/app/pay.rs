//! What the counter does with an authorized Internet+ payment: deliver what
//! the offer sells (through its provider's sale flow, chosen by the
//! registry), then confirm, so the customer is billed only for what they
//! got; if the delivery fails, cancel, so they are not billed for nothing.

use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{Order, OrderStatus};
use crate::payments::{self, offers::Sells};
use crate::registry;

/// `pay confirm ID`: the linked product first when the offer sells one not
/// delivered yet, then W-HA's confirmation. Returns the payment's order.
pub async fn confirm(app: &Comptoir, id: &str) -> Result<Order> {
    let order = payments::find(app, id).await?;
    let sells: Option<Sells> = order
        .details
        .get("sells")
        .and_then(|v| serde_json::from_value(v.clone()).ok());
    let Some(sells) = sells else {
        return payments::confirm(app, &order).await;
    };
    if order.status != OrderStatus::Processing {
        // Let the payment's own rules explain (not authorized, too late...).
        return payments::confirm(app, &order).await;
    }
    let delivered = match payments::linked_order(app, &order).await? {
        Some(linked) => linked,
        None => match registry::deliver(app, &sells, order.customer_ref.clone(), &order.id).await {
            Ok(linked) => linked,
            Err(e) if e.kind == ErrorKind::UnknownOutcome => return Err(not_yet(&order, e)),
            Err(e) => return cancel_after(app, &order, e).await,
        },
    };
    match delivered.status {
        OrderStatus::Delivered => payments::confirm(app, &order).await,
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
