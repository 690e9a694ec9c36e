//! Internet+ Box carrier-billing payments at the counter, through the
//! shared sale flow: the order is written `pending` before the session is
//! asked for (its id is W-HA's `requestMerchantId`, the idempotency key);
//! the customer confirms on the operator's page; the signed return makes the
//! order `processing` (authorized); confirming makes it `delivered` (billed),
//! cancelling `cancelled` (not billed), refunding `refunded`.
//!
//! Every call about a transaction or a subscription goes to the operator
//! that made it, as the order recorded it from the session (`operator`).
//! Delivering what an offer sells before confirming is the app's
//! (`app::pay`), which chooses the provider through the registry.

pub mod claim;
pub mod offers;
pub mod receipt;
mod session;
pub mod view;

pub use session::{accept_return, open_session, verify_return, Return};

use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{Order, OrderStatus, StatusUpdate};
use crate::providers::internet_plus::model::{self, status as wha, Subscription, Transaction};
use crate::providers::internet_plus::{self, Client, Operator};
use crate::types::ProviderId;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

const P: ProviderId = ProviderId::InternetPlus;

/// The Internet+ client in force (training or live), and whether it is training.
pub async fn client(app: &Comptoir) -> Result<(Client, bool)> {
    let (config, training) = app.provider_config(P).await?;
    Ok((
        Client::new(&config, training, app.tokens(), app.http().clone())?,
        training,
    ))
}

/// The operator that made an order's transaction, as its session said.
pub(crate) fn operator_of(order: &Order) -> Result<Operator> {
    serde_json::from_value(order.details["operator"].clone()).map_err(|_| {
        Error::invalid(
            "internet_plus.no_session",
            format!("order {} has no payment session", order.id),
        )
        .with("order", order.id.clone())
    })
}

pub(crate) fn detail(order: &Order, key: &str) -> Option<String> {
    order.details.get(key).and_then(|v| v.as_str()).map(str::to_string)
}

/// The payment order for an id the cashier gives: our order id, else W-HA's
/// transaction id, else a subscription id.
pub async fn find(app: &Comptoir, id: &str) -> Result<Order> {
    let id = id.trim();
    if let Ok(o) = app.journal.get(id).await {
        if o.provider == P {
            return Ok(o);
        }
    }
    if let Some(o) = app.journal.by_provider_ref(P, id).await? {
        return Ok(o);
    }
    if let Some(o) = app
        .journal
        .by_detail(P, "subscription_id", id)
        .await?
        .into_iter()
        .next()
    {
        return Ok(o);
    }
    Err(Error::invalid(
        "internet_plus.unknown_payment",
        format!("no Internet+ payment `{id}` in the journal"),
    )
    .with("id", id))
}

/// When an authorized payment can no longer be confirmed or cancelled:
/// 24 hours after its session was opened (a little before W-HA's own limit,
/// counted from the transaction, which came later).
pub fn deadline(order: &Order) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&order.created_at)
        .ok()
        .map(|d| d.with_timezone(&Utc) + Duration::hours(internet_plus::sim::AUTHORIZED_HOURS))
}

/// Checks that an order is authorized and within the 24 hours.
fn authorized(order: &Order, doing: &str) -> Result<String> {
    if order.status != OrderStatus::Processing {
        return Err(Error::invalid(
            "internet_plus.not_authorized",
            format!(
                "only an authorized payment can be {doing}; order {} is {}",
                order.id, order.status
            ),
        )
        .with("order", order.id.clone())
        .with("status", order.status.as_str()));
    }
    if deadline(order).is_some_and(|d| Utc::now() > d) {
        return Err(Error::invalid(
            "internet_plus.too_late",
            format!(
                "order {}'s authorization is more than 24 hours old: W-HA has cancelled it",
                order.id
            ),
        )
        .with("order", order.id.clone()));
    }
    detail(order, "transaction_id").ok_or_else(|| {
        Error::internal(
            "internet_plus.no_transaction",
            "an authorized payment has no transaction",
        )
    })
}

/// W-HA's transaction status as the journal's.
pub fn order_status(status: &str) -> Option<OrderStatus> {
    match wha::normalize(status).as_str() {
        wha::AUTHORIZED => Some(OrderStatus::Processing),
        wha::CONFIRMED => Some(OrderStatus::Delivered),
        wha::CANCELLED => Some(OrderStatus::Cancelled),
        wha::REFUNDED => Some(OrderStatus::Refunded),
        _ => None,
    }
}

/// What a transaction answer tells the order.
fn update_from(trx: &Transaction, message: String) -> StatusUpdate {
    StatusUpdate {
        details: Some(json!({
            "wha_status": trx.status.as_deref().map(wha::normalize), "user_id": trx.user_id,
            "refund_transaction_id": trx.refund_trx_id,
        })),
        message,
        ..Default::default()
    }
}

/// Records an answer to a change we asked for, learning the amount when the
/// shop had not listed the offer.
async fn record(
    app: &Comptoir,
    order: &Order,
    trx: &Transaction,
    fallback: OrderStatus,
    message: &str,
) -> Result<Order> {
    if let Some(cents) = trx.trx_amount.as_ref().and_then(model::cents) {
        app.journal.learn_amount(&order.id, cents).await?;
    }
    let to = trx.status.as_deref().and_then(order_status).unwrap_or(fallback);
    app.journal
        .set_status(&order.id, to, update_from(trx, message.to_string()))
        .await
}

/// An error of a change W-HA may have made: the order stays open
/// (`unknown`) for reconciliation to ask.
async fn unsure(app: &Comptoir, order: &Order, e: Error) -> Error {
    if e.kind == ErrorKind::UnknownOutcome {
        let update = StatusUpdate {
            message: e.code.clone(),
            ..Default::default()
        };
        if let Err(j) = app.journal.set_status(&order.id, OrderStatus::Unknown, update).await {
            return j;
        }
    }
    e.with("order", order.id.clone())
}

/// Confirms an authorized payment at W-HA: the customer is billed. A
/// subscription is confirmed as a whole (its transaction with it).
pub async fn confirm(app: &Comptoir, order: &Order) -> Result<Order> {
    let trx = authorized(order, "confirmed")?;
    let (client, _) = client(app).await?;
    let op = client.operator(operator_of(order)?);
    if let Some(sub) = detail(order, "subscription_id") {
        let answer = op.confirm_subscription(&sub).await;
        return match answer {
            Ok(s) => {
                let update = StatusUpdate {
                    details: Some(json!({"subscription_status": s.status, "user_id": s.user_id})),
                    message: "subscription confirmed at W-HA".into(),
                    ..Default::default()
                };
                app.journal.set_status(&order.id, OrderStatus::Delivered, update).await
            }
            Err(e) => Err(unsure(app, order, e).await),
        };
    }
    match op.confirm(&trx).await {
        Ok(t) => {
            record(
                app,
                order,
                &t,
                OrderStatus::Delivered,
                "confirmed at W-HA: the customer is billed",
            )
            .await
        }
        Err(e) => Err(unsure(app, order, e).await),
    }
}

/// Cancels an authorized payment: the customer is not billed.
pub async fn cancel(app: &Comptoir, order: &Order, why: &str) -> Result<Order> {
    let trx = authorized(order, "cancelled")?;
    let (client, _) = client(app).await?;
    let op = client.operator(operator_of(order)?);
    if let Some(sub) = detail(order, "subscription_id") {
        if let Err(e) = op.terminate(&sub, model::TERMINATION_NOW).await {
            return Err(unsure(app, order, e).await);
        }
    }
    match op.cancel(&trx).await {
        Ok(t) => {
            record(
                app,
                order,
                &t,
                OrderStatus::Cancelled,
                &format!("cancelled at W-HA: {why}"),
            )
            .await
        }
        Err(e) => Err(unsure(app, order, e).await),
    }
}

/// Refunds a confirmed payment, once, for its whole amount.
pub async fn refund(app: &Comptoir, id: &str, reason: &str, comment: &str) -> Result<Order> {
    app.require(crate::accounts::Right::Manage, Some(id)).await?;
    let reason = reason.trim();
    if !model::REFUND_REASONS.iter().any(|(r, _)| *r == reason) {
        let all: Vec<&str> = model::REFUND_REASONS.iter().map(|(r, _)| *r).collect();
        return Err(Error::invalid(
            "internet_plus.bad_reason",
            format!("`{reason}` is not a refund reason: {}", all.join(", ")),
        )
        .with("value", reason));
    }
    let comment = comment.trim();
    if comment.is_empty() || comment.chars().count() > 255 || comment.chars().any(char::is_control) {
        return Err(Error::invalid(
            "internet_plus.no_comment",
            "a refund needs a comment (at most 255 printable characters)",
        ));
    }
    let order = find(app, id).await?;
    if order.status != OrderStatus::Delivered {
        return Err(Error::invalid(
            "internet_plus.not_refundable",
            format!(
                "only a confirmed payment can be refunded, once; order {} is {}",
                order.id, order.status
            ),
        )
        .with("order", order.id.clone())
        .with("status", order.status.as_str()));
    }
    let trx = detail(&order, "transaction_id")
        .ok_or_else(|| Error::internal("internet_plus.no_transaction", "a confirmed payment has no transaction"))?;
    let (client, _) = client(app).await?;
    match client
        .operator(operator_of(&order)?)
        .refund(&trx, reason, comment)
        .await
    {
        Ok(t) => {
            let refunded = record(
                app,
                &order,
                &t,
                OrderStatus::Refunded,
                &format!("refunded ({reason}): {comment}"),
            )
            .await?;
            match linked_order(app, &refunded).await? {
                Some(product) if product.status == OrderStatus::Delivered => {
                    product_stays_valid(app, &refunded, &product).await
                }
                _ => Ok(refunded),
            }
        }
        Err(e) => Err(unsure(app, &order, e).await),
    }
}

/// A refunded payment's product was delivered: the vouchers or the eSIM
/// stay valid (W-HA refunds money, no provider takes a product back), so
/// the payment says so, for the shop to decide (take the card back, block
/// it at the retailer...).
async fn product_stays_valid(app: &Comptoir, payment: &Order, product: &Order) -> Result<Order> {
    let what = match product.kind {
        crate::journal::OrderKind::Esim => "the eSIM",
        crate::journal::OrderKind::Giftcard => "the gift card vouchers",
        _ => "the product",
    };
    let update = StatusUpdate {
        details: Some(json!({"product_after_refund": "stays_valid", "delivered_order": product.id})),
        message: format!(
            "{what} of order {} stay valid: refunding the payment does not cancel them; the shop decides what to do with them",
            product.id
        ),
        ..Default::default()
    };
    app.journal.set_status(&payment.id, payment.status, update).await
}

/// Asks W-HA about a payment's transaction and brings the order up to date.
pub async fn consult(app: &Comptoir, id: &str) -> Result<(Order, Transaction)> {
    let order = find(app, id).await?;
    let trx = detail(&order, "transaction_id").ok_or_else(|| {
        let why = if detail(&order, "return").as_deref() == Some("purchaseFailure") {
            "the customer cancelled on the operator's page: there is no transaction to ask W-HA about"
        } else {
            "no return received yet"
        };
        Error::invalid(
            "internet_plus.no_transaction",
            format!("order {} has no transaction ({why})", order.id),
        )
        .with("order", order.id.clone())
        .with(
            "reason",
            if why.starts_with("the customer") {
                "customer_cancelled"
            } else {
                "no_return"
            },
        )
    })?;
    let (client, _) = client(app).await?;
    let t = client.operator(operator_of(&order)?).consult(&trx).await?;
    let to = t.status.as_deref().and_then(order_status);
    let order = match to {
        Some(to) if to != order.status && order.status.can_become(to) => {
            record(app, &order, &t, to, "consulted at W-HA").await?
        }
        _ => order,
    };
    Ok((order, t))
}

/// The order of a subscription id, and its operator.
async fn subscription_order(app: &Comptoir, sub: &str) -> Result<(Order, Operator)> {
    let order = app
        .journal
        .by_detail(P, "subscription_id", sub.trim())
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Error::invalid(
                "internet_plus.unknown_subscription",
                format!("no subscription `{}` in the journal", sub.trim()),
            )
            .with("id", sub.trim())
        })?;
    let op = operator_of(&order)?;
    Ok((order, op))
}

/// Confirms a pending subscription (within its 24 hours).
pub async fn confirm_subscription(app: &Comptoir, sub: &str) -> Result<Order> {
    let (order, _) = subscription_order(app, sub).await?;
    confirm(app, &order).await
}

pub async fn consult_subscription(app: &Comptoir, sub: &str) -> Result<Subscription> {
    let (_, op) = subscription_order(app, sub).await?;
    let (client, _) = client(app).await?;
    client.operator(op).consult_subscription(sub.trim()).await
}

/// Ends a subscription now, or at the end of the period under way.
pub async fn terminate(app: &Comptoir, sub: &str, at_due: bool) -> Result<Subscription> {
    let (order, op) = subscription_order(app, sub).await?;
    let (client, _) = client(app).await?;
    let termination = if at_due {
        model::TERMINATION_AT_DUE
    } else {
        model::TERMINATION_NOW
    };
    let s = client.operator(op).terminate(sub.trim(), termination).await?;
    let update = StatusUpdate {
        details: Some(json!({"subscription_status": s.status, "subscription_closing": s.subscription_closing_date})),
        message: format!("subscription terminated ({termination})"),
        ..Default::default()
    };
    app.journal.set_status(&order.id, order.status, update).await?;
    Ok(s)
}

/// A customer's active and pending subscriptions, on the operator of the
/// shop's orders for that user, else on both.
pub async fn subscriptions_of(app: &Comptoir, user: &str) -> Result<Vec<Subscription>> {
    let user = user.trim();
    if user.is_empty() || user.len() > 128 || user.chars().any(char::is_control) {
        return Err(Error::invalid(
            "internet_plus.bad_user",
            "give the customer's W-HA user id",
        ));
    }
    let known = app.journal.by_detail(P, "user_id", user).await?;
    let operators: Vec<Operator> = match known.first().map(operator_of) {
        Some(Ok(op)) => vec![op],
        _ => vec![Operator::Orange, Operator::Bytel],
    };
    let (client, _) = client(app).await?;
    let mut all = Vec::new();
    for op in operators {
        all.extend(client.operator(op).subscriptions_of(user).await?);
    }
    Ok(all)
}

/// What a payment's offer sells, as its session recorded it.
pub fn sells(order: &Order) -> Option<offers::Sells> {
    order
        .details
        .get("sells")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// The order that delivers what a payment paid for, if one was made.
pub async fn linked_order(app: &Comptoir, order: &Order) -> Result<Option<Order>> {
    let Some(sells) = sells(order) else {
        return Ok(None);
    };
    Ok(app
        .journal
        .by_detail(sells.provider, "paid_by", &order.id)
        .await?
        .into_iter()
        .next())
}

/// Settles one payment for reconciliation: a session whose page expired
/// with no return did not happen; an authorized transaction is asked about,
/// and confirmed only once what it paid for is delivered (cancelled when
/// that delivery failed). Never delivers, never confirms the undelivered.
pub async fn reconcile_one(app: &Comptoir, order: &Order) -> Result<Order> {
    match order.status {
        OrderStatus::Pending => {
            let expired = detail(order, "expires_at")
                .and_then(|d| DateTime::parse_from_rfc3339(&d).ok())
                .map_or_else(|| deadline(order).is_some_and(|d| Utc::now() > d), |d| Utc::now() > d);
            if !expired {
                return Ok(order.clone());
            }
            let update = StatusUpdate {
                message: "reconciled: the payment session expired with no return".into(),
                ..Default::default()
            };
            app.journal.set_status(&order.id, OrderStatus::Failed, update).await
        }
        _ if detail(order, "transaction_id").is_none() => Ok(order.clone()),
        _ => {
            let (order, t) = consult(app, &order.id).await?;
            if t.status.as_deref().map(wha::normalize).as_deref() != Some(wha::AUTHORIZED) {
                return Ok(order);
            }
            // Something to decide only once what it paid for is settled; then
            // only with the claim (a confirm or cancel under way elsewhere
            // settles it itself), reading again once held. Asking W-HA
            // needs no claim: a confirm meanwhile is never kept waiting.
            let settled =
                |s: OrderStatus| matches!(s, OrderStatus::Delivered | OrderStatus::Failed | OrderStatus::Cancelled);
            if !linked_order(app, &order).await?.is_some_and(|l| settled(l.status)) {
                return Ok(order);
            }
            let Some(held) = claim::busy(app, &order).await? else {
                return Ok(order);
            };
            let result = settle_authorized(app, &order.id).await;
            claim::release(app, held).await;
            result
        }
    }
}

async fn settle_authorized(app: &Comptoir, id: &str) -> Result<Order> {
    let order = app.journal.get(id).await?;
    if order.status != OrderStatus::Processing {
        return Ok(order);
    }
    match linked_order(app, &order).await? {
        Some(l) if l.status == OrderStatus::Delivered => confirm(app, &order).await,
        Some(l) if matches!(l.status, OrderStatus::Failed | OrderStatus::Cancelled) => {
            cancel(app, &order, "what it paid for could not be delivered").await
        }
        _ => Ok(order),
    }
}
