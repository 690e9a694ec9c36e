//! One OAuth2 token manager for every provider.
//!
//! A token is reused until shortly before it expires, kept in the keyring so
//! the next process reuses it too, renewed once when an API answers 401
//! (Orange sends `{"code": 42}` when a token expired), and never requested
//! more than the documented 50 times a minute from one process.

use crate::error::{Error, ErrorKind, Result};
use crate::secrets::{Secret, SecretStore};
use base64::Engine;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How a provider's token is obtained.
#[derive(Debug, Clone)]
pub enum Grant {
    /// Client credentials, the client authenticated by a Basic header (Orange, W-HA).
    ClientCredentials { client_id: String, client_secret: Secret },
    /// Resource-owner password grant, everything in the form body (Amilon).
    Password {
        client_id: String,
        client_secret: Secret,
        username: String,
        password: Secret,
    },
}

/// A token endpoint and the grant to use at it.
#[derive(Debug, Clone)]
pub struct TokenSource {
    pub token_url: String,
    pub grant: Grant,
    /// Keep the token in the keyring for the next process. Off for the
    /// in-process simulators, whose tokens die with the process.
    pub persist: bool,
}

impl TokenSource {
    /// Identifies the cached token: one per endpoint, client and user.
    fn cache_name(&self) -> String {
        let who = match &self.grant {
            Grant::ClientCredentials { client_id, .. } => client_id.clone(),
            Grant::Password {
                client_id, username, ..
            } => format!("{client_id}/{username}"),
        };
        format!(
            "token.{:016x}",
            crate::secrets::stable_hash(format!("{}|{who}", self.token_url).as_bytes())
        )
    }

    /// The token request: form-urlencoded, so spaces and `@ $ # &` in a
    /// password arrive intact.
    fn request(&self, http: &reqwest::Client) -> reqwest::RequestBuilder {
        let req = http
            .post(&self.token_url)
            .header(reqwest::header::ACCEPT, "application/json");
        match &self.grant {
            Grant::ClientCredentials {
                client_id,
                client_secret,
            } => {
                let basic =
                    base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{}", client_secret.expose()));
                req.header(reqwest::header::AUTHORIZATION, format!("Basic {basic}"))
                    .form(&[("grant_type", "client_credentials")])
            }
            Grant::Password {
                client_id,
                client_secret,
                username,
                password,
            } => req.form(&[
                ("grant_type", "password"),
                ("client_id", client_id.as_str()),
                ("client_secret", client_secret.expose()),
                ("username", username.as_str()),
                ("password", password.expose()),
            ]),
        }
    }
}

#[derive(Serialize, Deserialize, Clone)]
struct CachedToken {
    access_token: String,
    /// Unix seconds after which the token is not used any more.
    renew_after: u64,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
}

/// The documented limit on token requests per minute.
pub const TOKEN_REQUESTS_PER_MINUTE: usize = 50;
/// Lifetime assumed when a token answer gives none (Orange documents 60 minutes).
const DEFAULT_TTL_SECS: u64 = 3600;

pub struct TokenManager {
    http: reqwest::Client,
    secrets: SecretStore,
    memory: Mutex<HashMap<String, CachedToken>>,
    recent: Mutex<HashMap<String, VecDeque<Instant>>>,
    /// One token request at a time, so concurrent calls share one answer.
    fetching: tokio::sync::Mutex<()>,
}

impl TokenManager {
    pub fn new(http: reqwest::Client, secrets: SecretStore) -> Self {
        TokenManager {
            http,
            secrets,
            memory: Mutex::default(),
            recent: Mutex::default(),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// A valid access token: from memory, else the keyring, else a new one.
    pub async fn token(&self, source: &TokenSource) -> Result<Secret> {
        let name = source.cache_name();
        if let Some(t) = self.cached(&name, source.persist)? {
            return Ok(t);
        }
        let _one_at_a_time = self.fetching.lock().await;
        if let Some(t) = self.cached(&name, source.persist)? {
            return Ok(t);
        }
        let fresh = self.fetch(source).await?;
        if source.persist {
            self.secrets
                .set(&name, &Secret::new(serde_json::to_string(&fresh).expect("token JSON")))?;
        }
        let token = Secret::new(fresh.access_token.clone());
        self.memory.lock().unwrap().insert(name, fresh);
        Ok(token)
    }

    /// Asks the token endpoint for a new token now, whatever is cached: the
    /// check behind Settings' "Test the connection". The new token is kept.
    pub async fn renew(&self, source: &TokenSource) -> Result<()> {
        let name = source.cache_name();
        let _one_at_a_time = self.fetching.lock().await;
        let fresh = self.fetch(source).await?;
        if source.persist {
            self.secrets
                .set(&name, &Secret::new(serde_json::to_string(&fresh).expect("token JSON")))?;
        }
        self.memory.lock().unwrap().insert(name, fresh);
        Ok(())
    }

    /// Forgets a token the provider refused, so the next call fetches another.
    pub fn invalidate(&self, source: &TokenSource, refused: &Secret) -> Result<()> {
        let name = source.cache_name();
        let mut memory = self.memory.lock().unwrap();
        let same = memory.get(&name).is_none_or(|c| c.access_token == refused.expose());
        if same {
            memory.remove(&name);
            if source.persist {
                self.secrets.delete(&name)?;
            }
        }
        Ok(())
    }

    /// Sends an API request with a bearer token; on 401 renews the token and
    /// sends once more. A 401 means the provider did not process the request,
    /// so the second send is safe even for a purchase.
    pub async fn send<F>(&self, source: &TokenSource, build: F) -> Result<reqwest::Response, SendError>
    where
        F: Fn(&str) -> reqwest::RequestBuilder,
    {
        let token = self.token(source).await.map_err(SendError::Auth)?;
        let first = build(token.expose()).send().await.map_err(SendError::Http)?;
        if first.status() != StatusCode::UNAUTHORIZED {
            return Ok(first);
        }
        tracing::info!(url = %source.token_url, "access token refused (401): renewing once");
        self.invalidate(source, &token).map_err(SendError::Auth)?;
        let token = self.token(source).await.map_err(SendError::Auth)?;
        build(token.expose()).send().await.map_err(SendError::Http)
    }

    fn cached(&self, name: &str, persist: bool) -> Result<Option<Secret>> {
        let now = unix_now();
        if let Some(c) = self.memory.lock().unwrap().get(name) {
            if c.renew_after > now {
                return Ok(Some(Secret::new(c.access_token.clone())));
            }
        }
        if !persist {
            return Ok(None);
        }
        let Some(stored) = self.secrets.get(name)? else {
            return Ok(None);
        };
        let Ok(c) = serde_json::from_str::<CachedToken>(stored.expose()) else {
            return Ok(None);
        };
        if c.renew_after <= now {
            return Ok(None);
        }
        let token = Secret::new(c.access_token.clone());
        self.memory.lock().unwrap().insert(name.to_string(), c);
        Ok(Some(token))
    }

    async fn fetch(&self, source: &TokenSource) -> Result<CachedToken> {
        self.guard_rate(&source.token_url)?;
        tracing::info!(url = %source.token_url, "requesting an access token");
        let res = source.request(&self.http).send().await.map_err(|e| {
            Error::unavailable(
                "auth.unreachable",
                format!("the token service cannot be reached: {}", describe(e)),
            )
        })?;
        let status = res.status();
        let retry_after = res
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let body = res.text().await.unwrap_or_default();
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(rate_limited(retry_after.unwrap_or(60)));
        }
        if status.is_server_error() {
            return Err(
                Error::unavailable("auth.unavailable", format!("the token service answered {status}"))
                    .with_provider(status.as_u16().to_string(), excerpt(&body)),
            );
        }
        if !status.is_success() {
            // OAuth's `error` (Orange, Amilon), or a documented numeric
            // `code` (W-HA's 4011), else the status.
            let parsed = serde_json::from_str::<serde_json::Value>(&body).ok();
            let field = |k: &str| {
                parsed.as_ref().and_then(|v| v.get(k)).and_then(|e| match e {
                    serde_json::Value::String(s) => Some(s.clone()),
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
            };
            let code = field("error")
                .or_else(|| field("code"))
                .unwrap_or_else(|| status.as_u16().to_string());
            return Err(Error::new(
                ErrorKind::Config,
                "auth.rejected",
                format!("the provider refused the credentials ({code}); check them in Settings"),
            )
            .with_provider(code, excerpt(&body)));
        }
        let parsed: TokenResponse = serde_json::from_str(&body).map_err(|_| {
            Error::unavailable(
                "auth.bad_answer",
                "the token service sent an answer that is not a token",
            )
        })?;
        let ttl = parsed.expires_in.as_ref().and_then(number).unwrap_or(DEFAULT_TTL_SECS);
        Ok(CachedToken {
            access_token: parsed.access_token,
            renew_after: unix_now() + renew_margin(ttl),
        })
    }

    fn guard_rate(&self, url: &str) -> Result<()> {
        let mut recent = self.recent.lock().unwrap();
        let window = recent.entry(url.to_string()).or_default();
        let now = Instant::now();
        while window
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(60))
        {
            window.pop_front();
        }
        if window.len() >= TOKEN_REQUESTS_PER_MINUTE {
            let wait = 60 - now.duration_since(*window.front().expect("non-empty")).as_secs();
            return Err(rate_limited(wait.max(1)));
        }
        window.push_back(now);
        Ok(())
    }
}

/// Why an authorised request could not be sent or answered.
#[derive(Debug)]
pub enum SendError {
    /// No token could be had; nothing was sent to the API.
    Auth(Error),
    /// The HTTP exchange failed; the caller decides what that means.
    Http(reqwest::Error),
}

/// Renews before expiry: 10% of the lifetime, between 5 and 60 seconds, so a
/// request never leaves with a token about to die on the way.
fn renew_margin(ttl: u64) -> u64 {
    ttl.saturating_sub((ttl / 10).clamp(5, 60))
}

fn rate_limited(wait_secs: u64) -> Error {
    Error::unavailable(
        "auth.rate_limited",
        format!("too many token requests; try again in {wait_secs} seconds"),
    )
    .with("seconds", wait_secs)
}

/// `expires_in` arrives as a number or a string depending on the provider.
fn number(v: &serde_json::Value) -> Option<u64> {
    v.as_u64().or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A reqwest error described without its URL (a URL may carry query
/// parameters such as a SIM id), with its causes.
pub fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// At most 200 characters of a provider's answer, for support.
pub fn excerpt(body: &str) -> String {
    body.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renews_before_expiry() {
        assert_eq!(renew_margin(3600), 3540);
        assert_eq!(renew_margin(300), 270);
        assert_eq!(renew_margin(20), 15);
    }

    #[test]
    fn expires_in_as_number_or_string() {
        assert_eq!(number(&serde_json::json!(300)), Some(300));
        assert_eq!(number(&serde_json::json!("300")), Some(300));
        assert_eq!(number(&serde_json::json!("x")), None);
    }
}
