//! The simulator's transactions: a sale (`POST /distributors/transactions`)
//! with the OpenAPI's 400 reasons, the list, its CSV, the count and one
//! transaction, each answered in the simulator's shape.

use super::super::model::{Count, Transaction, TransactionCreation, SUPPLIER_WELCOME};
use super::{bad_request, error, openapi, Shape, Sim};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

/// `POST /distributors/transactions`, with the OpenAPI's 400 reasons in its
/// order of checks. A sale takes one from the offer's bucket.
pub(super) async fn create_transaction(State(sim): State<Arc<Sim>>, body: axum::body::Bytes) -> Response {
    let Ok(req) = serde_json::from_slice::<TransactionCreation>(&body) else {
        let reason = if serde_json::from_slice::<serde_json::Value>(&body).is_ok() {
            "missing offer_id parameter in body"
        } else {
            "unable to decode json body"
        };
        return bad_request(reason.into());
    };
    let mut offers = sim.offers.lock().unwrap();
    let Some(offer) = offers.iter_mut().find(|o| o.id == req.offer_id) else {
        return bad_request("invalid offer_id parameter".into());
    };
    let oid = offer.id.clone();
    let product = offer.product.clone();
    if product.status != "available" {
        return bad_request(format!(
            "product {} not available ({}) for offer {oid}",
            product.id, product.status
        ));
    }
    if offer.bucket <= 0 {
        return bad_request(format!("bucket empty for offer {oid}"));
    }
    let supplier = sim
        .suppliers
        .lock()
        .unwrap()
        .iter()
        .find(|s| s.id == product.supplier_id)
        .cloned();
    let is_topup = product.product_type == "topup";
    let mut parameters = json!({});
    if is_topup {
        let Some(p) = req.parameters.clone() else {
            return bad_request("missing parameters parameter in body (mandatory for a topup transaction)".into());
        };
        let valid = if product.supplier_id == SUPPLIER_WELCOME {
            p.sim_id
                .as_deref()
                .is_some_and(|s| s.len() >= 8 && s.bytes().all(|b| b.is_ascii_digit()))
        } else {
            p.msisdn
                .as_deref()
                .is_some_and(|m| m.len() >= 9 && m.bytes().all(|b| b.is_ascii_digit()))
        };
        if !valid {
            return bad_request(format!("bad parameter for transaction for offer {oid}"));
        }
        parameters = match (p.msisdn, p.sim_id) {
            (Some(m), _) => json!({"msisdn": m[m.len() - 9..].to_string()}),
            (_, Some(s)) => json!({"simId": s}),
            _ => parameters,
        };
    }
    let key = sim.key.lock().unwrap().clone();
    if !is_topup {
        let Some(pem) = key else {
            return bad_request(format!(
                "distributor key not set: eSIM transactions need a public key (offer {oid})"
            ));
        };
        parameters = match esim_parameters(&pem, &product.supplier_id) {
            Some(p) => p,
            None => return bad_request("distributor key unusable: upload a valid RSA public key".into()),
        };
    }
    if let Some(s) = supplier.as_ref().filter(|s| !s.connector_status) {
        return bad_request(format!(
            "transaction failed (bucket unchanged) supplier {} product {} offer {oid} distributor {} message connector unavailable",
            s.id,
            product.id,
            offer.distributor_id.clone().unwrap_or_default()
        ));
    }
    offer.bucket -= 1;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let trx = Transaction {
        id: uuid::Uuid::new_v4().to_string(),
        status: "ok".into(),
        product_type: Some(product.product_type.clone()),
        billing_mode: Some("prepaid".into()),
        creation_date: Some(now.clone()),
        change_date: Some(now),
        offer_id: Some(oid),
        distributor_id: offer.distributor_id.clone(),
        resell_value: Some(offer.resell_value),
        reference_currency: product.reference_currency.clone(),
        distributor_fees: Some(offer.distributor_fees),
        distributor_fees_type: Some(offer.distributor_fees_type),
        offer_bucket: Some(offer.bucket),
        user_id: Some(req.user_id.unwrap_or_default()),
        product_id: Some(product.id.clone()),
        product_name: Some(product.name.clone()),
        supplier_name: supplier.map(|s| s.name),
        distributor_name: Some("Comptoir training shop".into()),
        parameters: Some(parameters),
        ..Default::default()
    };
    sim.transactions.lock().unwrap().push(trx.clone());
    (StatusCode::CREATED, Json(sim.transaction_shaped(&trx))).into_response()
}

fn transactions_csv(list: &[Transaction]) -> String {
    let mut out = String::from("id;status;product_type;creation_date;offer_id;user_id;product_name;supplier_name;resell_value;reference_currency\n");
    for t in list {
        let f = |v: &Option<String>| v.clone().unwrap_or_default().replace([';', '\n'], " ");
        out.push_str(&format!(
            "{};{};{};{};{};{};{};{};{};{}\n",
            t.id,
            t.status,
            f(&t.product_type),
            f(&t.creation_date),
            f(&t.offer_id),
            f(&t.user_id),
            f(&t.product_name),
            f(&t.supplier_name),
            t.resell_value.unwrap_or_default(),
            f(&t.reference_currency)
        ));
    }
    out
}

pub(super) fn supplier_of_transaction(sim: &Sim, supplier: &str, trx: &str) -> Result<Transaction, Response> {
    let t = sim.transactions.lock().unwrap().iter().find(|t| t.id == trx).cloned();
    let Some(t) = t else {
        return Err(error(StatusCode::NOT_FOUND, 0, "Not Found", "transaction not found"));
    };
    let offers = sim.offers.lock().unwrap();
    let of_supplier = offers
        .iter()
        .any(|o| Some(&o.id) == t.offer_id.as_ref() && o.product.supplier_id == supplier);
    if !of_supplier {
        return Err(bad_request(format!("transaction {trx} is not of supplier {supplier}")));
    }
    Ok(t)
}

/// What an eSIM sale returns: Orange France gives a whole LPA code,
/// Welcome Travelers a matching id with `smdp_url` (both forms the client
/// must handle). The activation code is encrypted with the uploaded key.
fn esim_parameters(pem: &str, supplier_id: &str) -> Option<serde_json::Value> {
    let n: u64 = rand::random::<u64>() % 100_000_000;
    let matching = format!("K2-{:06X}-{:04X}", n % 0xFFFFFF, (n / 7) % 0xFFFF);
    let (clear, smdp) = if supplier_id == SUPPLIER_WELCOME {
        (matching.clone(), "https://smdp.welcome-travelers.example/")
    } else {
        (format!("LPA:1$smdp.orange-travel.example${matching}"), "")
    };
    let sealed = crate::crypto::encrypt_for(pem, &clear).ok()?;
    Some(json!({
        "supplier_ref": format!("356{:010}", n),
        "expiration_date": "None",
        "prefix": "33",
        "msisdn": format!("06{:08}", n),
        "activation_code": sealed,
        "iccid": format!("893320{:013}", n),
        "nsce": format!("0232{:010}", n),
        "pin_code": "0000",
        "puk": format!("{:08}", (n * 31) % 100_000_000),
        "matching_id": "",
        "smdp_url": smdp,
    }))
}

/// The filters of the transaction list and count, checked as declared:
/// dates are date-times (or days), the page integers.
struct Filters {
    start: Option<String>,
    end: Option<String>,
}

impl Filters {
    fn of(q: &HashMap<String, String>) -> Result<Filters, Response> {
        Ok(Filters {
            start: openapi::date_time(q, "startDate")?,
            end: openapi::date_time(q, "endDate")?,
        })
    }
}

fn matching(sim: &Sim, q: &HashMap<String, String>, f: &Filters) -> Vec<Transaction> {
    let offers = sim.offers.lock().unwrap();
    let supplier_of = |t: &Transaction| {
        offers
            .iter()
            .find(|o| Some(&o.id) == t.offer_id.as_ref())
            .map(|o| o.product.supplier_id.clone())
    };
    let created = |t: &Transaction| t.creation_date.clone().unwrap_or_default();
    sim.transactions
        .lock()
        .unwrap()
        .iter()
        .filter(|t| q.get("user").is_none_or(|u| t.user_id.as_ref() == Some(u)))
        .filter(|t| q.get("status").is_none_or(|s| &t.status == s))
        .filter(|t| q.get("offer").is_none_or(|o| t.offer_id.as_ref() == Some(o)))
        .filter(|t| q.get("supplier").is_none_or(|s| supplier_of(t).as_ref() == Some(s)))
        .filter(|t| f.start.as_ref().is_none_or(|d| &created(t) >= d))
        .filter(|t| f.end.as_ref().is_none_or(|d| &created(t) <= d))
        .cloned()
        .collect()
}

pub(super) async fn list_transactions(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (filters, (offset, limit)) = match Filters::of(&q).and_then(|f| Ok((f, openapi::page(&q, 100)?))) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let list: Vec<_> = matching(&sim, &q, &filters)
        .into_iter()
        .skip(offset)
        .take(limit)
        .collect();
    let wants_csv = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/csv"));
    if wants_csv {
        return (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            transactions_csv(&list),
        )
            .into_response();
    }
    Json(list.iter().map(|t| sim.transaction_shaped(t)).collect::<Vec<_>>()).into_response()
}

pub(super) async fn count_transactions(
    State(sim): State<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    match Filters::of(&q) {
        Ok(f) => Json(Count {
            count: matching(&sim, &q, &f).len() as f64,
        })
        .into_response(),
        Err(r) => r,
    }
}

pub(super) async fn transaction(State(sim): State<Arc<Sim>>, Path(id): Path<String>) -> Response {
    let found = sim.transactions.lock().unwrap().iter().find(|t| t.id == id).cloned();
    match found {
        Some(t) => Json(sim.transaction_shaped(&t)).into_response(),
        None => error(StatusCode::NOT_FOUND, 0, "Not Found", "transaction not found"),
    }
}

impl Sim {
    /// A transaction as this shape writes it.
    fn transaction_shaped(&self, t: &Transaction) -> serde_json::Value {
        match self.shape() {
            Shape::OpenApi => openapi::transaction(t),
            Shape::Prose => json!(t),
        }
    }
}
