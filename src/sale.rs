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
use crate::catalog::{self, CatalogItem};
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
    let item = sellable(app, offer_id, "topup").await?;
    let wants_sim_id = item.recipient.as_deref() == Some("sim_id");
    let (line, parameters) = match (&target, wants_sim_id) {
        (TopupTarget::Msisdn(n), false) => {
            let n = orange_travel::normalize_msisdn(n)?;
            let parameters = TransactionParameters {
                msisdn: Some(n.clone()),
                sim_id: None,
            };
            (
                Line {
                    phone: Some(n),
                    sim_id: None,
                },
                parameters,
            )
        }
        (TopupTarget::SimId(s), true) => {
            let s = orange_travel::validate_sim_id(s)?;
            let parameters = TransactionParameters {
                msisdn: None,
                sim_id: Some(s.clone()),
            };
            (
                Line {
                    phone: None,
                    sim_id: Some(s),
                },
                parameters,
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
    sell_offer(app, &item, OrderKind::Topup, line, Some(parameters), customer_ref).await
}

/// Sells an eSIM offer. Refused before anything is spent when the shop has
/// no key to read the activation code with.
pub async fn sell_esim(app: &Comptoir, offer_id: &str, customer_ref: Option<String>) -> Result<Order> {
    let item = sellable(app, offer_id, "esim").await?;
    orange_travel::keys::require(app)?;
    sell_offer(app, &item, OrderKind::Esim, Line::default(), None, customer_ref).await
}

/// The customer's line, when the sale is addressed to one.
#[derive(Default)]
struct Line {
    phone: Option<String>,
    sim_id: Option<String>,
}

/// A catalog item that can be sold now, of the given type.
async fn sellable(app: &Comptoir, offer_id: &str, item_type: &str) -> Result<CatalogItem> {
    let item = catalog::get(&app.journal, ProviderId::OrangeTravel, offer_id)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "sale.unknown_offer",
                format!("offer {offer_id} is not in the catalog; sync it first"),
            )
            .with("offer", offer_id)
        })?;
    if item.item_type != item_type {
        return Err(
            Error::invalid("sale.wrong_type", format!("{} is not a {item_type}", item.name)).with("type", item_type),
        );
    }
    if let Some(reason) = item.unavailable_reason.as_deref() {
        return Err(Error::invalid(
            "sale.unavailable",
            format!("{} cannot be sold now ({reason})", item.name),
        )
        .with("reason", reason));
    }
    Ok(item)
}

/// Steps 2 to 4 of the flow: journal, one request, the answer recorded.
async fn sell_offer(
    app: &Comptoir,
    item: &CatalogItem,
    kind: OrderKind,
    line: Line,
    parameters: Option<TransactionParameters>,
    customer_ref: Option<String>,
) -> Result<Order> {
    let customer_ref = validate_customer_ref(customer_ref)?;
    let (client, training) = app.orange_travel().await?;
    // Support (SIM status, usage) asks by supplier id: keep it with the order.
    let raw = catalog::raw(&app.journal, ProviderId::OrangeTravel, &item.id)
        .await?
        .unwrap_or_default();
    let supplier_id = raw
        .pointer("/product/supplier_id")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let order = app
        .journal
        .create_order(NewOrder {
            provider: ProviderId::OrangeTravel,
            kind,
            product_id: Some(item.id.clone()),
            product_name: item.name.clone(),
            quantity: 1,
            customer_ref,
            phone: line.phone,
            sim_id: line.sim_id,
            amount_cents: item.price_cents,
            cost_cents: item.cost_cents,
            fees_cents: item.cost_cents.map(|c| item.price_cents - c),
            currency: item.currency.clone(),
            training,
            details: json!({
                "offer_id": item.id, "supplier": item.supplier, "supplier_id": supplier_id,
                "writer": writer(),
                "data_gb": item.data_gb, "validity_days": item.validity_days,
            }),
        })
        .await?;
    tracing::info!(order = %order.id, offer = %item.id, kind = kind.as_str(), training, "order written, sending");
    let request = TransactionCreation {
        offer_id: item.id.clone(),
        user_id: Some(order.id.clone()),
        parameters,
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
            tracing::info!(order = %order.id, transaction = %trx.id, %status, "provider answered");
            let settled = app
                .journal
                .set_status(&order.id, status, update_from(&trx, "Orange Travel answered"))
                .await?;
            // The answer carries the stock left: the counter shows it at once.
            if let (Some(offer), Some(bucket)) = (order.product_id.as_deref(), trx.offer_bucket) {
                catalog::set_stock(&app.journal, ProviderId::OrangeTravel, offer, bucket).await?;
            }
            Ok(settled)
        }
        Err(e) => Err(record_failure(app, order, e).await?),
    }
}

/// Records a purchase that did not go through and returns its error with
/// the order's id. Only an unknown outcome leaves the sale open; any other
/// error means the provider refused it or it was never sent.
pub(crate) async fn record_failure(app: &Comptoir, order: &Order, e: Error) -> Result<Error> {
    let status = if e.kind == ErrorKind::UnknownOutcome {
        OrderStatus::Unknown
    } else {
        OrderStatus::Failed
    };
    tracing::warn!(order = %order.id, code = %e.code, %status, "not delivered");
    let update = StatusUpdate {
        message: e.code.clone(),
        details: Some(json!({"error": e.code})),
        ..Default::default()
    };
    app.journal.set_status(&order.id, status, update).await?;
    Ok(e.with("order", order.id.clone()))
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

/// What a transaction tells the journal. The activation code stays as Orange
/// sent it (encrypted); PIN, PUK and matching id are kept beside it in the
/// sealed column, out of the order's visible details.
fn update_from(trx: &Transaction, message: &str) -> StatusUpdate {
    let p = trx.parameters.clone().unwrap_or_default();
    let text = |k: &str| {
        p.get(k)
            .and_then(|v| v.as_str())
            .filter(|v| !v.is_empty() && *v != "None")
            .map(str::to_string)
    };
    let is_esim = trx
        .product_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("esim"));
    let sealed = text("activation_code").map(|code| {
        json!({"activation_code": code, "pin_code": text("pin_code"), "puk": text("puk"), "matching_id": text("matching_id")})
            .to_string()
    });
    StatusUpdate {
        provider_ref: Some(trx.id.clone()),
        phone: if is_esim { text("msisdn") } else { None },
        iccid: text("iccid"),
        details: Some(json!({
            "transaction_status": trx.status, "offer_bucket": trx.offer_bucket,
            "smdp_url": text("smdp_url"), "supplier_name": trx.supplier_name,
        })),
        sealed,
        message: message.to_string(),
    }
}

pub(crate) fn validate_customer_ref(r: Option<String>) -> Result<Option<String>> {
    let r = r.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    match r {
        Some(s) if s.chars().count() > 80 || s.chars().any(char::is_control) => Err(Error::invalid(
            "sale.bad_customer_ref",
            "the customer reference must be at most 80 printable characters",
        )),
        other => Ok(other),
    }
}

/// Whether a `pending` order's purchase may still be on its way. The order
/// names the process that wrote it: if that process is gone, nothing is in
/// flight any more and the provider can be asked. Without that (another
/// machine, an older order), an order younger than one request timeout is
/// given the benefit of the doubt.
pub(crate) fn in_flight(order: &Order) -> bool {
    if let Some(alive) = order.details.get("writer").and_then(writer_alive) {
        return alive;
    }
    let limit = crate::http::request_timeout() + std::time::Duration::from_secs(15);
    chrono::DateTime::parse_from_rfc3339(&order.updated_at)
        .map(|t| chrono::Utc::now().signed_duration_since(t).to_std().unwrap_or_default() < limit)
        .unwrap_or(false)
}

/// This process, as a pending order records it: the PID and its start time
/// (a PID alone may be reused), and the boot (a PID means nothing after a
/// reboot).
pub(crate) fn writer() -> serde_json::Value {
    match (process_start(std::process::id()), boot_id()) {
        (Some(start), Some(boot)) => json!({"pid": std::process::id(), "start": start, "boot": boot}),
        _ => serde_json::Value::Null,
    }
}

/// `Some(alive)` when the writer can be checked on this machine, else None.
fn writer_alive(w: &serde_json::Value) -> Option<bool> {
    let pid = u32::try_from(w.get("pid")?.as_u64()?).ok()?;
    let start = w.get("start")?.as_u64()?;
    if w.get("boot")?.as_str()? != boot_id()? {
        return Some(false); // written before a reboot: that process is gone
    }
    Some(process_start(pid) == Some(start))
}

/// Start time of a process in clock ticks since boot (`/proc/PID/stat`, field 22).
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces: count from its closing parenthesis.
    let after = &stat[stat.rfind(')')? + 2..];
    after.split(' ').nth(19)?.parse().ok()
}

fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|s| s.trim().to_string())
}

/// What reconciliation did to one order.
#[derive(Debug, Clone, Serialize)]
pub struct Settled {
    pub order: String,
    pub from: OrderStatus,
    pub to: OrderStatus,
    pub provider_ref: Option<String>,
}

/// An order reconciliation could not settle, and why.
#[derive(Debug, Clone, Serialize)]
pub struct NotSettled {
    pub order: String,
    pub error: Error,
}

/// What a reconciliation did: the orders it settled, and those it could not
/// ask about (they stay as they were, to be asked again).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Reconciled {
    pub settled: Vec<Settled>,
    pub unsettled: Vec<NotSettled>,
}

/// The provider clients a reconciliation uses, made on the first order
/// that needs each; a provider that cannot be reached is not asked again
/// in the same run, so a network cut does not cost one timeout per order.
#[derive(Default)]
struct Askers {
    orange: Option<(crate::providers::orange_travel::Client, bool)>,
    amilon: Option<(crate::providers::amilon::Client, bool)>,
    down: std::collections::HashMap<ProviderId, Error>,
}

/// Asks the provider about every `pending`, `unknown` or `processing` order
/// and records what it says. An order the provider has no trace of is
/// `failed` (it did not happen; the cashier may sell it again). Never buys.
/// An order whose provider cannot answer is reported and left as it was;
/// the others are settled all the same.
pub async fn reconcile(app: &Comptoir) -> Result<Reconciled> {
    let mut done = Reconciled::default();
    let mut askers = Askers::default();
    for order in app.journal.unsettled().await? {
        if order.status == OrderStatus::Pending && in_flight(&order) {
            continue; // its request may still be on its way: not ours to judge yet
        }
        if let Some(e) = askers.down.get(&order.provider) {
            done.unsettled.push(NotSettled {
                order: order.id.clone(),
                error: e.clone(),
            });
            continue;
        }
        match settle_one(app, &mut askers, &order).await {
            Ok(Some(to)) if to.status != order.status => done.settled.push(Settled {
                order: order.id,
                from: order.status,
                to: to.status,
                provider_ref: to.provider_ref,
            }),
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(order = %order.id, code = %e.code, "reconciliation could not settle the order");
                if matches!(e.kind, ErrorKind::Unavailable | ErrorKind::Config) {
                    askers.down.insert(order.provider, e.clone());
                }
                done.unsettled.push(NotSettled {
                    order: order.id,
                    error: e,
                });
            }
        }
    }
    Ok(done)
}

/// Asks the order's provider and records the answer; `None` when this run
/// cannot judge the order (another provider integration, or the other mode:
/// a live order is never judged by the simulator).
async fn settle_one(app: &Comptoir, askers: &mut Askers, order: &Order) -> Result<Option<Order>> {
    match order.provider {
        ProviderId::Amilon => {
            if askers.amilon.is_none() {
                askers.amilon = Some(app.amilon().await?);
            }
            let (client, training) = askers.amilon.as_ref().expect("just made");
            if order.training != *training {
                return Ok(None);
            }
            crate::giftcard::reconcile_one(app, client, order).await.map(Some)
        }
        ProviderId::OrangeTravel => {
            if askers.orange.is_none() {
                askers.orange = Some(app.orange_travel().await?);
            }
            let (client, training) = askers.orange.as_ref().expect("just made");
            if order.training != *training {
                return Ok(None);
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
            if to == order.status {
                return Ok(Some(order.clone()));
            }
            app.journal.set_status(&order.id, to, update).await.map(Some)
        }
        _ => Ok(None), // other providers settle with their own integration
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_dead_one_is_not() {
        let me = writer();
        assert_eq!(writer_alive(&me), Some(true));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let start = process_start(pid);
        child.wait().unwrap();
        let gone = json!({"pid": pid, "start": start.unwrap_or(1), "boot": boot_id()});
        assert_eq!(writer_alive(&gone), Some(false));
        let rebooted =
            json!({"pid": std::process::id(), "start": process_start(std::process::id()), "boot": "another-boot"});
        assert_eq!(writer_alive(&rebooted), Some(false));
        assert_eq!(writer_alive(&serde_json::Value::Null), None);
    }
}
