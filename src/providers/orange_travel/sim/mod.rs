//! Simulator of Orange Travel B2B, faithful to the document: client
//! credentials at `/oauth/v3/token`, 60-minute tokens, 401 `{"code": 42}` on
//! an expired token, 406 without `Accept: application/json`, offers,
//! suppliers with one in outage, `/live`, `/countries`, `/currencies`.
//!
//! It answers in either of the two shapes Orange's own documents show
//! ([`Shape`]): the OpenAPI's (tags and Country objects in lists, one offer
//! and the PATCH answer as arrays, the key upload 201 with an array) or the
//! prose document's examples (tags a string, countries as codes, one offer
//! and the PATCH answer as an object, the key upload 200 with an object).
//! `COMPTOIR_SIM_ORANGE_SHAPE=prose` picks the prose's for training and the
//! tests; `set_shape`, or `POST {BASE_PATH}/_sim/shape` `{"shape"}`, changes it.

// Handlers return an early HTTP answer as `Err(Response)` (axum's idiom);
// it is built only when a call is rejected, so its size does not matter.
#![allow(clippy::result_large_err)]

mod catalog;
mod openapi;
mod support;
mod transactions;

use catalog::{seed_offers, seed_suppliers};
use support::{global_balances, sim_status, usage_balances};
use transactions::{count_transactions, create_transaction, list_transactions, transaction};

use super::model::{ApiError, DistributorKey, FeesType, Offer, Supplier, Transaction};
use crate::sim::oauth::{OAuthSim, SimGrant};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const BASE_PATH: &str = "/orange-travel/v1";
pub const TOKEN_PATH: &str = "/orange-travel/oauth/v3/token";
/// Orange documents 60-minute tokens.
pub const TOKEN_TTL_SECS: u64 = 3600;

pub struct Sim {
    pub oauth: OAuthSim,
    offers: Mutex<Vec<Offer>>,
    suppliers: Mutex<Vec<Supplier>>,
    transactions: Mutex<Vec<Transaction>>,
    /// The distributor's public key (PEM); eSIM sales are refused without it.
    key: Mutex<Option<String>>,
    /// SIM status per transaction, when a test set one.
    sim_statuses: Mutex<HashMap<String, String>>,
    shape: Mutex<Shape>,
}

/// Which of Orange's two documented shapes the simulator answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    OpenApi,
    Prose,
}

impl Shape {
    /// `COMPTOIR_SIM_ORANGE_SHAPE`: `prose`, else the OpenAPI's.
    pub fn from_env() -> Shape {
        match std::env::var("COMPTOIR_SIM_ORANGE_SHAPE").as_deref() {
            Ok("prose") => Shape::Prose,
            _ => Shape::OpenApi,
        }
    }
}

/// What Orange knows of the shop, as kept between processes in training.
#[derive(serde::Serialize, serde::Deserialize)]
struct World {
    offers: Vec<Offer>,
    suppliers: Vec<Supplier>,
    transactions: Vec<Transaction>,
    key: Option<String>,
    sim_statuses: HashMap<String, String>,
}

impl Default for Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl Sim {
    pub fn new() -> Self {
        let expired = crate::sim::oauth::orange_expired();
        Sim {
            oauth: OAuthSim::new(SimGrant::training_client(), TOKEN_TTL_SECS, expired),
            offers: Mutex::new(seed_offers()),
            suppliers: Mutex::new(seed_suppliers()),
            transactions: Mutex::default(),
            key: Mutex::default(),
            sim_statuses: Mutex::default(),
            shape: Mutex::new(Shape::from_env()),
        }
    }

    pub fn set_shape(&self, shape: Shape) {
        *self.shape.lock().unwrap() = shape;
    }

    fn shape(&self) -> Shape {
        *self.shape.lock().unwrap()
    }

    /// An offer as this shape writes it.
    fn shaped(&self, o: &Offer) -> serde_json::Value {
        if self.shape() == Shape::Prose {
            let mut v = serde_json::to_value(o).expect("offer JSON");
            v["tags"] = json!(o.tags.join(","));
            v["product"]["coverage_zone"] = json!(o
                .product
                .coverage_zone
                .iter()
                .map(|c| c.iso_code.clone())
                .collect::<Vec<_>>());
            if let Some(p) = v["product"].as_object_mut() {
                p.remove("tags");
            }
            v
        } else {
            openapi::offer(o)
        }
    }

    /// One item as this shape answers it: an array of one, or the object.
    fn one(&self, v: serde_json::Value) -> serde_json::Value {
        match self.shape() {
            Shape::OpenApi => json!([v]),
            Shape::Prose => v,
        }
    }

    /// Every transaction made, for tests to count sales at the provider.
    pub fn transactions(&self) -> Vec<Transaction> {
        self.transactions.lock().unwrap().clone()
    }

    /// Makes the SIM of a transaction report `status` (any of the table's).
    pub fn set_sim_status(&self, transaction: &str, status: &str) {
        self.sim_statuses
            .lock()
            .unwrap()
            .insert(transaction.to_string(), status.to_string());
    }

    /// Adds `n` offers, copies of the seeded ones under new ids and names,
    /// for a catalog the size of a large distributor's (make bench).
    pub fn add_offers(&self, n: usize) {
        let mut offers = self.offers.lock().unwrap();
        let seeded = seed_offers();
        for i in 0..n {
            let mut o = seeded[i % seeded.len()].clone();
            let id = uuid::Uuid::new_v4().to_string();
            o.name = format!("{} #{i}", o.name);
            o.product.id = catalog::product_id(&id);
            o.product.orange_travel_id = Some(catalog::orange_travel_id(&id));
            o.product.name = o.name.clone();
            o.id = id;
            offers.push(o);
        }
    }

    /// Puts a public key in place, as `POST /distributors/keys` does.
    pub fn set_key(&self, pem: &str) {
        *self.key.lock().unwrap() = Some(pem.to_string());
    }

    pub fn bucket(&self, offer_id: &str) -> Option<i64> {
        self.offers
            .lock()
            .unwrap()
            .iter()
            .find(|o| o.id == offer_id)
            .map(|o| o.bucket)
    }

    /// The provider's side of the training world, to keep between processes.
    pub fn snapshot(&self) -> serde_json::Value {
        json!(World {
            offers: self.offers.lock().unwrap().clone(),
            suppliers: self.suppliers.lock().unwrap().clone(),
            transactions: self.transactions.lock().unwrap().clone(),
            key: self.key.lock().unwrap().clone(),
            sim_statuses: self.sim_statuses.lock().unwrap().clone(),
        })
    }

    /// Takes back a world kept by `snapshot`; one that cannot be read
    /// leaves the simulator as it is (a fresh training world).
    pub fn restore(&self, world: serde_json::Value) {
        let Ok(w) = serde_json::from_value::<World>(world) else {
            return;
        };
        *self.offers.lock().unwrap() = w.offers;
        *self.suppliers.lock().unwrap() = w.suppliers;
        *self.transactions.lock().unwrap() = w.transactions;
        *self.key.lock().unwrap() = w.key;
        *self.sim_statuses.lock().unwrap() = w.sim_statuses;
    }

    pub fn set_bucket(&self, offer_id: &str, bucket: i64) {
        if let Some(o) = self.offers.lock().unwrap().iter_mut().find(|o| o.id == offer_id) {
            o.bucket = bucket;
        }
    }
}

pub fn router(sim: Arc<Sim>) -> Router {
    // Every API call passes Orange's checks first (token, then Accept); the
    // token endpoint is outside them.
    let api = Router::new()
        .route(&format!("{BASE_PATH}/distributors/offers"), get(offers))
        .route(
            &format!("{BASE_PATH}/distributors/offers/{{id}}"),
            get(offer).patch(patch_offer),
        )
        .route(&format!("{BASE_PATH}/distributors/suppliers"), get(suppliers))
        .route(&format!("{BASE_PATH}/live"), get(live))
        .route(&format!("{BASE_PATH}/countries"), get(countries))
        .route(&format!("{BASE_PATH}/currencies"), get(currencies))
        .route(&format!("{BASE_PATH}/distributors/keys"), get(get_key).post(post_key))
        .route(
            &format!("{BASE_PATH}/distributors/suppliers/{{id}}/simstatus"),
            get(sim_status),
        )
        .route(
            &format!("{BASE_PATH}/distributors/suppliers/{{id}}/usagebalances"),
            get(usage_balances),
        )
        .route(
            &format!("{BASE_PATH}/distributors/suppliers/{{id}}/globalbalances"),
            get(global_balances),
        )
        .route(
            &format!("{BASE_PATH}/distributors/transactions"),
            post(create_transaction).get(list_transactions),
        )
        .route(
            &format!("{BASE_PATH}/distributors/transactions/count"),
            get(count_transactions),
        )
        .route(
            &format!("{BASE_PATH}/distributors/transactions/{{id}}"),
            get(transaction),
        )
        .route_layer(axum::middleware::from_fn_with_state(sim.clone(), checks))
        .with_state(sim.clone());
    Router::new()
        .route(TOKEN_PATH, post(token))
        .route(&format!("{BASE_PATH}/_sim/shape"), post(set_shape))
        .with_state(sim)
        .merge(api)
}

async fn checks(State(sim): State<Arc<Sim>>, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    match guard(&sim, req.headers()) {
        Ok(()) => next.run(req).await,
        Err(r) => r,
    }
}

async fn token(State(sim): State<Arc<Sim>>, headers: HeaderMap, body: String) -> Response {
    sim.oauth.token(&headers, &body)
}

/// The checks every API call goes through, in Orange's order.
fn guard(sim: &Sim, headers: &HeaderMap) -> Result<(), Response> {
    sim.oauth.check(headers)?;
    let accepts_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json") || v.contains("text/csv"));
    if !accepts_json {
        return Err(error(
            StatusCode::NOT_ACCEPTABLE,
            406,
            "Not Acceptable",
            "The Accept header must be application/json",
        ));
    }
    Ok(())
}

pub fn error(status: StatusCode, code: i64, message: &str, description: &str) -> Response {
    (
        status,
        Json(ApiError {
            code,
            message: message.into(),
            description: description.into(),
        }),
    )
        .into_response()
}

/// `GET /distributors/offers?offset&limit`.
async fn offers(State(sim): State<Arc<Sim>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let (offset, limit) = match openapi::page(&q, usize::MAX) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let offers = sim.offers.lock().unwrap();
    let list: Vec<serde_json::Value> = offers.iter().skip(offset).take(limit).map(|o| sim.shaped(o)).collect();
    Json(list).into_response()
}

async fn offer(State(sim): State<Arc<Sim>>, Path(id): Path<String>) -> Response {
    let found = sim.offers.lock().unwrap().iter().find(|o| o.id == id).cloned();
    match found {
        Some(o) => Json(sim.one(sim.shaped(&o))).into_response(),
        None => error(StatusCode::NOT_FOUND, 404, "Not Found", "offer not found"),
    }
}

/// `PATCH /distributors/offers/{id}`: the body checked as the OpenAPI's
/// `OfferEditableParameters` (fees are whole there), and as the prose's
/// example in its shape (fees a decimal); negative fees are refused.
async fn patch_offer(State(sim): State<Arc<Sim>>, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    let patch = match sim.shape() {
        Shape::OpenApi => match openapi::offer_patch(&body) {
            Ok(p) => p,
            Err(r) => return r,
        },
        Shape::Prose => match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Object(p)) => p,
            _ => return bad_request("unable to decode json body".into()),
        },
    };
    let mut offers = sim.offers.lock().unwrap();
    let Some(o) = offers.iter_mut().find(|o| o.id == id) else {
        return error(StatusCode::NOT_FOUND, 404, "Not Found", "offer not found");
    };
    if let Some(name) = patch.get("name").and_then(|v| v.as_str()) {
        o.name = name.to_string();
    }
    if let Some(fees) = patch.get("distributor_fees").or(patch.get("distribution_fees")) {
        match fees.as_f64() {
            Some(f) if f >= 0.0 => o.distributor_fees = f,
            _ => return bad_request("distributor_fees must be a positive number".into()),
        }
    }
    if let Some(t) = patch.get("distributor_fees_type") {
        match serde_json::from_value::<FeesType>(t.clone()) {
            Ok(t) => o.distributor_fees_type = t,
            Err(_) => return bad_request("distributor_fees_type must be percent or value".into()),
        }
    }
    if let Some(m) = patch.get("metadata") {
        o.metadata = Some(m.clone());
    }
    let changed = o.clone();
    drop(offers);
    Json(sim.one(sim.shaped(&changed))).into_response()
}

/// `GET /live`: the OpenAPI's status, with the `message` and `description`
/// its schema requires.
async fn live() -> Response {
    Json(json!({"isAlive": true, "version": "1.7.0", "message": "OK", "description": "the API is up and running"}))
        .into_response()
}

/// `GET /countries?offset&limit`.
async fn countries(Query(q): Query<HashMap<String, String>>) -> Response {
    paged(catalog::countries(), &q)
}

/// `GET /currencies?offset&limit`.
async fn currencies(Query(q): Query<HashMap<String, String>>) -> Response {
    paged(catalog::currencies(), &q)
}

fn paged<T: serde::Serialize>(all: Vec<T>, q: &HashMap<String, String>) -> Response {
    match openapi::page(q, 1000) {
        Ok((offset, limit)) => {
            let page: Vec<T> = all.into_iter().skip(offset).take(limit).collect();
            Json(openapi::without_nulls(json!(page))).into_response()
        }
        Err(r) => r,
    }
}

async fn set_shape(State(sim): State<Arc<Sim>>, Json(v): Json<serde_json::Value>) -> Response {
    match serde_json::from_value::<Shape>(v["shape"].clone()) {
        Ok(s) => {
            sim.set_shape(s);
            Json(json!({"ok": true})).into_response()
        }
        Err(e) => bad_request(e.to_string()),
    }
}

async fn suppliers(State(sim): State<Arc<Sim>>) -> Response {
    Json(sim.suppliers.lock().unwrap().clone()).into_response()
}

pub(super) fn bad_request(reason: String) -> Response {
    error(StatusCode::BAD_REQUEST, 25, "Bad Request", &reason)
}

async fn get_key(State(sim): State<Arc<Sim>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let base64 = match openapi::base64_encoding(&q) {
        Ok(b) => b,
        Err(r) => return r,
    };
    match sim.key.lock().unwrap().clone() {
        Some(pem) => Json(DistributorKey {
            key_type: "rsa256".into(),
            public_key_value: if base64 {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD.encode(pem)
            } else {
                pem
            },
        })
        .into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            0,
            "Not Found",
            "no public key set for this distributor",
        ),
    }
}

/// `POST /distributors/keys[?encoding=base64]`: creates or replaces the one
/// key of the distributor, with no way back (as documented).
async fn post_key(
    State(sim): State<Arc<Sim>>,
    Query(q): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Response {
    let base64 = match openapi::base64_encoding(&q) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let Ok(key) = serde_json::from_slice::<DistributorKey>(&body) else {
        return bad_request("unable to decode json body".into());
    };
    if key.key_type != "rsa256" {
        return bad_request(format!("invalid key_type {}", key.key_type));
    }
    let pem = if base64 {
        use base64::Engine;
        match base64::engine::general_purpose::STANDARD
            .decode(key.public_key_value.trim())
            .map(String::from_utf8)
        {
            Ok(Ok(p)) => p,
            _ => return bad_request("invalid base64 public_key_value".into()),
        }
    } else {
        key.public_key_value.clone()
    };
    if crate::crypto::fingerprint(&pem).is_err() {
        return bad_request("invalid public_key_value: not an RSA public key".into());
    }
    sim.set_key(&pem);
    let key = json!(DistributorKey {
        key_type: "rsa256".into(),
        public_key_value: pem,
    });
    match sim.shape() {
        Shape::OpenApi => (StatusCode::CREATED, Json(json!([key]))).into_response(),
        Shape::Prose => (StatusCode::OK, Json(key)).into_response(),
    }
}

/// The configuration that points a client at this simulator served at `root`.
pub fn training_config(root: &str) -> crate::config::ProviderConfig {
    let mut c = crate::config::ProviderConfig::default();
    c.insert("url", format!("{root}{BASE_PATH}"));
    c.insert("token_url", format!("{root}{TOKEN_PATH}"));
    c.insert("client_id", crate::sim::CLIENT_ID.to_string());
    c.insert_secret("client_secret", crate::secrets::Secret::new(crate::sim::CLIENT_SECRET));
    c
}
