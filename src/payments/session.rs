//! A payment's start: the session opened (the order written first, its id
//! W-HA's `requestMerchantId`) and the signed return verified and recorded.

use super::{client, detail, offers, operator_of, P};
use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{NewOrder, Order, OrderKind, OrderStatus, StatusUpdate};
use crate::providers::internet_plus::model::{self, SessionRequest};
use crate::providers::internet_plus::{self, signature, Operator};
use crate::sale;
use chrono::Utc;
use serde::Serialize;
use serde_json::json;

/// Opens a payment session for `offer_id` and the customer at `client_ip`.
/// The order is written first; the session is asked for once. It spends
/// nothing (the customer pays on the operator's page), so a session that
/// could not be had is `failed`: nothing can be paid without its page.
pub async fn open_session(
    app: &Comptoir,
    offer_id: &str,
    client_ip: &str,
    customer_ref: Option<String>,
) -> Result<Order> {
    app.require(crate::accounts::Right::Sell, None).await?;
    let ip = internet_plus::check_client_ip(client_ip)?;
    let offer_id = offer_id.trim();
    if offer_id.is_empty()
        || offer_id.len() > 64
        || !offer_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(
            Error::invalid("internet_plus.bad_offer_id", "the offer id is the console's `ID Offre`")
                .with("value", offer_id),
        );
    }
    let customer_ref = sale::validate_customer_ref(customer_ref)?;
    let offer = offers::find(app, offer_id)?;
    let (client, training) = client(app).await?;
    let order = app
        .journal
        .create_order(NewOrder {
            provider: P,
            kind: if offer.as_ref().is_some_and(|o| o.period.is_some()) {
                OrderKind::Subscription
            } else {
                OrderKind::Payment
            },
            product_id: Some(offer_id.to_string()),
            product_name: offer
                .as_ref()
                .map(|o| o.name.clone())
                .unwrap_or_else(|| format!("Internet+ {offer_id}")),
            quantity: 1,
            customer_ref,
            phone: None,
            sim_id: None,
            amount_cents: offer.as_ref().map_or(0, |o| o.amount_cents),
            cost_cents: None,
            fees_cents: None,
            currency: "EUR".into(),
            training,
            details: json!({
                "offer_id": offer_id, "client_ip": ip.to_string(), "writer": sale::writer(),
                "period": offer.as_ref().and_then(|o| o.period.clone()),
                "sells": offer.as_ref().and_then(|o| o.sells.clone()),
            }),
        })
        .await?;
    let request = SessionRequest {
        request_merchant_id: order.id.clone(),
        client_ip: ip.to_string(),
        offer_id: offer_id.to_string(),
    };
    let answer = client.session(&request).await.and_then(|a| {
        let operator =
            Operator::from_session(a.operator_id.as_deref(), a.operator_url.as_deref()).ok_or_else(|| {
                Error::unavailable(
                    "internet_plus.no_operator",
                    "W-HA's session names no operator Comptoir knows",
                )
            })?;
        Ok((a, operator))
    });
    match answer {
        Ok((a, operator)) => {
            let update = StatusUpdate {
                details: Some(json!({
                    "operator": operator, "operator_url": a.operator_url, "session_id": a.payment_session.id,
                    "panel_url": a.payment_session.payment_panel_url,
                    "expires_at": a.payment_session.expiration_date.as_deref().and_then(model::date).map(|d| d.to_rfc3339()),
                })),
                message: format!("payment session opened at {}", operator.display_name()),
                ..Default::default()
            };
            app.journal.set_status(&order.id, OrderStatus::Pending, update).await
        }
        Err(e) => {
            // Nothing was spent: an unanswered session request is no sale.
            let e = if e.kind == ErrorKind::UnknownOutcome {
                Error::unavailable(
                    "internet_plus.no_session",
                    "W-HA did not open the payment session; open a new one",
                )
            } else {
                e
            };
            Err(sale::record_failure(app, &order, e).await?)
        }
    }
}

/// A signed return, read from the URL the customer was sent back to.
#[derive(Debug, Clone, Serialize)]
pub struct Return {
    pub request_merchant_id: String,
    pub sid: String,
    pub trx_id: Option<String>,
    pub sub_id: Option<String>,
    pub success: bool,
}

/// Verifies a return URL's `h` before believing anything in it.
pub async fn verify_return(app: &Comptoir, url: &str) -> Result<Return> {
    let bad = |code: &str, text: &str| Error::invalid(code, text.to_string());
    let query = url.trim().split_once('?').map(|(_, q)| q).unwrap_or(url.trim());
    let query = query.split('#').next().unwrap_or_default();
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let get = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let h = get("h").ok_or_else(|| {
        bad(
            "internet_plus.unsigned_return",
            "this return URL is not signed (no `h`): nothing was recorded",
        )
    })?;
    let (config, _) = app.provider_config(P).await?;
    let secret = config.require_secret(P, "hmac_secret")?;
    if !signature::verify(secret.expose(), query, &h) {
        return Err(bad(
            "internet_plus.bad_signature",
            "this return URL's signature is wrong (altered, or another merchant's): nothing was recorded",
        ));
    }
    let action = get("action").unwrap_or_default();
    let success = match action.as_str() {
        "purchaseSuccess" => true,
        "purchaseFailure" => false,
        _ => {
            return Err(bad(
                "internet_plus.bad_return",
                "the return URL's action is neither purchaseSuccess nor purchaseFailure",
            ))
        }
    };
    Ok(Return {
        request_merchant_id: get("requestMerchantId")
            .ok_or_else(|| bad("internet_plus.bad_return", "the return URL names no order"))?,
        sid: get("sid").ok_or_else(|| bad("internet_plus.bad_return", "the return URL names no session"))?,
        trx_id: get("trxId"),
        sub_id: get("subId"),
        success,
    })
}

/// Records a verified return on its order: authorized (`processing`) or
/// cancelled by the customer. Never confirms. The same genuine return
/// accepted twice changes nothing the second time.
pub async fn accept_return(app: &Comptoir, url: &str) -> Result<Order> {
    let r = verify_return(app, url).await?;
    let order = match app.journal.get(&r.request_merchant_id).await {
        Ok(o) if o.provider == P => o,
        _ => {
            return Err(Error::invalid(
                "internet_plus.unknown_order",
                "this return is for an order this shop does not have",
            )
            .with("order", r.request_merchant_id.clone()))
        }
    };
    if detail(&order, "session_id").as_deref() != Some(r.sid.as_str()) {
        return Err(Error::invalid(
            "internet_plus.wrong_session",
            format!("this return is not for order {}'s payment session", order.id),
        )
        .with("order", order.id.clone()));
    }
    if order.status == OrderStatus::Failed && r.success {
        return late_return(app, &order, &r).await;
    }
    if order.status != OrderStatus::Pending {
        let same = if r.success {
            detail(&order, "transaction_id") == r.trx_id
        } else {
            order.status == OrderStatus::Cancelled
        };
        if same {
            return Ok(order); // the same return again: already recorded
        }
        return Err(Error::invalid(
            "internet_plus.not_waiting",
            format!(
                "order {} is no longer waiting for its return ({})",
                order.id, order.status
            ),
        )
        .with("order", order.id.clone())
        .with("status", order.status.as_str()));
    }
    if !r.success {
        let update = StatusUpdate {
            message: "the customer cancelled on the operator's page".into(),
            details: Some(json!({"return": "purchaseFailure"})),
            ..Default::default()
        };
        return app.journal.set_status(&order.id, OrderStatus::Cancelled, update).await;
    }
    let trx = r
        .trx_id
        .clone()
        .ok_or_else(|| Error::invalid("internet_plus.bad_return", "a successful return names no transaction"))?;
    let update = StatusUpdate {
        provider_ref: Some(trx.clone()),
        details: Some(
            json!({"transaction_id": trx, "subscription_id": r.sub_id, "authorized_at": Utc::now().to_rfc3339()}),
        ),
        message: "authorized by the customer on the operator's page".into(),
        ..Default::default()
    };
    app.journal.set_status(&order.id, OrderStatus::Processing, update).await
}

/// A genuine return for a session the shop gave up (reconcile marked it
/// `failed` once its page expired): the customer did authorize, so W-HA
/// holds a transaction the shop will never deliver. It is recorded on the
/// order and cancelled at W-HA, so the customer is not billed. The same
/// return given again after a failed cancellation tries again.
async fn late_return(app: &Comptoir, order: &Order, r: &Return) -> Result<Order> {
    let trx = r
        .trx_id
        .clone()
        .ok_or_else(|| Error::invalid("internet_plus.bad_return", "a successful return names no transaction"))?;
    let done = order.details.get("late_cancelled").and_then(|v| v.as_bool()) == Some(true);
    if !done {
        let seen = StatusUpdate {
            details: Some(json!({"late_transaction_id": trx, "late_subscription_id": r.sub_id})),
            message: format!("the customer's authorization {trx} arrived after the session was given up"),
            ..Default::default()
        };
        app.journal.set_status(&order.id, order.status, seen).await?;
        let (client, _) = client(app).await?;
        let op = client.operator(operator_of(order)?);
        let cancelled = match &r.sub_id {
            Some(sub) => op.terminate(sub, model::TERMINATION_NOW).await.map(|_| ()),
            None => Ok(()),
        };
        if let Err(e) = cancelled.and(op.cancel(&trx).await.map(|_| ())) {
            return Err(Error::new(
                ErrorKind::Unavailable,
                "internet_plus.late_return_not_cancelled",
                format!(
                    "order {} had been given up when the customer's authorization {trx} arrived, and W-HA could not cancel it ({}): give the same return again once W-HA answers (W-HA cancels it by itself after 24 hours)",
                    order.id, e.message
                ),
            )
            .with("order", order.id.clone())
            .with("transaction", trx));
        }
        let update = StatusUpdate {
            details: Some(json!({"late_cancelled": true})),
            message: format!("late authorization {trx} cancelled at W-HA: the customer is not billed"),
            ..Default::default()
        };
        app.journal.set_status(&order.id, order.status, update).await?;
    }
    Err(Error::new(
        ErrorKind::Refused,
        "internet_plus.late_return_cancelled",
        format!(
            "order {} had been given up (its payment page expired) when the customer's authorization {trx} arrived: it was cancelled at W-HA, the customer is not billed; open a new payment if they still want the product",
            order.id
        ),
    )
    .with("order", order.id.clone())
    .with("transaction", trx))
}
