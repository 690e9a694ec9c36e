//! Simulator of W-HA Internet+ Box, faithful to the two documents: the
//! token endpoint and its errors (4001, 4003, 4011, 5001 on a JSON body),
//! payment sessions whose operator depends on the customer's IP (4042 for
//! an address no operator gives, 4043 for one of neither), the operator's
//! payment page that a test or the training cashier confirms or cancels and
//! that redirects to the shop's return URL with a signed query, both
//! operators' `trxServices` (a transaction of one unknown to the other:
//! 4041), transactions that fall to `CANCELLED` after 24 hours unconfirmed,
//! refunds, and subscriptions through their lifecycle. Time can be moved on
//! (`advance`, or `POST /internet-plus/_sim/advance`) to reach the 24 hours.
//!
//! The simulator's choices, where W-HA's world is not in the documents:
//! Orange customers come from 90.0.0.0/8 and 2a01:cb00::/32, Bouygues
//! Telecom's from 176.128.0.0/10 and 2001:860::/32; a session lasts
//! 15 minutes; the shop's offers are those of [`OFFERS`].

// Handlers return an early HTTP answer as `Err(Response)` (axum's idiom).
#![allow(clippy::result_large_err)]

mod operator;
mod page;

use super::model::status::*;
use super::Operator;
use crate::sim::oauth::{OAuthSim, SimGrant};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

pub const AUTH_PATH: &str = "/internet-plus/authServices";
pub const ORANGE_PATH: &str = "/internet-plus/orange/trxServices";
pub const BYTEL_PATH: &str = "/internet-plus/bytel/trxServices";
const PAGE_PATH: &str = "/internet-plus/ppo";
/// The training merchant's HMAC secret, as the console would show it.
pub const HMAC_SECRET: &str = "$2a$10$training.hmac.secret.of.the.simulator";
/// Where the operator's page sends the customer back when the shop has
/// set no return URL: the window's listener, at its default address.
pub const DEFAULT_RETURN_URL: &str = "http://127.0.0.1:47813/internet-plus/return";
pub const SESSION_MINUTES: i64 = 15;
/// An authorized transaction (a pending subscription) lasts 24 hours.
pub const AUTHORIZED_HOURS: i64 = 24;

/// The shop's offers in the simulated console: id, name, amount in cents,
/// and the period of a subscription.
pub const OFFERS: &[(&str, &str, i64, Option<&str>)] = &[
    ("458723", "Recharge Internet+ 4,99 €", 499, None),
    ("1111", "Abonnement mensuel 2 €", 200, Some("MONTHLY")),
    ("2222", "Carte cadeau 20 € payée sur facture", 2000, None),
    ("3333", "Abonnement hebdomadaire 3 €", 300, Some("WEEKLY")),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Session {
    id: String,
    request_merchant_id: String,
    client_ip: String,
    offer_id: String,
    operator: Operator,
    created: DateTime<Utc>,
    expires: DateTime<Utc>,
    /// Set once the customer confirmed or cancelled on the page.
    ended: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Trx {
    id: String,
    operator: Operator,
    offer_id: String,
    user_id: String,
    amount_cents: i64,
    status: String,
    created: DateTime<Utc>,
    confirm_or_cancel: Option<DateTime<Utc>>,
    refund: Option<(String, DateTime<Utc>)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Sub {
    id: String,
    operator: Operator,
    offer_id: String,
    user_id: String,
    status: String,
    created: DateTime<Utc>,
    next_charge: DateTime<Utc>,
    closing: Option<DateTime<Utc>>,
    trx: Vec<String>,
}

/// W-HA's side of the training world.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct World {
    sessions: Vec<Session>,
    transactions: Vec<Trx>,
    subscriptions: Vec<Sub>,
    /// How far simulated time is ahead of the clock, in seconds.
    offset_secs: i64,
    return_url: Option<String>,
}

pub struct Sim {
    pub oauth: OAuthSim,
    world: Mutex<World>,
}

impl Default for Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl Sim {
    pub fn new() -> Self {
        Sim {
            oauth: OAuthSim::new(SimGrant::training_client(), 3600, json!({"error": "invalid_token"})),
            world: Mutex::default(),
        }
    }

    /// Moves simulated time on (24 hours later, W-HA has cancelled what was
    /// not confirmed).
    pub fn advance(&self, by: std::time::Duration) {
        self.world.lock().unwrap().offset_secs += by.as_secs() as i64;
    }

    /// Where the operator's page sends the customer back.
    pub fn set_return_url(&self, url: &str) {
        self.world.lock().unwrap().return_url = Some(url.to_string());
    }

    /// Every transaction's id and status, for tests to count what W-HA billed.
    pub fn transactions(&self) -> Vec<(String, String)> {
        let mut w = self.world.lock().unwrap();
        settle_time(&mut w);
        w.transactions
            .iter()
            .map(|t| (t.id.clone(), t.status.clone()))
            .collect()
    }

    /// How many sessions were created.
    pub fn sessions(&self) -> usize {
        self.world.lock().unwrap().sessions.len()
    }

    /// The customer on the operator's page: confirms (`true`) or cancels.
    /// Returns the return URL with its signed query, as the redirect carries it.
    pub fn answer_page(&self, sid: &str, confirm: bool) -> Option<String> {
        let mut w = self.world.lock().unwrap();
        settle_time(&mut w);
        page::pay(&mut w, sid, confirm)
    }

    pub fn snapshot(&self) -> Value {
        json!(*self.world.lock().unwrap())
    }

    pub fn restore(&self, world: Value) {
        if let Ok(w) = serde_json::from_value::<World>(world) {
            *self.world.lock().unwrap() = w;
        }
    }
}

fn now(w: &World) -> DateTime<Utc> {
    Utc::now() + Duration::seconds(w.offset_secs)
}

/// What W-HA does by itself when time passes: authorized transactions and
/// pending subscriptions left unconfirmed for 24 hours are cancelled.
fn settle_time(w: &mut World) {
    let now = now(w);
    let limit = Duration::hours(AUTHORIZED_HOURS);
    for t in w.transactions.iter_mut() {
        if t.status == AUTHORIZED && now - t.created > limit {
            t.status = CANCELLED.into();
            t.confirm_or_cancel = Some(t.created + limit);
        }
    }
    for s in w.subscriptions.iter_mut() {
        if s.status == PENDING && now - s.created > limit {
            s.status = CLOSED_BY_NOT_CONFIRMED.into();
        }
        if s.status == ACTIVE && s.closing.is_some_and(|c| c <= now) {
            s.status = CLOSED.into();
        }
    }
}

/// Which operator serves a customer's address (the simulator's ranges);
/// `Err` with W-HA's code otherwise.
fn operator_of(ip: IpAddr) -> Result<Operator, (StatusCode, i64, &'static str, &'static str)> {
    if !super::is_public(ip) {
        return Err((StatusCode::NOT_FOUND, 4042, "INVALID_IP", "Invalid IP"));
    }
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            if a == 90 {
                return Ok(Operator::Orange);
            }
            if a == 176 && (128..=191).contains(&b) {
                return Ok(Operator::Bytel);
            }
        }
        IpAddr::V6(v6) => match v6.segments() {
            [0x2a01, 0xcb00, ..] => return Ok(Operator::Orange),
            [0x2001, 0x0860, ..] => return Ok(Operator::Bytel),
            _ => {}
        },
    }
    Err((
        StatusCode::NOT_FOUND,
        4043,
        " OPERATOR_PARAM_NOT_FOUND",
        " Operator param not found",
    ))
}

fn error(status: StatusCode, code: i64, message: &str, description: &str) -> Response {
    (
        status,
        Json(json!({"code": code, "message": message, "description": description})),
    )
        .into_response()
}

fn missing(name: &str) -> Response {
    error(
        StatusCode::BAD_REQUEST,
        4001,
        "MISSING_PARAMETER",
        &format!("Missing parameter {name}"),
    )
}

fn not_found(what: &str) -> Response {
    let (message, description) = match what {
        "offer" => ("OFFER_NOT_FOUND", "Offer not found"),
        "subscription" => ("SUBSCRIPTION_NOT_FOUND", "Subscription not found"),
        _ => ("TRANSACTION_NOT_FOUND", "Transaction not found"),
    };
    error(StatusCode::NOT_FOUND, 4041, message, description)
}

fn invalid_status() -> Response {
    error(
        StatusCode::UNPROCESSABLE_ENTITY,
        4220,
        "INVALID_TRX_STATUS",
        "Invalid transaction status",
    )
}

/// The simulator's own address, as the client reached it.
fn host(headers: &HeaderMap) -> String {
    headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string()
}

fn date(d: DateTime<Utc>) -> String {
    d.format("%d-%m-%Y %H:%M:%S").to_string()
}

fn money(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

pub fn router(sim: Arc<Sim>) -> Router {
    let api = Router::new()
        .route(&format!("{AUTH_PATH}/getPaymentSession"), post(session))
        .merge(operator_routes(ORANGE_PATH, Operator::Orange))
        .merge(operator_routes(BYTEL_PATH, Operator::Bytel))
        .layer(axum::middleware::from_fn_with_state(sim.clone(), checks));
    Router::new()
        .route(&format!("{AUTH_PATH}/oauth/v3/token"), post(token))
        .route(&format!("{PAGE_PATH}/{{sid}}"), get(page::page))
        .route(&format!("{PAGE_PATH}/{{sid}}/{{answer}}"), post(page::answer))
        .route("/internet-plus/_sim/advance", post(advance))
        .route("/internet-plus/_sim/return-url", post(return_url))
        .merge(api)
        .with_state(sim)
}

fn operator_routes(base: &str, op: Operator) -> Router<Arc<Sim>> {
    let call = move |action: &'static str| {
        post(move |State(sim): State<Arc<Sim>>, body: String| async move {
            let mut w = sim.world.lock().unwrap();
            settle_time(&mut w);
            operator::call(&mut w, op, action, &body)
        })
    };
    let mut r = Router::new();
    for action in [
        "confirm",
        "cancel",
        "refund",
        "consultTransaction",
        "confirmSubscription",
        "terminateSubscription",
        "consultSubscription",
        "consultSubscriptions",
    ] {
        r = r.route(&format!("{base}/{action}"), call(action));
    }
    r
}

/// W-HA's checks before any API call: a valid bearer token (401 with no
/// body otherwise, as the document shows it).
async fn checks(State(sim): State<Arc<Sim>>, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if sim.oauth.check(req.headers()).is_err() {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    next.run(req).await
}

/// The token endpoint with W-HA's own error bodies; `expires_in` is a string.
async fn token(State(sim): State<Arc<Sim>>, headers: HeaderMap, body: String) -> Response {
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.contains("json"));
    if json_body {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            5001,
            "INTERNAL_ERROR",
            "Content type 'application/json' not supported",
        );
    }
    let form: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    match form.get("grant_type").map(String::as_str) {
        None | Some("") => return missing("grant_type"),
        Some("client_credentials") => {}
        Some(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                4003,
                "UNSUPPORTED_GRANT_TYPE",
                "use client_credentials grant_type",
            )
        }
    }
    let answer = sim.oauth.token(&headers, &body);
    if answer.status() == StatusCode::UNAUTHORIZED {
        return error(
            StatusCode::UNAUTHORIZED,
            4011,
            "invalid_client",
            "client authentication failed",
        );
    }
    if !answer.status().is_success() {
        return answer;
    }
    let bytes = axum::body::to_bytes(answer.into_body(), 1 << 16)
        .await
        .unwrap_or_default();
    let mut v: Value = serde_json::from_slice(&bytes).unwrap_or_default();
    v["expires_in"] = json!(v["expires_in"].to_string());
    Json(v).into_response()
}

/// `POST /getPaymentSession`: idempotent by `requestMerchantId`.
async fn session(State(sim): State<Arc<Sim>>, headers: HeaderMap, body: String) -> Response {
    let Ok(req) = serde_json::from_str::<Value>(&body) else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            5001,
            "INTERNAL_ERROR",
            "JSON parse error: message...",
        );
    };
    let text = |k: &str| {
        req.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    let Some(rmi) = text("requestMerchantId") else {
        return missing("requestMerchantId");
    };
    let Some(ip) = text("clientIp") else {
        return error(
            StatusCode::BAD_REQUEST,
            4002,
            "INVALID_PARAMETER",
            "clientIp must not be blank",
        );
    };
    let Some(offer) = text("offerId") else {
        return error(
            StatusCode::BAD_REQUEST,
            4002,
            "INVALID_PARAMETER",
            "offerId must not be blank",
        );
    };
    if !OFFERS.iter().any(|o| o.0 == offer) {
        return error(
            StatusCode::NOT_FOUND,
            4041,
            "OFFER_NOT_FOUND",
            &format!("Offer not found : {offer}"),
        );
    }
    let Ok(addr) = ip.parse::<IpAddr>() else {
        return error(
            StatusCode::BAD_REQUEST,
            4002,
            "INVALID_PARAMETER",
            "clientIp is not an IP",
        );
    };
    let operator = match operator_of(addr) {
        Ok(op) => op,
        Err((status, code, message, description)) => return error(status, code, message, description),
    };
    let mut w = sim.world.lock().unwrap();
    let now = now(&w);
    let existing = w
        .sessions
        .iter()
        .find(|s| s.request_merchant_id == rmi && s.expires > now)
        .cloned();
    let s = existing.unwrap_or_else(|| {
        let s = Session {
            id: uuid::Uuid::new_v4().to_string(),
            request_merchant_id: rmi.to_string(),
            client_ip: ip.to_string(),
            offer_id: offer.to_string(),
            operator,
            created: now,
            expires: now + Duration::minutes(SESSION_MINUTES),
            ended: false,
        };
        w.sessions.push(s.clone());
        s
    });
    // As the document writes it: two decimals of seconds, no zone.
    let expiration = s.expires.format("%Y-%m-%dT%H:%M:%S%.3f").to_string();
    let expiration = &expiration[..expiration.len() - 1];
    let (operator_id, operator_host) = match s.operator {
        Operator::Orange => ("Orange", "oge"),
        Operator::Bytel => ("ByTel", "bytel"),
    };
    Json(json!({
        "clientIp": s.client_ip,
        "offerId": s.offer_id,
        "operatorId": operator_id,
        "operatorUrl": format!("https://dcb-internet-{operator_host}.w-ha.com"),
        "paymentSession": {
            "id": s.id,
            "paymentPanelUrl": format!("http://{}{PAGE_PATH}/{}", host(&headers), s.id),
            "expirationDate": expiration,
        }
    }))
    .into_response()
}

async fn advance(State(sim): State<Arc<Sim>>, Json(v): Json<Value>) -> Response {
    let secs = v.get("seconds").and_then(Value::as_u64).unwrap_or(0);
    sim.advance(std::time::Duration::from_secs(secs));
    Json(json!({"ok": true})).into_response()
}

async fn return_url(State(sim): State<Arc<Sim>>, Json(v): Json<Value>) -> Response {
    match v.get("url").and_then(Value::as_str) {
        Some(url) => {
            sim.set_return_url(url);
            Json(json!({"ok": true})).into_response()
        }
        None => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The configuration that points a client at this simulator served at `root`.
pub fn training_config(root: &str) -> crate::config::ProviderConfig {
    let mut c = crate::config::ProviderConfig::default();
    c.insert("auth_url", format!("{root}{AUTH_PATH}"));
    c.insert("orange_url", format!("{root}{ORANGE_PATH}"));
    c.insert("bytel_url", format!("{root}{BYTEL_PATH}"));
    c.insert("client_id", crate::sim::CLIENT_ID.to_string());
    c.insert_secret("client_secret", crate::secrets::Secret::new(crate::sim::CLIENT_SECRET));
    c.insert_secret("hmac_secret", crate::secrets::Secret::new(HMAC_SECRET));
    c.insert("return_url", DEFAULT_RETURN_URL.to_string());
    c
}
