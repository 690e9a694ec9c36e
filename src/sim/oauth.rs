//! The token endpoint every simulator shares: OAuth2 client credentials
//! (Basic header or form body) and password grant, tokens that really expire,
//! the documented 50 requests/minute limit, and the errors of RFC 6749.

// Handlers return an early HTTP answer as `Err(Response)` (axum's idiom);
// it is built only when a call is rejected, so its size does not matter.
#![allow(clippy::result_large_err)]

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Which grant a simulated provider expects.
#[derive(Debug, Clone)]
pub enum SimGrant {
    /// `grant_type=client_credentials`, client authenticated by a Basic header.
    ClientCredentials { client_id: String, client_secret: String },
    /// `grant_type=password` with client and user in the form body.
    Password {
        client_id: String,
        client_secret: String,
        username: String,
        password: String,
    },
}

impl SimGrant {
    /// Client credentials with the test credentials every simulator accepts.
    pub fn training_client() -> SimGrant {
        SimGrant::ClientCredentials {
            client_id: crate::sim::CLIENT_ID.into(),
            client_secret: crate::sim::CLIENT_SECRET.into(),
        }
    }
}

/// Orange's 401 for an expired token (code 42), as its API pages show it:
/// Orange Travel and Anomalie Adresse share it.
pub fn orange_expired() -> Value {
    json!({"code": 42, "message": "Expired credentials",
        "description": "The requested service needs credentials, and the ones provided were out-of-date."})
}

pub struct OAuthSim {
    grant: SimGrant,
    ttl_secs: AtomicU64,
    /// Body of the 401 sent for an expired or unknown token.
    expired_body: Value,
    tokens: Mutex<HashMap<String, Instant>>,
    recent: Mutex<VecDeque<Instant>>,
    issued: AtomicU64,
}

/// The documented limit on token requests.
pub const TOKEN_REQUESTS_PER_MINUTE: usize = 50;

impl OAuthSim {
    pub fn new(grant: SimGrant, ttl_secs: u64, expired_body: Value) -> Self {
        OAuthSim {
            grant,
            ttl_secs: AtomicU64::new(ttl_secs),
            expired_body,
            tokens: Mutex::default(),
            recent: Mutex::default(),
            issued: AtomicU64::new(0),
        }
    }

    pub fn set_ttl(&self, secs: u64) {
        self.ttl_secs.store(secs, Ordering::SeqCst);
    }

    /// Makes every token issued so far expired, as after an hour.
    pub fn expire_all(&self) {
        let past = Instant::now() - Duration::from_secs(1);
        self.tokens.lock().unwrap().values_mut().for_each(|t| *t = past);
    }

    /// Every token issued so far (tests look for them where they must not be).
    pub fn tokens(&self) -> Vec<String> {
        self.tokens.lock().unwrap().keys().cloned().collect()
    }

    /// How many tokens were issued.
    pub fn issued(&self) -> u64 {
        self.issued.load(Ordering::SeqCst)
    }

    /// Handles `POST <token url>`.
    pub fn token(&self, headers: &HeaderMap, body: &str) -> Response {
        if !self.within_rate_limit() {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, "60")],
                Json(json!({"code": 53, "message": "Too many requests", "description": "The application has made too many calls and has exceeded the rate limit for this service."})),
            )
                .into_response();
        }
        let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
        let grant_type = form.get("grant_type").map(String::as_str).unwrap_or("");
        let accepted = match &self.grant {
            SimGrant::ClientCredentials {
                client_id,
                client_secret,
            } => {
                if grant_type != "client_credentials" {
                    return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
                }
                basic_credentials(headers).is_some_and(|(id, secret)| &id == client_id && &secret == client_secret)
            }
            SimGrant::Password {
                client_id,
                client_secret,
                username,
                password,
            } => {
                if grant_type != "password" {
                    return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type");
                }
                let client_ok =
                    form.get("client_id") == Some(client_id) && form.get("client_secret") == Some(client_secret);
                if !client_ok {
                    return oauth_error(StatusCode::BAD_REQUEST, "invalid_client");
                }
                if form.get("username") != Some(username) || form.get("password") != Some(password) {
                    return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant");
                }
                true
            }
        };
        if !accepted {
            return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
        }
        let ttl = self.ttl_secs.load(Ordering::SeqCst);
        let token = format!("sim-{}", uuid::Uuid::new_v4().simple());
        self.tokens
            .lock()
            .unwrap()
            .insert(token.clone(), Instant::now() + Duration::from_secs(ttl));
        self.issued.fetch_add(1, Ordering::SeqCst);
        Json(json!({"token_type": "Bearer", "access_token": token, "expires_in": ttl})).into_response()
    }

    /// Checks the bearer token of an API call; the error response otherwise.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), Response> {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let valid = bearer
            .and_then(|t| self.tokens.lock().unwrap().get(t).copied())
            .is_some_and(|expiry| expiry > Instant::now());
        if valid {
            Ok(())
        } else {
            Err((StatusCode::UNAUTHORIZED, Json(self.expired_body.clone())).into_response())
        }
    }

    fn within_rate_limit(&self) -> bool {
        let mut recent = self.recent.lock().unwrap();
        let now = Instant::now();
        while recent
            .front()
            .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(60))
        {
            recent.pop_front();
        }
        if recent.len() >= TOKEN_REQUESTS_PER_MINUTE {
            return false;
        }
        recent.push_back(now);
        true
    }
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    (
        status,
        Json(json!({"error": error, "error_description": format!("simulator: {error}")})),
    )
        .into_response()
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(value.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}
