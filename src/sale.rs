//! The sale flow every provider goes through, so that no sale is lost and
//! none happens twice:
//! 1. validate the input — nothing is written or sent when it is wrong;
//! 2. write the order `pending`, with the reference the provider will know
//!    it by (our order id), and commit;
//! 3. send the purchase once — never repeated blindly;
//! 4. record the answer: `delivered`/`processing`, `failed` only when the
//!    provider said no or the request never left, else `unknown`;
//! 5. reconciliation later asks the provider about `pending`/`unknown`
//!    orders by that reference.

use crate::app::Comptoir;
use crate::catalog;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{NewOrder, Order, OrderKind, OrderStatus, StatusUpdate};
use crate::providers::orange_travel::{
    self, model::Transaction, model::TransactionCreation, model::TransactionParameters,
};
use crate::providers::ProviderId;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Who receives a top-up: a phone number (Orange France, Orange Spain) or a
/// SIM id (Welcome Travelers).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum TopupTarget {
    Msisdn(String),
    SimId(String),
}

/// Sells a top-up offer from the cached catalog.
pub async fn sell_topup(
    app: &Comptoir,
    offer_id: &str,
    target: TopupTarget,
    customer_ref: Option<String>,
) -> Result<Order> {
    let item = catalog::get(&app.journal, ProviderId::OrangeTravel, offer_id)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "sale.unknown_offer",
                format!("offer {offer_id} is not in the catalog; sync it first"),
            )
            .with("offer", offer_id)
        })?;
    if item.item_type != "topup" {
        return Err(Error::invalid(
            "sale.not_a_topup",
            format!("{} is not a top-up", item.name),
        ));
    }
    if let Some(reason) = item.unavailable_reason.as_deref() {
        return Err(Error::invalid(
            "sale.unavailable",
            format!("{} cannot be sold now ({reason})", item.name),
        )
        .with("reason", reason));
    }
    let wants_sim_id = item.recipient.as_deref() == Some("sim_id");
    let (phone, sim_id, parameters) = match (&target, wants_sim_id) {
        (TopupTarget::Msisdn(n), false) => {
            let n = orange_travel::normalize_msisdn(n)?;
            (
                Some(n.clone()),
                None,
                TransactionParameters {
                    msisdn: Some(n),
                    sim_id: None,
                },
            )
        }
        (TopupTarget::SimId(s), true) => {
            let s = orange_travel::validate_sim_id(s)?;
            (
                None,
                Some(s.clone()),
                TransactionParameters {
                    msisdn: None,
                    sim_id: Some(s),
                },
            )
        }
        (_, true) => {
            return Err(Error::invalid(
                "sale.needs_sim_id",
                format!("{} is topped up by SIM id", item.name),
            ))
        }
        (_, false) => {
            return Err(Error::invalid(
                "sale.needs_msisdn",
                format!("{} is topped up by phone number", item.name),
            ))
        }
    };
    let customer_ref = validate_customer_ref(customer_ref)?;
    let (client, training) = app.orange_travel().await?;

    let order = app
        .journal
        .create_order(NewOrder {
            provider: ProviderId::OrangeTravel,
            kind: OrderKind::Topup,
            product_id: Some(item.id.clone()),
            product_name: item.name.clone(),
            quantity: 1,
            customer_ref,
            phone,
            sim_id,
            amount_cents: item.price_cents,
            cost_cents: item.cost_cents,
            fees_cents: item.cost_cents.map(|c| item.price_cents - c),
            currency: item.currency.clone(),
            training,
            details: json!({"offer_id": item.id, "supplier": item.supplier}),
        })
        .await?;
    tracing::info!(order = %order.id, offer = %item.id, training, "top-up: order written, sending");

    let request = TransactionCreation {
        offer_id: item.id.clone(),
        user_id: Some(order.id.clone()),
        parameters: Some(parameters),
    };
    let answer = client.create_transaction(&request).await;
    settle(app, &order, answer).await
}

/// Records what the provider answered to a purchase and returns the order,
/// or the error with the order's id attached.
async fn settle(app: &Comptoir, order: &Order, answer: Result<Transaction>) -> Result<Order> {
    match answer {
        Ok(trx) => {
            let status = transaction_status(&trx.status);
            tracing::info!(order = %order.id, transaction = %trx.id, %status, "top-up answered");
            app.journal
                .set_status(&order.id, status, update_from(&trx, "Orange Travel answered"))
                .await
        }
        Err(e) => {
            // Only an unknown outcome leaves the sale open; any other error
            // means the provider refused it or it was never sent.
            let status = if e.kind == ErrorKind::UnknownOutcome {
                OrderStatus::Unknown
            } else {
                OrderStatus::Failed
            };
            tracing::warn!(order = %order.id, code = %e.code, %status, "top-up not delivered");
            let update = StatusUpdate {
                message: e.code.clone(),
                details: Some(json!({"error": e.code})),
                ..Default::default()
            };
            app.journal.set_status(&order.id, status, update).await?;
            Err(e.with("order", order.id.clone()))
        }
    }
}

/// Orange's transaction status as the journal's.
fn transaction_status(status: &str) -> OrderStatus {
    match status {
        "ok" => OrderStatus::Delivered,
        "ko" | "expired" => OrderStatus::Failed,
        // `created`, `pending`, or anything new: still going on.
        _ => OrderStatus::Processing,
    }
}

fn update_from(trx: &Transaction, message: &str) -> StatusUpdate {
    StatusUpdate {
        provider_ref: Some(trx.id.clone()),
        details: Some(json!({"transaction_status": trx.status, "offer_bucket": trx.offer_bucket})),
        message: message.to_string(),
        ..Default::default()
    }
}

fn validate_customer_ref(r: Option<String>) -> Result<Option<String>> {
    let r = r.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    match r {
        Some(s) if s.chars().count() > 80 || s.chars().any(char::is_control) => Err(Error::invalid(
            "sale.bad_customer_ref",
            "the customer reference must be at most 80 printable characters",
        )),
        other => Ok(other),
    }
}

/// A `pending` order updated less than one request timeout ago may still
/// have its purchase on the way, from this process or another.
fn in_flight(order: &Order) -> bool {
    let limit = crate::http::REQUEST_TIMEOUT + std::time::Duration::from_secs(15);
    chrono::DateTime::parse_from_rfc3339(&order.updated_at)
        .map(|t| chrono::Utc::now().signed_duration_since(t).to_std().unwrap_or_default() < limit)
        .unwrap_or(false)
}

/// What reconciliation did to one order.
#[derive(Debug, Clone, Serialize)]
pub struct Settled {
    pub order: String,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub provider_ref: Option<String>,
}

/// Asks the provider about every `pending`, `unknown` or `processing` order
/// and records what it says. An order the provider has no trace of is
/// `failed` (it did not happen; the cashier may sell it again). Never buys.
pub async fn reconcile(app: &Comptoir) -> Result<Vec<Settled>> {
    let mut changes = Vec::new();
    for order in app.journal.unsettled().await? {
        if order.provider != ProviderId::OrangeTravel {
            continue; // other providers settle with their own integration
        }
        if order.status == OrderStatus::Pending && in_flight(&order) {
            continue; // its request may still be on its way: not ours to judge yet
        }
        let (client, training) = app.orange_travel().await?;
        if order.training != training {
            // Only the provider the order was made with can say what became
            // of it: a live order is never judged by the simulator.
            continue;
        }
        let found = client.transactions_of(&order.id).await?;
        let (to, update) = match found.first() {
            Some(trx) => (
                transaction_status(&trx.status),
                update_from(trx, "reconciled with Orange Travel"),
            ),
            None => (
                OrderStatus::Failed,
                StatusUpdate {
                    message: "reconciled: Orange Travel has no such transaction".into(),
                    ..Default::default()
                },
            ),
        };
        if to != order.status {
            let after = app.journal.set_status(&order.id, to, update).await?;
            changes.push(Settled {
                order: order.id,
                from: order.status,
                to,
                provider_ref: after.provider_ref,
            });
        }
    }
    Ok(changes)
}
