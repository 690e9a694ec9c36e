//! The simulator as Orange's OpenAPI declares it (`tests/openapi/`): the
//! answers written to its schemas, and the requests checked as it checks
//! them, so that `make api-check` (schemathesis) finds nothing to say.
//!
//! What the schemas ask and the prose document's examples do not give:
//! no `null` where a field is not nullable (an unknown value is left out),
//! money fields declared `integer` sent as whole numbers (the training
//! catalog is priced in whole euros for that), the product's `sms` a string,
//! `airtime_unit` within `minutes`/`hours`/`unlimited` (seconds become
//! minutes), a transaction's `product_type` within its enum (a top-up is a
//! `bundle topup`: the training top-ups carry data and airtime), and
//! `distribution_fees`/`distribution_fees_type`/`last_bucket_update` named
//! as the OpenAPI names them.

use super::super::model::{Country, Offer, Product, ProductMetadata, Transaction};
use super::bad_request;
use axum::response::Response;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// An offer (`OfferLight`).
pub(super) fn offer(o: &Offer) -> Value {
    let mut v = json!({
        "id": o.id,
        "name": o.name,
        "product": product(&o.product),
        "bucket": o.bucket,
        "resell_value": whole(o.resell_value),
        "distribution_fees": whole(o.distributor_fees),
        "distribution_fees_type": o.distributor_fees_type,
    });
    // The offer's tags on its product, where the OpenAPI's ProductLight
    // keeps them (the client reads both places).
    v["product"]["tags"] = json!(o.tags.iter().chain(&o.product.tags).collect::<Vec<_>>());
    let m = v.as_object_mut().expect("an offer is an object");
    put(m, "distributor_id", o.distributor_id.clone());
    put(m, "last_bucket_update", o.bucket_update_date.clone());
    put(m, "creation_date", o.creation_date.clone());
    put(m, "expiration_date", o.expiration_date.clone());
    // A free text field: what a PATCH stored is sent back as text.
    let metadata = o.metadata.as_ref().map(|m| match m {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    });
    put(m, "metadata", metadata);
    v
}

fn product(p: &Product) -> Value {
    let mut v = json!({
        "id": p.id,
        "name": p.name,
        "type": p.product_type,
        "status": p.status,
        "delivery": p.delivery,
        "supplier_id": p.supplier_id,
        "coverage_zone": p.coverage_zone.iter().map(country).collect::<Vec<_>>(),
    });
    let m = v.as_object_mut().expect("a product is an object");
    put(m, "orange_travel_id", p.orange_travel_id.clone());
    put(m, "description", p.description.clone());
    put(m, "reference_currency", p.reference_currency.clone());
    put(m, "bonus_value", p.bonus_value);
    put(m, "bonus_activation_date", p.bonus_activation_date.clone());
    put(m, "bonus_expiration_date", p.bonus_expiration_date.clone());
    put(m, "metadata", p.metadata.as_ref().map(metadata));
    v
}

fn country(c: &Country) -> Value {
    let mut m = Map::new();
    m.insert("iso_code".into(), json!(c.iso_code));
    put(&mut m, "name", c.name.clone());
    put(&mut m, "phone_prefix", c.phone_prefix.clone().filter(Value::is_number));
    put(&mut m, "flag", c.flag.clone());
    Value::Object(m)
}

/// `TopupMetadata` / `SimMetadata`: integers where declared, `sms` a text.
fn metadata(md: &ProductMetadata) -> Value {
    let mut m = Map::new();
    put(&mut m, "validity_duration", md.validity_duration.map(whole));
    put(&mut m, "validity_unit", md.validity_unit.clone());
    let (airtime, unit) = airtime(md.airtime_duration, md.airtime_unit.as_deref());
    put(&mut m, "airtime_duration", airtime.map(whole));
    put(&mut m, "airtime_unit", unit);
    put(&mut m, "data_amount", md.data_amount.map(whole));
    put(&mut m, "data_unit", md.data_unit.clone());
    put(&mut m, "sms", md.sms.as_ref().map(text));
    put(&mut m, "sms_cost", md.sms_cost.as_ref().map(text));
    put(&mut m, "airtime_cost", md.airtime_cost.as_ref().map(text));
    Value::Object(m)
}

/// Airtime in a unit of the OpenAPI's enum: seconds become minutes.
pub(super) fn airtime(amount: Option<f64>, unit: Option<&str>) -> (Option<f64>, Option<String>) {
    match unit {
        Some("seconds") => (amount.map(|s| (s / 60.0).round()), Some("minutes".into())),
        other => (amount, other.map(str::to_string)),
    }
}

/// A transaction (`DistributorTransaction`).
pub(super) fn transaction(t: &Transaction) -> Value {
    let mut v = without_nulls(serde_json::to_value(t).expect("transaction JSON"));
    let m = v.as_object_mut().expect("a transaction is an object");
    if m.get("product_type").and_then(Value::as_str) == Some("topup") {
        m.insert("product_type".into(), json!("bundle topup"));
    }
    for field in ["resell_value", "bonus_value", "supplier_tax", "rate_exchange"] {
        if let Some(n) = m.get(field).and_then(Value::as_f64) {
            m.insert(field.into(), whole(n));
        }
    }
    // The prose's eSIM answer writes a missing date as the text "None".
    if let Some(p) = m.get_mut("parameters").and_then(Value::as_object_mut) {
        if p.get("expiration_date").and_then(Value::as_str) == Some("None") {
            p.remove("expiration_date");
        }
    }
    v
}

/// Any answer with its `null`s left out, at every depth.
pub(super) fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// A whole number as a JSON integer (the OpenAPI's `integer` money and
/// counts); anything else as it is.
fn whole(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn put<T: serde::Serialize>(m: &mut Map<String, Value>, key: &str, value: Option<T>) {
    if let Some(v) = value {
        m.insert(key.into(), json!(v));
    }
}

// ---- Requests, checked as the OpenAPI declares them ----

/// A required query parameter with a value.
pub(super) fn query_param<'a>(q: &'a HashMap<String, String>, name: &str) -> Result<&'a str, Response> {
    q.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| bad_request(format!("missing {name} parameter")))
}

/// An optional `integer` query parameter (`offset`, `limit`).
pub(super) fn integer(q: &HashMap<String, String>, name: &str) -> Result<Option<i64>, Response> {
    match q.get(name) {
        None => Ok(None),
        Some(v) => saturating_integer(v)
            .map(Some)
            .ok_or_else(|| bad_request(format!("invalid {name} parameter: an integer"))),
    }
}

/// Any integer, however long (the schema sets no bound): one beyond i64
/// is taken as i64's bound.
fn saturating_integer(v: &str) -> Option<i64> {
    let digits = v.strip_prefix('-').or(v.strip_prefix('+')).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        v.parse()
            .unwrap_or(if v.starts_with('-') { i64::MIN } else { i64::MAX }),
    )
}

/// `offset` and `limit` as a page: a negative offset starts at the first.
pub(super) fn page(q: &HashMap<String, String>, default_limit: usize) -> Result<(usize, usize), Response> {
    let offset = integer(q, "offset")?.unwrap_or(0).max(0) as usize;
    let limit = integer(q, "limit")?.map_or(default_limit, |l| l.max(0) as usize);
    Ok((offset, limit))
}

/// An optional `date-time` query parameter; the description's
/// `YYYY-MM-DD` is taken too, as the day's start.
pub(super) fn date_time(q: &HashMap<String, String>, name: &str) -> Result<Option<String>, Response> {
    let Some(v) = q.get(name) else {
        return Ok(None);
    };
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
        return Ok(Some(
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ));
    }
    match chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) => Ok(Some(format!("{d}T00:00:00Z"))),
        Err(_) => Err(bad_request(format!("invalid {name} parameter: a date-time"))),
    }
}

/// `?encoding`: absent, or `base64` (the only value of its enum).
pub(super) fn base64_encoding(q: &HashMap<String, String>) -> Result<bool, Response> {
    match q.get("encoding").map(String::as_str) {
        None => Ok(false),
        Some("base64") => Ok(true),
        Some(other) => Err(bad_request(format!("invalid encoding {other}: only base64"))),
    }
}

/// The body of `PATCH /distributors/offers/{id}` (`OfferEditableParameters`):
/// an object whose known fields have their declared types. Other fields
/// are ignored, as the schema allows them.
pub(super) fn offer_patch(body: &[u8]) -> Result<Map<String, Value>, Response> {
    let Ok(Value::Object(patch)) = serde_json::from_slice::<Value>(body) else {
        return Err(bad_request("unable to decode json body".into()));
    };
    let typed = |key: &str, ok: fn(&Value) -> bool| patch.get(key).is_none_or(ok);
    if !typed("name", Value::is_string) || !typed("metadata", Value::is_string) {
        return Err(bad_request("name and metadata are strings".into()));
    }
    if !typed("distributor_fees", is_integer) {
        return Err(bad_request("distributor_fees must be an integer".into()));
    }
    if !typed("distributor_fees_type", |v| {
        matches!(v.as_str(), Some("percent" | "value"))
    }) {
        return Err(bad_request("distributor_fees_type must be percent or value".into()));
    }
    Ok(patch)
}

/// A JSON integer, `10.0` included (JSON Schema's reading since draft 6).
fn is_integer(v: &Value) -> bool {
    v.as_f64().is_some_and(|n| n.fract() == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_integers_and_nulls_are_left_out() {
        assert_eq!(whole(27.0), json!(27));
        assert_eq!(whole(2.5), json!(2.5));
        assert_eq!(
            without_nulls(json!({"a": null, "b": [{"c": null, "d": 1}]})),
            json!({"b": [{"d": 1}]})
        );
    }

    #[test]
    fn seconds_of_airtime_become_minutes() {
        assert_eq!(
            airtime(Some(1800.0), Some("seconds")),
            (Some(30.0), Some("minutes".into()))
        );
        assert_eq!(airtime(Some(2.0), Some("hours")), (Some(2.0), Some("hours".into())));
    }

    #[test]
    fn integers_of_any_length_are_integers() {
        assert_eq!(
            saturating_integer("-39635696542467864179539741490806784"),
            Some(i64::MIN)
        );
        assert_eq!(saturating_integer("12"), Some(12));
        assert_eq!(saturating_integer("1.5"), None);
        assert_eq!(saturating_integer("-"), None);
    }

    #[test]
    fn a_patch_is_checked_as_declared() {
        assert!(offer_patch(br#"{"distributor_fees": 10.0, "name": "x", "other": [1]}"#).is_ok());
        assert!(offer_patch(br#"{"distributor_fees": 2.5}"#).is_err());
        assert!(offer_patch(br#"{"distributor_fees_type": "half"}"#).is_err());
        assert!(offer_patch(br#"{"metadata": {"a": 1}}"#).is_err());
        assert!(offer_patch(br#"[1]"#).is_err());
        assert!(offer_patch(b"\xff").is_err());
    }

    #[test]
    fn dates_are_date_times_or_days() {
        let q = |v: &str| HashMap::from([("startDate".to_string(), v.to_string())]);
        assert_eq!(
            date_time(&q("2026-12-04T15:43:00+01:00"), "startDate").unwrap(),
            Some("2026-12-04T14:43:00Z".into())
        );
        assert_eq!(
            date_time(&q("2026-12-04"), "startDate").unwrap(),
            Some("2026-12-04T00:00:00Z".into())
        );
        assert!(date_time(&q("`$9"), "startDate").is_err());
    }
}
