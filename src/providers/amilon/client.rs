//! HTTP client of the Amilon B2B web API (v1). Tokens come from the shared
//! token manager (password grant, 5-minute tokens reused until shortly
//! before they end, renewed once on a 401) — not fetched on every call as
//! the report's integration does. Reads are retried with backoff; an order
//! creation is sent once.

use super::model::{AmilonOrder, Contract, OrderCreation};
use crate::auth::{excerpt, Grant, TokenManager, TokenSource};
use crate::config::ProviderConfig;
use crate::error::{Error, ErrorKind, Result};
use crate::http::{Api, Effect};
use crate::types::ProviderId;
use reqwest::{Method, StatusCode};
use std::sync::Arc;

const P: ProviderId = ProviderId::Amilon;

#[derive(Clone)]
pub struct Client {
    api: Api,
    contract_id: String,
    pub culture: String,
}

/// Amilon's token endpoint and grant: the resource-owner password grant,
/// everything in the form body.
pub fn token_source(config: &ProviderConfig, training: bool) -> Result<TokenSource> {
    let get = |f: &str| config.require(P, f);
    Ok(TokenSource {
        token_url: get("token_url")?,
        grant: Grant::Password {
            client_id: get("client_id")?,
            client_secret: config.require_secret(P, "client_secret")?,
            username: get("username")?,
            password: config.require_secret(P, "password")?,
        },
        persist: !training,
    })
}

impl Client {
    /// `training`: the configuration points at the in-process simulator.
    pub fn new(
        config: &ProviderConfig,
        training: bool,
        tokens: Arc<TokenManager>,
        http: reqwest::Client,
    ) -> Result<Self> {
        let get = |f: &str| config.require(P, f);
        let culture = get("culture")?;
        if super::model::culture_country(&culture).is_none() {
            return Err(Error::config(
                "amilon.bad_culture",
                format!("`{culture}` is not one of Amilon's cultures (fr-FR, en-GB, it-IT, ...)"),
            )
            .with("value", culture));
        }
        Ok(Client {
            api: Api {
                provider: P,
                base: get("url")?.trim_end_matches('/').to_string(),
                source: token_source(config, training)?,
                tokens,
                http,
                api_error,
            },
            contract_id: segment(&get("contract_id")?)?.to_string(),
            culture,
        })
    }

    pub async fn contract(&self) -> Result<Contract> {
        let path = format!("/contracts/{}", self.contract_id);
        self.api.call(Method::GET, &path, None, Effect::Read).await
    }

    /// The raw product list (kept as sent, for the catalog cache).
    pub async fn products(&self) -> Result<Vec<serde_json::Value>> {
        let path = format!("/contracts/{}/{}/products/complete", self.contract_id, self.culture);
        self.api.call(Method::GET, &path, None, Effect::Read).await
    }

    pub async fn retailers(&self) -> Result<Vec<serde_json::Value>> {
        let path = format!("/contracts/{}/{}/retailers", self.contract_id, self.culture);
        self.api.call(Method::GET, &path, None, Effect::Read).await
    }

    pub async fn categories(&self) -> Result<Vec<serde_json::Value>> {
        self.api
            .call(Method::GET, "/retailers/categories", None, Effect::Read)
            .await
    }

    /// Creates an order: this spends the shop's budget. Sent once; the
    /// caller has written the order with its external id first, so a lost
    /// answer is found again with `order`.
    pub async fn create_order(&self, body: &OrderCreation) -> Result<AmilonOrder> {
        let path = format!("/Orders/create/{}", self.contract_id);
        let body = serde_json::to_value(body).expect("order JSON");
        self.api.call(Method::POST, &path, Some(body), Effect::Write).await
    }

    /// An order and its vouchers, by our external id.
    pub async fn order(&self, external_order_id: &str) -> Result<AmilonOrder> {
        let path = format!("/Orders/{}/complete", segment(external_order_id)?);
        self.api.call(Method::GET, &path, None, Effect::Read).await
    }
}

/// A path segment from an id: refused locally when it could change the path.
fn segment(id: &str) -> Result<&str> {
    let ok = !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(id)
    } else {
        Err(Error::invalid("amilon.bad_id", format!("`{id}` is not a valid Amilon id")).with("value", id))
    }
}

/// The document's order errors: the words Amilon answers with, the stable
/// code, and what the cashier should do. Matched anywhere in the body,
/// case-insensitively, since the report does not show the body's shape.
const ORDER_ERRORS: &[(&str, &str, &str)] = &[
    (
        "duplicate order",
        "amilon.duplicate_order",
        "Amilon already has this order; its vouchers are fetched instead",
    ),
    (
        "invalid product",
        "amilon.invalid_product",
        "Amilon does not know this gift card any more; sync the catalog and choose again",
    ),
    (
        "invalid quantity",
        "amilon.invalid_quantity",
        "Amilon refused the quantity for this gift card; choose a quantity within its limits",
    ),
    (
        "insufficient funds",
        "amilon.insufficient_funds",
        "The shop's Amilon budget is spent; nothing was charged — top up the account with Amilon",
    ),
    (
        "product unavailable",
        "amilon.product_unavailable",
        "This gift card is out of stock at Amilon; nothing was charged — choose another one",
    ),
];

/// Amilon's error answers mapped to the core's kinds and stable codes. A
/// 5xx after a create says nothing of whether the order exists: unknown.
fn api_error(status: StatusCode, body: &str, effect: Effect) -> Error {
    let lower = body.to_ascii_lowercase();
    let known = ORDER_ERRORS.iter().find(|(words, _, _)| lower.contains(words));
    let err = match (status, known) {
        (StatusCode::UNAUTHORIZED, _) => Error::config(
            "amilon.unauthorized",
            "Amilon refused the access token twice; check the credentials in Settings",
        ),
        (s, _) if s.is_server_error() && effect == Effect::Write => Error::new(
            ErrorKind::UnknownOutcome,
            "provider.outcome_unknown",
            format!("Amilon failed ({s}) while ordering; the order may exist and will be checked"),
        ),
        (s, _) if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => Error::unavailable(
            "amilon.unavailable",
            format!("Amilon is unavailable ({s}); try again later"),
        ),
        (_, Some((_, code, text))) => Error::new(ErrorKind::Refused, code, *text),
        (StatusCode::NOT_FOUND, None) => Error::new(
            ErrorKind::Refused,
            "amilon.not_found",
            "Amilon does not know this item (check the contract id in Settings)",
        ),
        (s, None) => Error::new(
            ErrorKind::Refused,
            "amilon.refused",
            format!("Amilon refused the request ({s}): {}", excerpt(body)),
        ),
    };
    err.with("provider", P.as_str())
        .with_provider(status.as_u16().to_string(), excerpt(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_errors_have_their_codes() {
        let e = api_error(
            StatusCode::BAD_REQUEST,
            r#"{"Message":"Duplicate order"}"#,
            Effect::Write,
        );
        assert_eq!(e.code, "amilon.duplicate_order");
        let e = api_error(StatusCode::UNPROCESSABLE_ENTITY, "Insufficient funds", Effect::Write);
        assert_eq!(
            (e.code.as_str(), e.kind),
            ("amilon.insufficient_funds", ErrorKind::Refused)
        );
        let e = api_error(StatusCode::INTERNAL_SERVER_ERROR, "", Effect::Write);
        assert_eq!(e.kind, ErrorKind::UnknownOutcome);
        let e = api_error(StatusCode::INTERNAL_SERVER_ERROR, "", Effect::Read);
        assert_eq!(e.kind, ErrorKind::Unavailable);
        assert!(segment("../x").is_err());
        assert!(segment("CPT-261122-ABC123").is_ok());
    }
}
