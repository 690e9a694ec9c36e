//! Wire types of Orange Travel B2B, with the document's field names.
//! Money fields are declared integers in the OpenAPI (`format: float`)
//! and carry decimals in the prose's examples: both are read.
//!
//! Both shapes are read: the prose document's examples (an offer's `tags`
//! a string such as `""` or `"esim,travel"`, `coverage_zone` a list of
//! country codes, `distributor_fees`, `bucket_update_date`) and the
//! OpenAPI's (tags a list of strings, on the offer or its product,
//! `coverage_zone` a list of Country objects `{iso_code, name,
//! phone_prefix, flag}`, `distribution_fees`, `last_bucket_update`, a
//! product without a `name`). Comptoir writes the OpenAPI's shape.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// Supplier ids as the document lists them (`GET /distributors/suppliers`).
pub const SUPPLIER_FRANCE: &str = "7413e966-c97c-11ed-b80c-fa163e78aa28";
pub const SUPPLIER_WELCOME: &str = "92d376d4-0c18-4da8-9e6e-4dd173bc554e";
pub const SUPPLIER_SPAIN: &str = "e0c798dd-54a2-462d-8f87-79a44f7547a1";
pub const SUPPLIER_B2B: &str = "e2c44763-fa73-11ef-bc0c-fa163ed2cb6e";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Offer {
    pub id: String,
    pub name: String,
    pub product: Product,
    #[serde(default)]
    pub distributor_id: Option<String>,
    #[serde(default, alias = "last_bucket_update")]
    pub bucket_update_date: Option<String>,
    #[serde(default, deserialize_with = "tags")]
    pub tags: Vec<String>,
    #[serde(default)]
    pub creation_date: Option<String>,
    #[serde(default)]
    pub expiration_date: Option<String>,
    #[serde(default)]
    pub bucket: i64,
    pub resell_value: f64,
    #[serde(default, alias = "distribution_fees")]
    pub distributor_fees: f64,
    #[serde(default, alias = "distribution_fees_type")]
    pub distributor_fees_type: FeesType,
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum FeesType {
    Percent,
    #[default]
    Value,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Product {
    pub id: String,
    #[serde(default)]
    pub orange_travel_id: Option<String>,
    /// The prose's products have a name; the OpenAPI's light product not.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// `eSim` or `topup`.
    #[serde(rename = "type")]
    pub product_type: String,
    /// `available` when it can be sold.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub delivery: Vec<String>,
    #[serde(default)]
    pub reference_currency: Option<String>,
    #[serde(default)]
    pub bonus_value: Option<f64>,
    #[serde(default)]
    pub bonus_activation_date: Option<String>,
    #[serde(default)]
    pub bonus_expiration_date: Option<String>,
    pub supplier_id: String,
    #[serde(default)]
    pub metadata: Option<ProductMetadata>,
    #[serde(default, deserialize_with = "countries")]
    pub coverage_zone: Vec<Country>,
    #[serde(default, deserialize_with = "tags")]
    pub tags: Vec<String>,
}

/// A country as the OpenAPI describes it (the prose gives only its code).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Country {
    pub iso_code: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone_prefix: Option<Value>,
    #[serde(default)]
    pub flag: Option<String>,
}

/// A currency of `GET /currencies`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Currency {
    pub iso_code: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub euro_exchange_rate: Option<f64>,
    #[serde(default)]
    pub us_dollar_exchange_rate: Option<f64>,
    #[serde(default)]
    pub last_change: Option<String>,
}

/// Tags: a list of strings, or one string of comma-separated tags (`""`
/// is none), or null.
fn tags<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let split = |s: &str| -> Vec<String> {
        s.split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    Ok(match Value::deserialize(d)? {
        Value::String(s) => split(&s),
        Value::Array(items) => items.iter().filter_map(Value::as_str).flat_map(split).collect(),
        _ => vec![],
    })
}

/// Countries: codes (`"FR"`) or Country objects, in one list.
fn countries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Country>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|i| match i {
                Value::String(code) => Some(Country {
                    iso_code: code,
                    ..Default::default()
                }),
                o @ Value::Object(_) => serde_json::from_value(o).ok(),
                _ => None,
            })
            .collect(),
        _ => vec![],
    })
}

/// An answer that is one item or a list holding it (one offer, the PATCH
/// answer): the first item, when there is one that reads.
pub fn one<T: serde::de::DeserializeOwned>(v: Value) -> Option<T> {
    match v {
        Value::Array(items) => items.into_iter().find_map(|i| serde_json::from_value(i).ok()),
        other => serde_json::from_value(other).ok(),
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ProductMetadata {
    #[serde(default)]
    pub validity_duration: Option<f64>,
    #[serde(default)]
    pub validity_unit: Option<String>,
    /// A number in the prose's example, a text in the OpenAPI.
    #[serde(default)]
    pub sms: Option<Value>,
    #[serde(default)]
    pub sms_cost: Option<Value>,
    #[serde(default)]
    pub airtime_duration: Option<f64>,
    #[serde(default)]
    pub airtime_unit: Option<String>,
    #[serde(default)]
    pub airtime_cost: Option<Value>,
    #[serde(default)]
    pub data_amount: Option<f64>,
    #[serde(default)]
    pub data_unit: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Supplier {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub connector_status: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_outage_date: Option<String>,
}

/// Orange's error body: `{"code": 42, "message": ..., "description": ...}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ApiError {
    pub code: i64,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub description: String,
}

/// Body of `POST /distributors/transactions`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TransactionCreation {
    pub offer_id: String,
    /// Free field of the distributor: Comptoir sends its order id, so a
    /// transaction can be found again after a lost answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<TransactionParameters>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct TransactionParameters {
    /// Orange France / Spain top-ups: the API keeps the last 9 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msisdn: Option<String>,
    /// Welcome Travelers top-ups.
    #[serde(default, rename = "simId", skip_serializing_if = "Option::is_none")]
    pub sim_id: Option<String>,
}

/// A transaction as the API returns it. Lenient: every field but the id may
/// be missing or null.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct Transaction {
    pub id: String,
    /// `created`, `pending`, `ok`, `ko`, `expired`.
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub product_type: Option<String>,
    #[serde(default)]
    pub billing_mode: Option<String>,
    #[serde(default)]
    pub creation_date: Option<String>,
    #[serde(default)]
    pub change_date: Option<String>,
    #[serde(default)]
    pub expiration_date: Option<String>,
    #[serde(default)]
    pub offer_id: Option<String>,
    #[serde(default)]
    pub distributor_id: Option<String>,
    #[serde(default)]
    pub resell_value: Option<f64>,
    #[serde(default)]
    pub reference_currency: Option<String>,
    #[serde(default)]
    pub distributor_fees: Option<f64>,
    #[serde(default)]
    pub distributor_fees_type: Option<FeesType>,
    #[serde(default)]
    pub offer_bucket: Option<i64>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub metadata: Option<serde_json::Value>,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub product_name: Option<String>,
    #[serde(default)]
    pub supplier_name: Option<String>,
    #[serde(default)]
    pub distributor_name: Option<String>,
    /// Product-specific: for a top-up the msisdn or simId, for an eSIM the
    /// encrypted activation code, PIN, PUK, ...
    #[serde(default)]
    pub parameters: Option<serde_json::Value>,
}

/// The distributor's public key, as `POST/GET /distributors/keys` carry it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DistributorKey {
    /// Always `rsa256`.
    pub key_type: String,
    /// PEM (or base64 of the PEM with `?encoding=base64`).
    pub public_key_value: String,
}

impl Offer {
    /// What the customer pays, in cents: the resell value plus the shop's
    /// fees, computed exactly and rounded half-up (`types::cents`). None for
    /// amounts out of any price's range.
    pub fn price_cents(&self) -> Option<i64> {
        let resell = crate::types::cents::from_units(self.resell_value)?;
        match self.distributor_fees_type {
            FeesType::Percent => crate::types::cents::plus_percent(resell, self.distributor_fees),
            FeesType::Value => resell.checked_add(crate::types::cents::from_units(self.distributor_fees)?),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_offer() {
        let doc = r#"{"id": "12fee06a-273e-45c8-9e04-8841e74a749a", "name": "My custom offer name",
          "product": {"id": "e3585509", "orange_travel_id": "OT456360478", "name": "Topup 10 € with data",
            "description": "<b>x</b>", "type": "topup", "status": "available", "delivery": ["api"],
            "reference_currency": "EUR", "bonus_value": 0.0, "bonus_activation_date": null,
            "bonus_expiration_date": null, "supplier_id": "7413e966-c97c-11ed-b80c-fa163e78aa28",
            "metadata": {"validity_duration": 14, "validity_unit": "days", "sms": 0, "sms_cost": null,
              "airtime_duration": 0, "airtime_unit": "hours", "airtime_cost": null, "data_amount": 5, "data_unit": "Gb"},
            "coverage_zone": []},
          "distributor_id": "e80797d1", "bucket_update_date": null, "tags": "", "creation_date": "2024-07-16T12:52:11Z",
          "expiration_date": null, "bucket": 101, "resell_value": 7.92, "distributor_fees": 10.0,
          "distributor_fees_type": "percent", "metadata": "some additional information"}"#;
        let offer: Offer = serde_json::from_str(doc).unwrap();
        assert_eq!(offer.bucket, 101);
        assert_eq!(offer.product.product_type, "topup");
        assert_eq!(offer.product.metadata.as_ref().unwrap().data_amount, Some(5.0));
        assert_eq!(offer.price_cents(), Some(871), "7.92 + 10 % = 8.712 → 8.71");
        assert!(offer.tags.is_empty(), "the prose's empty tags string");
    }

    #[test]
    fn parses_the_openapis_offer() {
        let doc = r#"[{"id": "12fee06a", "name": "Europe 30 Go",
          "product": {"id": "e3585509", "type": "eSim", "supplier_id": "92d376d4",
            "coverage_zone": [{"iso_code": "FR", "name": "France", "phone_prefix": 33, "flag": "https://flagcdn.com/w160/fr.png"},
                              {"iso_code": "ES", "name": "Spain"}],
            "tags": ["esim", "travel"], "status": "available"},
          "bucket": 12, "last_bucket_update": "2026-11-30T10:00:00Z", "resell_value": 27.5,
          "distribution_fees": 2.5, "distributor_fees_type": "value"}]"#;
        let offer: Offer = one(serde_json::from_str(doc).unwrap()).unwrap();
        assert_eq!(offer.product.name, "", "the light product has no name");
        assert_eq!(offer.product.tags, vec!["esim", "travel"]);
        assert_eq!(offer.product.coverage_zone[1].name.as_deref(), Some("Spain"));
        assert_eq!(offer.distributor_fees, 2.5);
        assert_eq!(offer.bucket_update_date.as_deref(), Some("2026-11-30T10:00:00Z"));
        assert_eq!(offer.price_cents(), Some(3000));
    }

    /// The OpenAPI's own field names and types: `distribution_fees_type`,
    /// integer money, `sms` as a text in the product's metadata.
    #[test]
    fn parses_the_openapis_names_and_types() {
        let doc = r#"{"id": "7b977bd5", "name": "Recharge 10 €", "resell_value": 8, "distribution_fees": 10,
          "distribution_fees_type": "percent", "tags": ["topup"],
          "product": {"id": "e3585509", "type": "topup", "supplier_id": "7413e966", "coverage_zone": [],
            "metadata": {"validity_duration": 30, "validity_unit": "days", "sms": "unlimited", "data_amount": 5,
              "data_unit": "Go", "airtime_duration": 60, "airtime_unit": "minutes", "airtime_cost": "0.05 EUR/min"}}}"#;
        let offer: Offer = serde_json::from_str(doc).unwrap();
        assert_eq!(offer.distributor_fees_type, FeesType::Percent);
        assert_eq!(offer.price_cents(), Some(880), "8 € + 10 %");
        assert_eq!(offer.product.metadata.unwrap().sms, Some(Value::from("unlimited")));
    }
}

/// `GET /distributors/suppliers/{id}/simstatus?transaction=`.
#[derive(ts_rs::TS, Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct SimStatus {
    /// One of `SIM_STATUSES`.
    pub status: String,
    #[serde(default)]
    pub creation_date: Option<String>,
    #[serde(default)]
    pub activation_date: Option<String>,
    #[serde(default)]
    pub last_topup_date: Option<String>,
    #[serde(default)]
    pub expiration_date: Option<String>,
}

/// The document's SIM status table.
pub const SIM_STATUSES: [&str; 11] = [
    "free",
    "not installed",
    "available",
    "suspended fraud",
    "suspended kyc default",
    "suspended by operator",
    "suspended following a theft or loss",
    "expired",
    "uninstalled",
    "revoked by operator",
    "sim swap",
];

/// `GET /distributors/suppliers/{id}/usagebalances`.
#[derive(ts_rs::TS, Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct UsageBalances {
    #[serde(default)]
    pub first_activation_date: Option<String>,
    #[serde(default)]
    pub number_expiration_date: Option<String>,
    #[serde(default)]
    pub buckets: Vec<UsageBucket>,
}

#[derive(ts_rs::TS, Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct UsageBucket {
    #[serde(default)]
    pub activation_date: Option<String>,
    #[serde(default)]
    pub expiration_date: Option<String>,
    #[serde(default)]
    pub data_remaining: Option<f64>,
    #[serde(default)]
    pub data_unit: Option<String>,
    #[serde(default)]
    pub airtime_remaining: Option<f64>,
    #[serde(default)]
    pub airtime_unit: Option<String>,
    #[serde(default)]
    pub sms_remaining: Option<f64>,
    #[serde(default)]
    pub name: Option<String>,
}

/// `GET /distributors/suppliers/{id}/globalbalances`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct GlobalBalances {
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub end_date: Option<String>,
    #[serde(default)]
    pub zones: Vec<ZoneBalance>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ZoneBalance {
    pub name: String,
    pub code: String,
    #[serde(default)]
    pub data_unit: Option<String>,
    #[serde(default)]
    pub data_amount: Option<f64>,
}

/// `GET /distributors/transactions/count`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Count {
    pub count: f64,
}
