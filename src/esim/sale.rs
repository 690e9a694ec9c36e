//! Selling Orange Travel's eSIMs and top-ups through the shared sale flow
//! (`crate::sale`): the offer checked against the cached catalog, the order
//! written with our id as Orange's `user_id`, one transaction request, the
//! answer recorded; and reconciliation of one order by that `user_id`.

use crate::catalog::{self, CatalogItem};
use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::{NewLine, NewOrder, Order, OrderKind, OrderStatus, StatusUpdate};
use crate::providers::orange_travel::{
    self, model::Transaction, model::TransactionCreation, model::TransactionParameters, Client,
};
use crate::sale::{self, PaidBy};
use crate::types::ProviderId;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Who receives a top-up: a phone number (Orange France, Orange Spain) or a
/// SIM id (Welcome Travelers).
#[derive(ts_rs::TS, Debug, Clone, Serialize, Deserialize, PartialEq)]
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
    sell_topup_paid_by(app, offer_id, target, customer_ref, &PaidBy::default()).await
}

/// `sell_topup` for a line of a till's receipt.
pub async fn sell_topup_paid_by(
    app: &Comptoir,
    offer_id: &str,
    target: TopupTarget,
    customer_ref: Option<String>,
    paid: &PaidBy,
) -> Result<Order> {
    let (item, line, parameters) = topup_line(app, offer_id, target).await?;
    let sale = Sale { customer_ref, paid };
    sell_offer(app, &item, OrderKind::Topup, line, Some(parameters), sale).await
}

/// A top-up offer and the line it tops up, checked before anything is
/// written (the basket checks a line when it is added).
async fn topup_line(
    app: &Comptoir,
    offer_id: &str,
    target: TopupTarget,
) -> Result<(CatalogItem, Line, TransactionParameters)> {
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
    Ok((item, line, parameters))
}

/// Sells an eSIM offer. Refused before anything is spent when the shop has
/// no key to read the activation code with.
pub async fn sell_esim(app: &Comptoir, offer_id: &str, customer_ref: Option<String>) -> Result<Order> {
    sell_esim_paid_by(app, offer_id, customer_ref, &PaidBy::default()).await
}

/// `sell_esim` for a customer who paid through another order (an
/// Internet+ payment), which the eSIM's order names as `paid_by`.
pub async fn sell_esim_paid_by(
    app: &Comptoir,
    offer_id: &str,
    customer_ref: Option<String>,
    paid: &PaidBy,
) -> Result<Order> {
    let item = sellable(app, offer_id, "esim").await?;
    super::keys::require(app)?;
    let sale = Sale { customer_ref, paid };
    sell_offer(app, &item, OrderKind::Esim, Line::default(), None, sale).await
}

/// An eSIM offer as a basket line, checked as a sale would be.
pub async fn basket_esim(app: &Comptoir, offer_id: &str) -> Result<NewLine> {
    let item = sellable(app, offer_id, "esim").await?;
    super::keys::require(app)?;
    Ok(basket_line(&item, OrderKind::Esim, Line::default()))
}

/// A top-up offer and its line as a basket line, checked as a sale would be.
pub async fn basket_topup(app: &Comptoir, offer_id: &str, target: TopupTarget) -> Result<NewLine> {
    let (item, line, _) = topup_line(app, offer_id, target).await?;
    Ok(basket_line(&item, OrderKind::Topup, line))
}

fn basket_line(item: &CatalogItem, kind: OrderKind, line: Line) -> NewLine {
    NewLine {
        kind,
        provider: ProviderId::OrangeTravel,
        product: item.id.clone(),
        name: item.name.clone(),
        quantity: 1,
        unit_cents: item.price_cents,
        currency: item.currency.clone(),
        msisdn: line.phone,
        sim_id: line.sim_id,
    }
}

/// Who the sale is for, and what paid for it when another order did.
struct Sale<'a> {
    customer_ref: Option<String>,
    paid: &'a PaidBy,
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
    sold: Sale<'_>,
) -> Result<Order> {
    app.require(crate::accounts::Right::Sell, None).await?;
    let customer_ref = sale::validate_customer_ref(sold.customer_ref)?;
    let (client, training) = super::client(app).await?;
    // Support (SIM status, usage) asks by supplier id: keep it with the order.
    let raw = catalog::raw(&app.journal, ProviderId::OrangeTravel, &item.id)
        .await?
        .unwrap_or_default();
    let supplier_id = raw
        .pointer("/product/supplier_id")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let mut details = json!({
        "offer_id": item.id, "supplier": item.supplier, "supplier_id": supplier_id,
        "writer": sale::writer(), "data_gb": item.data_gb, "validity_days": item.validity_days,
    });
    sold.paid.add_to(&mut details);
    if line.phone.is_some() {
        // How the number is written for people (types::phone): Orange Spain's
        // lines are Spanish, every other supplier's French.
        let spanish = supplier_id.as_deref() == Some(crate::providers::orange_travel::model::SUPPLIER_SPAIN);
        details["phone_country"] = json!(if spanish { "ES" } else { "FR" });
    }
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
            details,
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
            let update =
                update_from(app.secrets(), &trx, "Orange Travel answered").map_err(|e| sale::unrecorded(order, e))?;
            let settled = app
                .journal
                .set_status(&order.id, status, update)
                .await
                .map_err(|e| sale::unrecorded(order, e))?;
            // The answer carries the stock left: the counter shows it at once.
            if let (Some(offer), Some(bucket)) = (order.product_id.as_deref(), trx.offer_bucket) {
                catalog::set_stock(&app.journal, ProviderId::OrangeTravel, offer, bucket).await?;
            }
            Ok(settled)
        }
        Err(e) => Err(sale::record_failure(app, order, e).await?),
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

/// What a transaction tells the journal. The activation code (as Orange
/// sent it, encrypted), PIN, PUK and matching id are sealed together
/// (`seal`, AES-GCM with the installation's key) into the sealed column,
/// out of the order's visible details: no secret of the eSIM is in clear
/// on disk.
fn update_from(secrets: &crate::secrets::SecretStore, trx: &Transaction, message: &str) -> Result<StatusUpdate> {
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
    let sealed = text("activation_code")
        .map(|code| {
            let secrets_json = json!({"activation_code": code, "pin_code": text("pin_code"), "puk": text("puk"), "matching_id": text("matching_id")});
            crate::seal::seal(secrets, &secrets_json.to_string())
        })
        .transpose()?;
    Ok(StatusUpdate {
        provider_ref: Some(trx.id.clone()),
        phone: if is_esim { text("msisdn") } else { None },
        iccid: text("iccid"),
        details: Some(json!({
            "transaction_status": trx.status, "offer_bucket": trx.offer_bucket,
            "smdp_url": text("smdp_url"), "supplier_name": trx.supplier_name,
        })),
        sealed,
        message: message.to_string(),
    })
}

/// Asks Orange about one order by its `user_id` (our order id) and records
/// the answer. No trace at Orange means it did not happen: `failed`.
pub async fn reconcile_one(app: &Comptoir, client: &Client, order: &Order) -> Result<Order> {
    let found = client.transactions_of(&order.id).await?;
    let (to, update) = match found.first() {
        Some(trx) => (
            transaction_status(&trx.status),
            update_from(app.secrets(), trx, "reconciled with Orange Travel")?,
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
        return Ok(order.clone());
    }
    app.journal.set_status(&order.id, to, update).await
}
