//! The simulator's `trxServices`, one operator's: transactions (confirm,
//! cancel, refund, consult) and subscriptions (confirm, terminate, consult,
//! list), each only for what that operator made.

use super::super::model::status::*;
use super::{date, error, invalid_status, missing, money, not_found, now, Operator, Sub, Trx, World, OFFERS};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

/// One call of `action` on operator `op`'s services.
pub(super) fn call(w: &mut World, op: Operator, action: &str, body: &str) -> Response {
    let Ok(req) = serde_json::from_str::<Value>(body) else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            5001,
            "INTERNAL_ERROR",
            "JSON parse error: message...",
        );
    };
    match action {
        "consultSubscriptions" => list(w, op, &field(&req, "userId").unwrap_or_default()),
        "confirmSubscription" | "terminateSubscription" | "consultSubscription" => subscription(w, op, action, &req),
        _ => transaction(w, op, action, &req),
    }
}

fn field(req: &Value, k: &str) -> Option<String> {
    req.get(k)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn trx_json(t: &Trx, key: &str) -> Value {
    let mut v = json!({
        key: t.id,
        "creationDate": date(t.created),
        "confirmOrCancelDate": t.confirm_or_cancel.map(date),
        "userId": t.user_id,
        "status": t.status,
        "trxAmount": money(t.amount_cents),
    });
    if let Some((id, when)) = &t.refund {
        v["refundTrxId"] = json!(id);
        v["refundTrxDate"] = json!(date(*when));
    }
    v
}

fn sub_json(w: &World, s: &Sub, key: &str, with_transactions: bool) -> Value {
    let offer = OFFERS.iter().find(|o| o.0 == s.offer_id);
    let mut v = json!({
        key: s.id,
        "status": s.status,
        "subscriptionDate": date(s.created),
        "chargeNextDate": date(s.next_charge),
        "subscriptionClosingDate": s.closing.map(date),
        "userId": s.user_id,
        "offer": {
            "offerId": s.offer_id,
            "offerPeriodicity": offer.and_then(|o| o.3),
            // The list example writes the amount as a number.
            "offerAmount": offer.map(|o| o.2 as f64 / 100.0),
        },
    });
    if with_transactions {
        let list: Vec<Value> = s
            .trx
            .iter()
            .filter_map(|id| w.transactions.iter().find(|t| &t.id == id))
            .map(|t| trx_json(t, "transactionId"))
            .collect();
        v["trxList"] = json!(list);
    }
    v
}

/// `/consultSubscriptions`: the user's active and pending ones; `[]` for a
/// user W-HA does not know.
fn list(w: &World, op: Operator, user: &str) -> Response {
    let list: Vec<Value> = w
        .subscriptions
        .iter()
        .filter(|s| s.operator == op && s.user_id == user && (s.status == ACTIVE || s.status == PENDING))
        .map(|s| sub_json(w, s, "subscriptionId", false))
        .collect();
    Json(list).into_response()
}

fn subscription(w: &mut World, op: Operator, action: &str, req: &Value) -> Response {
    let Some(id) = field(req, "subId") else {
        return missing("subId");
    };
    let termination = field(req, "terminationType");
    if action == "terminateSubscription" && termination.is_none() {
        return missing("terminationType");
    }
    let Some(i) = w.subscriptions.iter().position(|s| s.id == id && s.operator == op) else {
        return not_found("subscription");
    };
    let now = now(w);
    match action {
        "confirmSubscription" => {
            if w.subscriptions[i].status != PENDING {
                return invalid_status();
            }
            w.subscriptions[i].status = ACTIVE.into();
            for t in w.subscriptions[i].trx.clone() {
                if let Some(t) = w.transactions.iter_mut().find(|x| x.id == t && x.status == AUTHORIZED) {
                    t.status = CONFIRMED.into();
                    t.confirm_or_cancel = Some(now);
                }
            }
        }
        "terminateSubscription" => {
            let s = &mut w.subscriptions[i];
            if s.status != ACTIVE && s.status != PENDING {
                return invalid_status();
            }
            match termination.as_deref() {
                Some(CLOSED_BY_REQUEST) => {
                    s.status = CLOSED_BY_REQUEST.into();
                    s.closing = Some(now);
                }
                Some(CLOSED_BY_REQUEST_AT_DUE) => s.closing = Some(s.next_charge),
                _ => {
                    return error(
                        StatusCode::BAD_REQUEST,
                        4002,
                        "INVALID_PARAMETER",
                        "terminationType is invalid",
                    )
                }
            }
            return Json(sub_json(w, &w.subscriptions[i], "subId", false)).into_response();
        }
        _ => {}
    }
    Json(sub_json(w, &w.subscriptions[i], "subId", true)).into_response()
}

fn transaction(w: &mut World, op: Operator, action: &str, req: &Value) -> Response {
    let Some(id) = field(req, "transactionId") else {
        return missing("transactionId");
    };
    if action == "refund" {
        for k in ["refundReason", "refundComment"] {
            if field(req, k).is_none() {
                return missing(k);
            }
        }
    }
    let now = now(w);
    let Some(t) = w.transactions.iter_mut().find(|t| t.id == id && t.operator == op) else {
        return not_found("transaction");
    };
    match action {
        "confirm" | "cancel" => {
            if t.status != AUTHORIZED {
                return invalid_status();
            }
            t.status = if action == "confirm" { CONFIRMED } else { CANCELLED }.into();
            t.confirm_or_cancel = Some(now);
        }
        "refund" => {
            if t.status != CONFIRMED || t.refund.is_some() {
                return invalid_status();
            }
            t.status = REFUNDED.into();
            t.refund = Some((uuid::Uuid::new_v4().to_string(), now));
        }
        _ => {}
    }
    // The cancel example answers `trxId` and spells `CANCELED`.
    let mut v = trx_json(t, if action == "cancel" { "trxId" } else { "transactionId" });
    if action == "cancel" {
        v["status"] = json!("CANCELED");
    }
    Json(v).into_response()
}
