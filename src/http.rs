//! What every provider client shares about HTTP: one client with sane
//! timeouts, and one reading of what a failed exchange means.

use crate::auth::{describe, excerpt, SendError};
use crate::error::{Error, ErrorKind};
use crate::providers::ProviderId;
use std::time::Duration;

/// The longest any provider request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// One HTTP client for the process (connection reuse).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(REQUEST_TIMEOUT)
        .user_agent(concat!("Comptoir/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("HTTP client builds")
}

/// Whether the request changes something at the provider (money, stock).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Read,
    Write,
}

/// A failed exchange. A request that never left (no connection) is simply
/// unavailable; a write whose answer was lost may have happened, so its
/// outcome is unknown and reconciliation must settle it.
pub fn transport_error(provider: ProviderId, e: SendError, effect: Effect) -> Error {
    match e {
        SendError::Auth(e) => e,
        SendError::Http(e) => {
            let never_sent = e.is_connect() || e.is_builder();
            let text = describe(e);
            if effect == Effect::Write && !never_sent {
                Error::new(
                    ErrorKind::UnknownOutcome,
                    "provider.outcome_unknown",
                    format!(
                        "{} did not answer; the sale may have happened ({text})",
                        provider.display_name()
                    ),
                )
                .with("provider", provider.as_str())
            } else {
                unreachable(provider, &text)
            }
        }
    }
}

pub fn unreachable(provider: ProviderId, detail: &str) -> Error {
    Error::unavailable(
        "provider.unreachable",
        format!(
            "{} cannot be reached; check the network and try again ({detail})",
            provider.display_name()
        ),
    )
    .with("provider", provider.as_str())
}

/// Reads a JSON body. A body that is not JSON (cut, or an HTML error page)
/// is the provider's failure, reported with an excerpt for support.
pub async fn json_body<T: serde::de::DeserializeOwned>(
    provider: ProviderId,
    res: reqwest::Response,
    effect: Effect,
) -> Result<T, Error> {
    let content_type = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = res
        .text()
        .await
        .map_err(|e| transport_error(provider, SendError::Http(e), effect))?;
    if !content_type.contains("json") {
        return Err(bad_answer(
            provider,
            effect,
            &format!("content type `{content_type}`"),
            &body,
        ));
    }
    serde_json::from_str(&body).map_err(|e| bad_answer(provider, effect, &e.to_string(), &body))
}

fn bad_answer(provider: ProviderId, effect: Effect, why: &str, body: &str) -> Error {
    // After a write, an unreadable answer says nothing of what happened.
    let kind = if effect == Effect::Write {
        ErrorKind::UnknownOutcome
    } else {
        ErrorKind::Unavailable
    };
    Error::new(
        kind,
        "provider.bad_answer",
        format!(
            "{} sent an answer Comptoir cannot read ({why})",
            provider.display_name()
        ),
    )
    .with("provider", provider.as_str())
    .with_provider("bad_answer", excerpt(body))
}
