//! HTTP client of W-HA Internet+ Box. Sessions are created on the
//! authentication service; every later call for a transaction or a
//! subscription goes to the operator that made it (Orange or Bouygues
//! Telecom), each with its own base URL: the client is asked through
//! [`Client::operator`] with the operator the order recorded, never a URL.

use super::model::{ApiError, SessionAnswer, SessionRequest, Subscription, Transaction};
use super::Operator;
use crate::auth::{excerpt, TokenManager};
use crate::config::ProviderConfig;
use crate::error::{Error, ErrorKind, Result};
use crate::http::{Api, Effect};
use crate::types::ProviderId;
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::sync::Arc;

const P: ProviderId = ProviderId::InternetPlus;

#[derive(Clone)]
pub struct Client {
    auth: Api,
    orange: Api,
    bytel: Api,
}

impl Client {
    /// `training`: the configuration points at the in-process simulator.
    pub fn new(
        config: &ProviderConfig,
        training: bool,
        tokens: Arc<TokenManager>,
        http: reqwest::Client,
    ) -> Result<Self> {
        let mut source = super::token_source(config)?;
        source.persist = !training;
        let api = |field: &str| -> Result<Api> {
            Ok(Api {
                provider: P,
                base: config.require(P, field)?.trim_end_matches('/').to_string(),
                source: source.clone(),
                tokens: tokens.clone(),
                http: http.clone(),
                api_error,
            })
        };
        Ok(Client {
            auth: api("auth_url")?,
            orange: api("orange_url")?,
            bytel: api("bytel_url")?,
        })
    }

    /// Opens a payment session. It spends nothing (the customer pays on the
    /// operator's page), so it is never retried and never "unknown".
    pub async fn session(&self, request: &SessionRequest) -> Result<SessionAnswer> {
        let body = serde_json::to_value(request).expect("JSON");
        self.auth
            .call(Method::POST, "/getPaymentSession", Some(body), Effect::Write)
            .await
            .map_err(named)
    }

    /// The calls about one operator's transactions and subscriptions.
    pub fn operator(&self, operator: Operator) -> OperatorApi<'_> {
        OperatorApi {
            api: match operator {
                Operator::Orange => &self.orange,
                Operator::Bytel => &self.bytel,
            },
        }
    }
}

/// One operator's `trxServices`.
pub struct OperatorApi<'a> {
    api: &'a Api,
}

impl OperatorApi<'_> {
    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: serde_json::Value,
        effect: Effect,
    ) -> Result<T> {
        self.api
            .call(Method::POST, path, Some(body), effect)
            .await
            .map_err(named)
    }

    /// `AUTHORIZED` → `CONFIRMED`: the customer is billed.
    pub async fn confirm(&self, transaction: &str) -> Result<Transaction> {
        self.post("/confirm", json!({"transactionId": transaction}), Effect::Write)
            .await
    }

    /// `AUTHORIZED` → `CANCELLED`: the customer is not billed.
    pub async fn cancel(&self, transaction: &str) -> Result<Transaction> {
        self.post("/cancel", json!({"transactionId": transaction}), Effect::Write)
            .await
    }

    pub async fn refund(&self, transaction: &str, reason: &str, comment: &str) -> Result<Transaction> {
        let body = json!({"transactionId": transaction, "refundReason": reason, "refundComment": comment});
        self.post("/refund", body, Effect::Write).await
    }

    pub async fn consult(&self, transaction: &str) -> Result<Transaction> {
        self.post(
            "/consultTransaction",
            json!({"transactionId": transaction}),
            Effect::Read,
        )
        .await
    }

    pub async fn confirm_subscription(&self, subscription: &str) -> Result<Subscription> {
        self.post("/confirmSubscription", json!({"subId": subscription}), Effect::Write)
            .await
    }

    /// `termination`: `CLOSED_BY_REQUEST` (now) or `CLOSED_BY_REQUEST_AT_DUE`.
    pub async fn terminate(&self, subscription: &str, termination: &str) -> Result<Subscription> {
        let body = json!({"subId": subscription, "terminationType": termination});
        self.post("/terminateSubscription", body, Effect::Write).await
    }

    pub async fn consult_subscription(&self, subscription: &str) -> Result<Subscription> {
        self.post("/consultSubscription", json!({"subId": subscription}), Effect::Read)
            .await
    }

    /// The user's `ACTIVE` and `PENDING` subscriptions; `[]` for a user W-HA
    /// does not know is an answer, not an error.
    pub async fn subscriptions_of(&self, user: &str) -> Result<Vec<Subscription>> {
        self.post("/consultSubscriptions", json!({"userId": user}), Effect::Read)
            .await
    }
}

/// A token refused at W-HA's token endpoint keeps its documented code
/// (4001, 4003, 4011, 5001) as the error's stable code.
fn named(e: Error) -> Error {
    let code = e.provider.as_ref().map(|p| p.code.clone());
    match (e.code.as_str(), code.as_deref()) {
        ("auth.rejected", Some(c @ ("4001" | "4003" | "4011" | "5000" | "5001"))) => {
            let text = match c {
                "4011" => "W-HA refused the client id and secret; check them in Settings (the console's ID Client Marchand and a new secret)",
                "4003" => "W-HA refused the grant type (client_credentials is sent)",
                _ => "W-HA refused the token request's format",
            };
            let mut named = Error::new(e.kind, &format!("internet_plus.{c}"), text);
            named.provider = e.provider;
            named
        }
        _ => e,
    }
}

/// W-HA's errors by their documented codes (`internet-plus-box-errors.md`).
fn api_error(status: StatusCode, body: &str, effect: Effect) -> Error {
    let parsed: Option<ApiError> = serde_json::from_str(body).ok();
    let code = parsed.as_ref().and_then(ApiError::code);
    let message = parsed.as_ref().and_then(|e| e.message.clone()).unwrap_or_default();
    let description = parsed.as_ref().and_then(|e| e.description.clone()).unwrap_or_default();
    let said = format!("{} {}", message.trim(), description.trim()).trim().to_string();
    let (kind, stable, text) = match (code.as_deref(), status) {
        (Some("4001"), _) => (ErrorKind::Internal, "internet_plus.4001".to_string(), "W-HA says a parameter is missing"),
        (Some("4002"), _) if description.contains("clientIp") => (
            ErrorKind::InvalidInput,
            "internet_plus.4002_client_ip".into(),
            "W-HA refused the customer's IP address",
        ),
        (Some("4002"), _) => (ErrorKind::InvalidInput, "internet_plus.4002_offer_id".into(), "W-HA does not know this offer id"),
        (Some("4041"), _) => {
            let what = match message.trim() {
                m if m.contains("OFFER") => "offer",
                m if m.contains("SUBSCRIPTION") => "subscription",
                _ => "transaction",
            };
            (ErrorKind::Refused, format!("internet_plus.4041_{what}"), "W-HA does not know this item")
        }
        (Some("4042"), _) => (
            ErrorKind::Refused,
            "internet_plus.4042".into(),
            "W-HA refused the IP address: the customer must be on an Orange or Bouygues Telecom connection, without VPN or proxy",
        ),
        (Some("4043"), _) => (
            ErrorKind::Refused,
            "internet_plus.4043".into(),
            "this IP address belongs to neither Orange nor Bouygues Telecom: offer another means of payment",
        ),
        (Some("4220"), _) => (
            ErrorKind::Refused,
            "internet_plus.4220".into(),
            "W-HA refused the change: the transaction is no longer in a state that allows it",
        ),
        (Some(c @ ("5000" | "5001")), _) => (
            ErrorKind::Internal,
            format!("internet_plus.{c}"),
            "W-HA could not read the request; nothing was done",
        ),
        (_, StatusCode::UNAUTHORIZED) => (
            ErrorKind::Config,
            "internet_plus.401".into(),
            "W-HA refused the access token twice; check the credentials in Settings",
        ),
        (_, s) if s.is_server_error() && effect == Effect::Write => (
            ErrorKind::UnknownOutcome,
            "provider.outcome_unknown".into(),
            "W-HA failed while changing the payment; its state will be checked",
        ),
        (_, s) if s.is_server_error() => (
            ErrorKind::Unavailable,
            "internet_plus.unavailable".into(),
            "W-HA is unavailable; try again later",
        ),
        _ => (ErrorKind::Refused, "internet_plus.refused".into(), "W-HA refused the request"),
    };
    Error::new(
        kind,
        &stable,
        format!(
            "{text} ({})",
            if said.is_empty() {
                status.to_string()
            } else {
                said.clone()
            }
        ),
    )
    .with_provider(code.unwrap_or_else(|| status.as_u16().to_string()), excerpt(&said))
}
