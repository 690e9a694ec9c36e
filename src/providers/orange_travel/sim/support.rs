//! The simulator's support endpoints: a line's SIM status, its usage
//! balances, and the shop's global balances over a period.

use super::super::model::{
    GlobalBalances, SimStatus, UsageBalances, UsageBucket, ZoneBalance, SUPPLIER_FRANCE, SUPPLIER_WELCOME,
};
use super::openapi::{self, query_param};
use super::transactions::supplier_of_transaction;
use super::{bad_request, Shape, Sim};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

pub(super) async fn sim_status(
    State(sim): State<Arc<Sim>>,
    Path(supplier): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let t = match query_param(&q, "transaction").and_then(|trx| supplier_of_transaction(&sim, &supplier, trx)) {
        Ok(t) => t,
        Err(r) => return r,
    };
    let fresh = if t.product_type.as_deref() == Some("eSim") {
        "not installed"
    } else {
        "available"
    };
    let status = sim
        .sim_statuses
        .lock()
        .unwrap()
        .get(&t.id)
        .cloned()
        .unwrap_or_else(|| fresh.to_string());
    sim.answer(json!(SimStatus {
        status,
        creation_date: t.creation_date.clone(),
        activation_date: None,
        last_topup_date: None,
        expiration_date: Some("2027-01-01T00:00:00Z".into()),
    }))
}

/// Usage balances exist for Welcome Travelers and Orange France only; a
/// bare `simId` is accepted for Welcome Travelers only (document).
pub(super) async fn usage_balances(
    State(sim): State<Arc<Sim>>,
    Path(supplier): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if supplier != SUPPLIER_WELCOME && supplier != SUPPLIER_FRANCE {
        return bad_request(format!("usage balances not available for supplier {supplier}"));
    }
    let by_sim_id = q.get("simId").filter(|v| !v.is_empty());
    match (q.get("transaction").filter(|v| !v.is_empty()), by_sim_id) {
        (Some(trx), _) => {
            if let Err(r) = supplier_of_transaction(&sim, &supplier, trx) {
                return r;
            }
        }
        (None, Some(_)) if supplier == SUPPLIER_WELCOME => {}
        (None, Some(_)) => return bad_request("simId is only accepted for Welcome Travelers".into()),
        (None, None) => return bad_request("missing transaction or simId parameter".into()),
    }
    // The prose's example counts airtime in seconds; the OpenAPI's enum
    // has minutes, hours or unlimited.
    let (openapi_shape, seconds) = (sim.shape() == Shape::OpenApi, Some("seconds"));
    let bucket = |name: &str, data: f64, airtime: f64| {
        let (airtime, unit) = match openapi_shape {
            true => openapi::airtime(Some(airtime), seconds),
            false => (Some(airtime), seconds.map(str::to_string)),
        };
        UsageBucket {
            activation_date: None,
            expiration_date: Some("2026-12-31T00:00:00Z".into()),
            data_remaining: Some(data),
            data_unit: Some("Gb".into()),
            airtime_remaining: airtime,
            airtime_unit: unit,
            sms_remaining: Some(0.0),
            name: Some(name.into()),
        }
    };
    sim.answer(json!(UsageBalances {
        first_activation_date: None,
        number_expiration_date: Some("2027-05-10T00:00:00Z".into()),
        buckets: vec![
            bucket("Carte Holiday Tourist LS", 13.2, 0.0),
            bucket("Recharge Holiday Voix", 0.0, 1800.0),
        ],
    }))
}

pub(super) async fn global_balances(State(sim): State<Arc<Sim>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let day = |name: &str| {
        query_param(&q, name).and_then(|v| {
            chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| bad_request(format!("invalid {name}")))
        })
    };
    let (start, end) = match (day("startDate"), day("endDate")) {
        (Ok(s), Ok(e)) => (s, e),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    if end < start || (end - start).num_days() > 183 {
        return bad_request("the period must be at most 6 months".into());
    }
    let zone = |name: &str, code: &str, amount: f64| ZoneBalance {
        name: name.into(),
        code: code.into(),
        data_unit: Some("Mo".into()),
        data_amount: Some(amount),
    };
    let zones = match q.get("zoneLevel").map(String::as_str) {
        Some("country") => vec![
            zone("France", "FR", 830.0),
            zone("Spain", "ES", 420.0),
            zone("United States", "US", 782.0),
        ],
        Some("region") | None => vec![zone("Europe", "EU", 1250.0), zone("North America", "NA", 782.0)],
        Some(other) => return bad_request(format!("invalid zoneLevel {other}")),
    };
    sim.answer(json!(GlobalBalances {
        start_date: Some(format!("{start}T00:00:00.000Z")),
        end_date: Some(format!("{end}T00:00:00.000Z")),
        zones,
    }))
}

impl Sim {
    /// An answer in this shape: the OpenAPI's leaves out what is unknown
    /// (its fields are not nullable); the prose's examples show `null`.
    fn answer(&self, v: serde_json::Value) -> Response {
        match self.shape() {
            Shape::OpenApi => Json(openapi::without_nulls(v)).into_response(),
            Shape::Prose => Json(v).into_response(),
        }
    }
}
