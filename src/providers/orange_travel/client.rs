//! HTTP client of Orange Travel B2B. Every call sends `Accept:
//! application/json` (Orange answers 406 without it) and a bearer token from
//! the shared token manager.

use super::model::{
    ApiError, Count, DistributorKey, GlobalBalances, Offer, SimStatus, Supplier, Transaction, TransactionCreation,
    UsageBalances,
};
use crate::auth::{excerpt, Grant, TokenManager, TokenSource};
use crate::config::ProviderConfig;
use crate::error::{Error, ErrorKind, Result};
use crate::http::{transport_error, Api, Effect};
use crate::types::ProviderId;
use reqwest::{Method, StatusCode};
use std::sync::Arc;

const P: ProviderId = ProviderId::OrangeTravel;

#[derive(Clone)]
pub struct Client {
    api: Api,
}

/// Orange's token endpoint and grant: client credentials, Basic header.
/// `training`: the simulator's tokens die with it, so none is kept.
pub fn token_source(config: &ProviderConfig, training: bool) -> Result<TokenSource> {
    Ok(TokenSource {
        token_url: config.require(P, "token_url")?,
        grant: Grant::ClientCredentials {
            client_id: config.require(P, "client_id")?,
            client_secret: config.require_secret(P, "client_secret")?,
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
        Ok(Client {
            api: Api {
                provider: P,
                base: config.require(P, "url")?.trim_end_matches('/').to_string(),
                source: token_source(config, training)?,
                tokens,
                http,
                api_error,
            },
        })
    }

    pub async fn offers(&self) -> Result<Vec<Offer>> {
        self.api
            .call(Method::GET, "/distributors/offers", None, Effect::Read)
            .await
    }

    /// One offer; the API answers with an array of one.
    /// One offer: an array of one (the OpenAPI) or the object (the prose).
    pub async fn offer(&self, id: &str) -> Result<Offer> {
        let path = format!("/distributors/offers/{}", segment(id)?);
        let answer: serde_json::Value = self.api.call(Method::GET, &path, None, Effect::Read).await?;
        super::model::one(answer).ok_or_else(|| {
            Error::new(
                ErrorKind::Refused,
                "orange_travel.offer_not_found",
                format!("no offer {id}"),
            )
        })
    }

    /// `GET /countries`: every country Orange names, for the counter.
    pub async fn countries(&self) -> Result<Vec<super::model::Country>> {
        let list: Vec<serde_json::Value> = self.api.call(Method::GET, "/countries", None, Effect::Read).await?;
        Ok(list
            .into_iter()
            .filter_map(|c| serde_json::from_value(c).ok())
            .collect())
    }

    pub async fn suppliers(&self) -> Result<Vec<Supplier>> {
        self.api
            .call(Method::GET, "/distributors/suppliers", None, Effect::Read)
            .await
    }

    /// Creates a transaction: this spends stock and money. Sent once; the
    /// caller has written the order to the journal first, with its id as
    /// `user_id`, so a lost answer can be found again by `transactions_of`.
    pub async fn create_transaction(&self, body: &TransactionCreation) -> Result<Transaction> {
        let body = serde_json::to_value(body).expect("transaction JSON");
        self.api
            .call(Method::POST, "/distributors/transactions", Some(body), Effect::Write)
            .await
    }

    /// Puts the shop's public key at Orange, replacing the one there for good.
    pub async fn upload_key(&self, public_pem: &str) -> Result<()> {
        let body = serde_json::to_value(DistributorKey {
            key_type: "rsa256".into(),
            public_key_value: public_pem.into(),
        })
        .expect("key JSON");
        // The answer is not needed (201 with an array in the OpenAPI, 200
        // with the object in the prose): any 2xx is success, and `keys
        // status` (GET) says which key Orange holds. It spends nothing, so
        // a lost answer is never an unknown outcome.
        self.api
            .send(Method::POST, "/distributors/keys", Effect::Read, &|r| r.json(&body))
            .await?;
        Ok(())
    }

    /// The public key Orange holds for the shop, if any.
    pub async fn server_key(&self) -> Result<Option<DistributorKey>> {
        match self
            .api
            .call(Method::GET, "/distributors/keys", None, Effect::Read)
            .await
        {
            Ok(key) => Ok(Some(key)),
            Err(e) if e.code == "orange_travel.not_found" => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Changes the shop's name, fees or metadata of an offer (`patch` holds
    /// only the fields to change). The answer (an array of one in the
    /// OpenAPI, the offer in the prose, or anything else) is read when it
    /// can be; otherwise the offer is read again: the change was made.
    pub async fn customize_offer(&self, id: &str, patch: &serde_json::Value) -> Result<Offer> {
        let path = format!("/distributors/offers/{}", segment(id)?);
        let res = self
            .api
            .send(Method::PATCH, &path, Effect::Read, &|r| r.json(patch))
            .await?;
        let body = res.text().await.unwrap_or_default();
        match serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(super::model::one)
        {
            Some(offer) => Ok(offer),
            None => self.offer(id).await,
        }
    }

    pub async fn sim_status(&self, supplier: &str, transaction: &str) -> Result<SimStatus> {
        let path = format!(
            "/distributors/suppliers/{}/simstatus?transaction={}",
            segment(supplier)?,
            segment(transaction)?
        );
        self.api.call(Method::GET, &path, None, Effect::Read).await
    }

    /// Usage by past transaction, or (Welcome Travelers only) by SIM id.
    pub async fn usage_balances(&self, supplier: &str, by: UsageBy<'_>) -> Result<UsageBalances> {
        let query = match by {
            UsageBy::Transaction(t) => format!("transaction={}", segment(t)?),
            UsageBy::SimId(s) => format!("simId={}", segment(s)?),
        };
        let path = format!("/distributors/suppliers/{}/usagebalances?{query}", segment(supplier)?);
        self.api.call(Method::GET, &path, None, Effect::Read).await
    }

    pub async fn global_balances(
        &self,
        supplier: &str,
        from: &str,
        to: &str,
        zone_level: &str,
    ) -> Result<GlobalBalances> {
        let path = format!(
            "/distributors/suppliers/{}/globalbalances?startDate={from}&endDate={to}&zoneLevel={zone_level}",
            segment(supplier)?
        );
        self.api.call(Method::GET, &path, None, Effect::Read).await
    }

    /// The transaction list with the API's filters.
    pub async fn transactions(&self, query: &TransactionQuery) -> Result<Vec<Transaction>> {
        self.api
            .call(
                Method::GET,
                &format!("/distributors/transactions{}", query.to_query()),
                None,
                Effect::Read,
            )
            .await
    }

    /// The same list as Orange's CSV (asked with `Accept: text/csv`).
    pub async fn transactions_csv(&self, query: &TransactionQuery) -> Result<String> {
        let url = format!("{}/distributors/transactions{}", self.api.base, query.to_query());
        let res = self
            .api
            .tokens
            .send(&self.api.source, |token| {
                self.api
                    .http
                    .get(&url)
                    .bearer_auth(token)
                    .header(reqwest::header::ACCEPT, "text/csv")
            })
            .await
            .map_err(|e| transport_error(P, e, Effect::Read))?;
        let status = res.status();
        let text = res
            .text()
            .await
            .map_err(|e| transport_error(P, crate::auth::SendError::Http(e), Effect::Read))?;
        if status.is_success() {
            Ok(text)
        } else {
            Err(api_error(status, &text, Effect::Read))
        }
    }

    pub async fn count(&self, query: &TransactionQuery) -> Result<u64> {
        let c: Count = self
            .api
            .call(
                Method::GET,
                &format!("/distributors/transactions/count{}", query.to_query()),
                None,
                Effect::Read,
            )
            .await?;
        Ok(c.count.max(0.0) as u64)
    }

    /// One transaction, with its product-specific parameters.
    pub async fn transaction(&self, id: &str) -> Result<Transaction> {
        self.api
            .call(
                Method::GET,
                &format!("/distributors/transactions/{}", segment(id)?),
                None,
                Effect::Read,
            )
            .await
    }

    /// The transactions made with `user_id` = `user` (our order id).
    pub async fn transactions_of(&self, user: &str) -> Result<Vec<Transaction>> {
        let path = format!(
            "/distributors/transactions?user={}",
            url::form_urlencoded::byte_serialize(user.as_bytes()).collect::<String>()
        );
        self.api.call(Method::GET, &path, None, Effect::Read).await
    }
}

pub enum UsageBy<'a> {
    Transaction(&'a str),
    SimId(&'a str),
}

/// Filters of the transaction list and count, with the API's names.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TransactionQuery {
    #[serde(rename = "startDate", skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(rename = "endDate", skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

impl TransactionQuery {
    fn to_query(&self) -> String {
        let value = serde_json::to_value(self).expect("query JSON");
        let pairs: Vec<(String, String)> = value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| {
                (
                    k.clone(),
                    v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()),
                )
            })
            .collect();
        if pairs.is_empty() {
            return String::new();
        }
        let mut q = url::form_urlencoded::Serializer::for_suffix(String::from("?"), 1);
        for (k, v) in pairs {
            q.append_pair(&k, &v);
        }
        q.finish()
    }
}

/// A path segment from an id: refused locally when it could change the path.
fn segment(id: &str) -> Result<&str> {
    let ok =
        !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(id)
    } else {
        Err(Error::invalid(
            "orange_travel.bad_id",
            format!("`{id}` is not a valid Orange Travel id"),
        )
        .with("value", id))
    }
}

/// Orange's 400 reasons (OpenAPI) to stable codes and what the cashier
/// should do; matched on the start of the `description`.
const REASONS: &[(&str, &str, &str)] = &[
    (
        "bucket empty",
        "orange_travel.bucket_empty",
        "This offer is out of stock at Orange; choose another one",
    ),
    (
        "product ",
        "orange_travel.product_unavailable",
        "Orange has made this product unavailable; choose another one",
    ),
    (
        "bad parameter for transaction",
        "orange_travel.bad_parameter",
        "Orange refused the phone number or SIM id; check it with the customer",
    ),
    (
        "transaction failed (bucket unchanged)",
        "orange_travel.supplier_failed",
        "The operator refused the top-up; nothing was charged, try again later",
    ),
    (
        "invalid offer_id",
        "orange_travel.unknown_offer",
        "Orange does not know this offer any more; sync the catalog",
    ),
    (
        "supplier ",
        "orange_travel.supplier_not_managed",
        "Orange does not handle this supplier yet",
    ),
    (
        "distributor key not set",
        "orange_travel.no_key",
        "Upload the shop's key to Orange (Settings, or `comptoir keys upload`) before selling eSIMs",
    ),
    (
        "invalid public_key_value",
        "orange_travel.bad_key",
        "Orange refused the public key",
    ),
];

/// Orange's error answers mapped to the core's kinds and stable codes. A
/// 5xx after a write says nothing of whether it happened: outcome unknown.
fn api_error(status: StatusCode, body: &str, effect: Effect) -> Error {
    let parsed: Option<ApiError> = serde_json::from_str(body).ok();
    let (code, message) = parsed
        .as_ref()
        .map(|e| {
            (
                e.code.to_string(),
                format!("{} {}", e.message, e.description).trim().to_string(),
            )
        })
        .unwrap_or_else(|| (status.as_u16().to_string(), excerpt(body)));
    let description = parsed.as_ref().map(|e| e.description.as_str()).unwrap_or("");
    let err = match status {
        StatusCode::UNAUTHORIZED => Error::config(
            "orange_travel.unauthorized",
            "Orange Travel refused the access token twice; check the credentials in Settings",
        ),
        StatusCode::NOT_ACCEPTABLE => Error::internal(
            "orange_travel.not_acceptable",
            "Orange Travel refused the request format (406)",
        ),
        StatusCode::TOO_MANY_REQUESTS => Error::unavailable(
            "orange_travel.rate_limited",
            "Orange Travel is busy; try again in a minute",
        ),
        StatusCode::NOT_FOUND => Error::new(
            ErrorKind::Refused,
            "orange_travel.not_found",
            "Orange Travel does not know this item",
        ),
        s if s.is_server_error() && effect == Effect::Write => Error::new(
            ErrorKind::UnknownOutcome,
            "provider.outcome_unknown",
            format!("Orange Travel failed ({s}) while selling; the sale may have happened and will be checked"),
        ),
        s if s.is_server_error() => Error::unavailable(
            "orange_travel.unavailable",
            format!("Orange Travel is unavailable ({s}); try again later"),
        ),
        _ => match REASONS.iter().find(|(prefix, _, _)| description.starts_with(prefix)) {
            Some((_, code, text)) => Error::new(ErrorKind::Refused, code, *text),
            None => Error::new(
                ErrorKind::Refused,
                "orange_travel.refused",
                format!("Orange Travel refused the request: {message}"),
            ),
        },
    };
    err.with("provider", P.as_str()).with_provider(code, message)
}
