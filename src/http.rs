//! What every provider client shares about HTTP: one client with sane
//! timeouts, and one reading of what a failed exchange means.

use crate::auth::{describe, excerpt, SendError};
use crate::error::{Error, ErrorKind};
use crate::types::ProviderId;
use std::time::Duration;

/// The longest a provider request may take by default.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Overrides it, in seconds (shops on slow links may need more).
pub const TIMEOUT_ENV: &str = "COMPTOIR_HTTP_TIMEOUT";

/// The request timeout in force.
pub fn request_timeout() -> Duration {
    std::env::var(TIMEOUT_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|s| (1..=600).contains(s))
        .map(Duration::from_secs)
        .unwrap_or(REQUEST_TIMEOUT)
}

/// One HTTP client for the process (connection reuse).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(request_timeout())
        .user_agent(concat!("Comptoir/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("HTTP client builds")
}

/// How many times a read is tried in all, and the first wait between tries
/// (doubled each time, plus up to as much again at random, so that many
/// counters do not retry in step).
pub const READ_ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// The longest a `Retry-After` is waited for inside one command.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// Runs a provider call; a read that failed for a passing reason (5xx,
/// timeout, connection, 429) is tried again, a bounded number of times. A
/// write is never repeated here: its outcome is settled by reconciliation.
pub async fn with_retries<T, F, Fut>(effect: Effect, call: F) -> Result<T, Error>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let mut attempt = 1;
    loop {
        match call().await {
            Err(e) if effect == Effect::Read && attempt < READ_ATTEMPTS && e.kind == ErrorKind::Unavailable => {
                let wait = match e.params.get("retry_after").and_then(|v| v.as_u64()) {
                    Some(secs) => Duration::from_secs(secs).min(MAX_RETRY_AFTER),
                    None => backoff(attempt),
                };
                tracing::info!(code = %e.code, attempt, wait_ms = wait.as_millis() as u64, "read failed; retrying");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

fn backoff(attempt: u32) -> Duration {
    let base = FIRST_BACKOFF * 2u32.pow(attempt - 1);
    base + base.mul_f64(rand::random::<f64>())
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

/// How a provider reads its own error answers into the core's errors.
pub type ApiError = fn(reqwest::StatusCode, &str, Effect) -> Error;

/// What every provider client calls its API with: the base URL, the token
/// source and shared manager, and the provider's reading of its errors.
#[derive(Clone)]
pub struct Api {
    pub provider: ProviderId,
    /// Base URL without a trailing slash; paths are appended.
    pub base: String,
    pub source: crate::auth::TokenSource,
    pub tokens: std::sync::Arc<crate::auth::TokenManager>,
    pub http: reqwest::Client,
    pub api_error: ApiError,
}

impl Api {
    /// One authorised JSON call, a read retried as `with_retries` says.
    pub async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
        effect: Effect,
    ) -> Result<T, Error> {
        with_retries(effect, || self.call_once(method.clone(), path, body.as_ref(), effect)).await
    }

    /// A bearer token from the shared manager (renewed once on a 401),
    /// `Accept: application/json`, a JSON body when given, the answer read
    /// as JSON.
    async fn call_once<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
        effect: Effect,
    ) -> Result<T, Error> {
        let with_body = |req: reqwest::RequestBuilder| match body {
            Some(b) => req.json(b),
            None => req,
        };
        let res = self.send_once(method, path, effect, &with_body).await?;
        json_body(self.provider, res, effect).await
    }

    /// One authorised call whose answer the caller reads itself (headers,
    /// bytes, an empty body), a read retried as `with_retries` says.
    /// `extra` adds headers or a body to each attempt (it is called again
    /// when the token is renewed).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        effect: Effect,
        extra: &Extra<'_>,
    ) -> Result<reqwest::Response, Error> {
        with_retries(effect, || self.send_once(method.clone(), path, effect, extra)).await
    }

    /// A failed status becomes an error through the provider's
    /// `api_error`, with the provider's `Retry-After` kept for `with_retries`.
    async fn send_once(
        &self,
        method: reqwest::Method,
        path: &str,
        effect: Effect,
        extra: &Extra<'_>,
    ) -> Result<reqwest::Response, Error> {
        let url = format!("{}{path}", self.base);
        let res = self
            .tokens
            .send(&self.source, |token| {
                let req = self
                    .http
                    .request(method.clone(), &url)
                    .bearer_auth(token)
                    .header(reqwest::header::ACCEPT, "application/json");
                extra(req)
            })
            .await
            .map_err(|e| transport_error(self.provider, e, effect))?;
        let status = res.status();
        if status.is_success() {
            return Ok(res);
        }
        let retry_after = res
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let text = res.text().await.unwrap_or_default();
        let err = (self.api_error)(status, &text, effect);
        Err(match retry_after {
            Some(secs) => err.with("retry_after", secs),
            None => err,
        })
    }
}

/// What a caller adds to each attempt of a request (headers, a body).
pub type Extra<'a> = dyn Fn(reqwest::RequestBuilder) -> reqwest::RequestBuilder + Send + Sync + 'a;

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn unavailable() -> Error {
        Error::unavailable("x.unavailable", "down")
    }

    #[tokio::test(start_paused = true)]
    async fn reads_are_retried_a_bounded_number_of_times() {
        let calls = AtomicU32::new(0);
        let r: Result<(), Error> = with_retries(Effect::Read, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(unavailable())
        })
        .await;
        assert!(r.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), READ_ATTEMPTS);
    }

    #[tokio::test(start_paused = true)]
    async fn writes_and_refusals_are_never_retried() {
        let calls = AtomicU32::new(0);
        let _ = with_retries(Effect::Write, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(unavailable())
        })
        .await;
        let _ = with_retries(Effect::Read, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err::<(), _>(Error::new(ErrorKind::Refused, "x.refused", "no"))
        })
        .await;
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn backoff_doubles_with_jitter() {
        for attempt in 1..=3 {
            let base = FIRST_BACKOFF * 2u32.pow(attempt - 1);
            let b = backoff(attempt);
            assert!(b >= base && b <= base * 2, "{b:?}");
        }
    }
}
