//! W-HA Internet+ Box's wire types, with the document's field names.
//! Read leniently: amounts come as strings (`"4.99"`) or numbers (`3`),
//! dates as `dd-MM-yyyy HH:mm:ss` or `2022-11-22T08:26:02.37`, the cancel
//! answer says `trxId` where the others say `transactionId`, and the list of
//! subscriptions says `subscriptionId` where one subscription says `subId`.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// `POST {auth}/getPaymentSession`'s body.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SessionRequest {
    /// Our order id: W-HA's idempotency key for the session.
    pub request_merchant_id: String,
    pub client_ip: String,
    pub offer_id: String,
}

/// Its answer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SessionAnswer {
    #[serde(default, deserialize_with = "lenient_string")]
    pub client_ip: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub offer_id: Option<String>,
    /// `ByTel` or `Orange` (the document's spelling).
    #[serde(default, deserialize_with = "lenient_string")]
    pub operator_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    pub operator_url: Option<String>,
    pub payment_session: PaymentSession,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PaymentSession {
    pub id: String,
    pub payment_panel_url: String,
    #[serde(default, deserialize_with = "lenient_string")]
    pub expiration_date: Option<String>,
}

/// A transaction as `/confirm`, `/cancel`, `/refund` and
/// `/consultTransaction` answer it.
#[derive(ts_rs::TS, Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Transaction {
    #[serde(alias = "trxId", deserialize_with = "lenient_string")]
    pub transaction_id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub creation_date: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub confirm_or_cancel_date: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub user_id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub status: Option<String>,
    /// As W-HA writes it (`"4.99"` or `4.99`); read with [`cents`].
    pub trx_amount: Option<Value>,
    #[serde(deserialize_with = "lenient_string")]
    pub refund_trx_id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub refund_trx_date: Option<String>,
}

/// A subscription as `/confirmSubscription`, `/terminateSubscription`,
/// `/consultSubscription` and each item of `/consultSubscriptions` answer it.
#[derive(ts_rs::TS, Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Subscription {
    #[serde(alias = "subscriptionId", deserialize_with = "lenient_string")]
    pub sub_id: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub subscription_date: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub charge_next_date: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub subscription_closing_date: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub user_id: Option<String>,
    pub offer: Option<SubscriptionOffer>,
    pub trx_list: Vec<Transaction>,
}

#[derive(ts_rs::TS, Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct SubscriptionOffer {
    #[serde(deserialize_with = "lenient_string")]
    pub offer_id: Option<String>,
    /// `WEEKLY`, `MONTHLY`, ...
    #[serde(deserialize_with = "lenient_string")]
    pub offer_periodicity: Option<String>,
    pub offer_amount: Option<Value>,
}

/// The documented error body: `{"code": 4041, "message": "...", "description": "..."}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ApiError {
    pub code: Option<Value>,
    #[serde(deserialize_with = "lenient_string")]
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient_string")]
    pub description: Option<String>,
}

impl ApiError {
    /// The code as text (`"4041"`), whether W-HA sent a number or a string.
    pub fn code(&self) -> Option<String> {
        match self.code.as_ref()? {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) => Some(s.trim().to_string()),
            _ => None,
        }
    }
}

/// The statuses as the document spells them (`CANCELLED` and `CANCELED` both appear).
pub mod status {
    pub const AUTHORIZED: &str = "AUTHORIZED";
    pub const CONFIRMED: &str = "CONFIRMED";
    pub const CANCELLED: &str = "CANCELLED";
    pub const REFUNDED: &str = "REFUNDED";
    pub const PENDING: &str = "PENDING";
    pub const ACTIVE: &str = "ACTIVE";
    pub const CLOSED: &str = "CLOSED";
    pub const CLOSED_BY_REQUEST: &str = "CLOSED_BY_REQUEST";
    pub const CLOSED_BY_REQUEST_AT_DUE: &str = "CLOSED_BY_REQUEST_AT_DUE";
    pub const CLOSED_BY_NOT_CONFIRMED: &str = "CLOSED_BY_NOT_CONFIRMED";

    /// `CANCELED` (the cancel example) is `CANCELLED`.
    pub fn normalize(s: &str) -> String {
        match s.trim().to_ascii_uppercase().as_str() {
            "CANCELED" => CANCELLED.to_string(),
            other => other.to_string(),
        }
    }
}

/// The twelve refund reasons of the document, and what each means.
pub const REFUND_REASONS: &[(&str, &str)] = &[
    ("EDITOR_MULTIPLE_ORDER", "multiple order"),
    ("EDITOR_MULTIPLE_BILLING", "billed several times"),
    ("EDITOR_NOT_DELIVERED", "service or product not delivered"),
    ("EDITOR_CONTEST_PURCHASE", "purchase contested"),
    ("EDITOR_OTHER", "other"),
    ("EDITOR_BAD_CONNEXION", "connection cut or download incomplete"),
    ("EDITOR_EXPECTATION", "not what the customer expected"),
    ("EDITOR_SUB_CLOSED", "subscription closed, refund of its transaction"),
    ("EDITOR_USER_ERROR", "subscribed several times by mistake"),
    ("EDITOR_KID_PURCHASE", "purchase by a child"),
    (
        "EDITOR_CLOSED_SUBSCRIPTION",
        "transaction of a closed or unwanted subscription",
    ),
    ("EDITOR_WRONG_PRODUCT", "wrong product"),
];

/// How a subscription is ended.
pub const TERMINATION_NOW: &str = "CLOSED_BY_REQUEST";
pub const TERMINATION_AT_DUE: &str = "CLOSED_BY_REQUEST_AT_DUE";

/// An amount as W-HA writes it (`"4.99"`, `4.99`, `3`, `"2,49"`) in
/// integer cents, read from its decimal text, never through a float.
pub fn cents(v: &Value) -> Option<i64> {
    let text = match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().replace(',', "."),
        _ => return None,
    };
    decimal_cents(&text)
}

/// `"4.99"` → 499, `"3"` → 300, `"0.5"` → 50; more than two decimals or
/// anything else is not an amount.
pub fn decimal_cents(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (units, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if units.is_empty() || !units.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 2 {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let units: i64 = units.parse().ok()?;
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    let cents = units.checked_mul(100)?.checked_add(fraction)?;
    Some(if negative { -cents } else { cents })
}

/// A W-HA date as a real timestamp: `23-02-2021 12:21:36` or
/// `2022-11-22T08:26:02.37`. The document gives no time zone; they are read
/// as UTC (a choice kept here, shown to the cashier only as a date).
pub fn date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d.with_timezone(&Utc));
    }
    [
        "%d-%m-%Y %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .map(|n| n.and_utc())
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        // Trailing spaces appear in the document's ids (`"...c223 "`).
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn amounts_are_cents_from_their_text() {
        assert_eq!(cents(&json!("4.99")), Some(499));
        assert_eq!(cents(&json!(4.99)), Some(499));
        assert_eq!(cents(&json!(3)), Some(300));
        assert_eq!(cents(&json!("2,49")), Some(249));
        assert_eq!(cents(&json!("0.5")), Some(50));
        assert_eq!(cents(&json!("1.005")), None);
        assert_eq!(cents(&json!("abc")), None);
        assert_eq!(cents(&json!(null)), None);
    }

    #[test]
    fn both_date_forms_are_timestamps() {
        assert_eq!(
            date("23-02-2021 12:21:36").unwrap().to_rfc3339(),
            "2021-02-23T12:21:36+00:00"
        );
        assert_eq!(date("2022-11-22T08:26:02.37").unwrap().timestamp_millis() % 1000, 370);
        assert!(date("tomorrow").is_none());
    }

    #[test]
    fn the_documents_examples_are_read() {
        let cancel: Transaction = serde_json::from_value(json!({
            "trxId": "09ad4afd-14c1-4bee-a74e-c13f4ca2c223 ", "creationDate": "23-02-2021 12:21:36",
            "confirmOrCancelDate": "24-02-2021 09:00:18", "userId": "u0aeb92f", "status": "CANCELED", "trxAmount": "4.99"
        }))
        .unwrap();
        assert_eq!(
            cancel.transaction_id.as_deref(),
            Some("09ad4afd-14c1-4bee-a74e-c13f4ca2c223")
        );
        assert_eq!(status::normalize(cancel.status.as_deref().unwrap()), status::CANCELLED);
        let list: Vec<Subscription> = serde_json::from_value(json!([
            {"subscriptionId": "90028dd5", "status": "ACTIVE", "subscriptionDate": "23-11-2022 16:08:08",
             "userId": "44a4e5d3", "offer": {"offerId": "1111", "offerPeriodicity": "WEEKLY", "offerAmount": 3}}
        ]))
        .unwrap();
        assert_eq!(list[0].sub_id.as_deref(), Some("90028dd5"));
        assert_eq!(
            cents(list[0].offer.as_ref().unwrap().offer_amount.as_ref().unwrap()),
            Some(300)
        );
        let e: ApiError = serde_json::from_str(
            r#"{"code": 4041, "message": "OFFER_NOT_FOUND", "description": "Offer not found : x"}"#,
        )
        .unwrap();
        assert_eq!(e.code().as_deref(), Some("4041"));
    }
}
