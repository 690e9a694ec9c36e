//! Simulator of the Amilon B2B web API, faithful to the report and to what
//! the real service sends: password grant at `/connect/token` with
//! `invalid_grant`/`invalid_client`/`unsupported_grant_type`, 300-second
//! tokens that really expire, PascalCase answers with numbers as strings and
//! booleans as 0/1, a contract, products per culture, retailers (Twitch
//! among them, which shops hide), categories, orders that answer `Pending`
//! with no vouchers and deliver them after a delay, `Duplicate order`,
//! `Insufficient funds` past a budget, `Product unavailable`. Logos and
//! product images are served as PNG from a small CDN.

// Handlers return an early HTTP answer as `Err(Response)` (axum's idiom).
#![allow(clippy::result_large_err)]

mod catalog;

use super::model::{culture_country, OrderCreation};
use crate::sim::oauth::{OAuthSim, SimGrant};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use catalog::{card_name, product_code, terms, Shop, CATEGORIES, INACTIVE_PRODUCT, SHOPS};
use chrono::{Duration as Days, SecondsFormat, Utc};
use rand::Rng;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const BASE_PATH: &str = "/amilon/b2bwebapi/v1";
pub const TOKEN_PATH: &str = "/amilon/connect/token";
const CDN_PATH: &str = "/amilon/cdn";
/// The document: 5-minute tokens.
pub const TOKEN_TTL_SECS: u64 = 300;

/// What the simulator accepts (the document's own examples; the password
/// holds a space and `@ $ # &`, which only survive correct form encoding).
pub const CLIENT_ID: &str = "b2bwsuserwebapi";
pub const USERNAME: &str = "shop.counter.WS";
pub const PASSWORD: &str = "x Y7q@p$#Lm&N#r";
pub const CONTRACT_ID: &str = "def116ef-7949-487f-801d-2b15b254ab89";
/// Twitch, as the report's integrator identifies it to hide it.
pub const TWITCH_ID: &str = "0199bdd3-32b1-72be-905b-591833b488cf";
pub const TWITCH_MERCHANT_ID: &str = "a4322514-36f1-401e-af3d-6a1784a3da7a";

/// How an order will end, when a test wants it to fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Outcome {
    Completed,
    Failed,
    Cancelled,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct SimOrder {
    id: String,
    external_order_id: String,
    /// Wall-clock time, so that a world kept on disk still delivers on time.
    created: chrono::DateTime<Utc>,
    created_at: String,
    rows: Vec<(String, u32, f64, f64)>, // product, quantity, unit price, unit net price
    vouchers: Vec<Value>,
    outcome: Outcome,
    delay: Duration,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct ContractState {
    status: String,
    start: String,
    end: String,
}

pub struct Sim {
    pub oauth: OAuthSim,
    contract: Mutex<ContractState>,
    orders: Mutex<Vec<SimOrder>>,
    /// What the shop may still spend (net amounts), in euros.
    budget: Mutex<f64>,
    delivery_delay: Mutex<Duration>,
    unavailable: Mutex<Vec<String>>,
    next_outcome: Mutex<Option<Outcome>>,
    /// Answer the next create `Duplicate order` after committing it, as
    /// when a proxy repeated the request and the client sees the repeat's answer.
    duplicate_answer: std::sync::atomic::AtomicBool,
    /// Face values added to every retailer's cards (`add_products`).
    extra_values: Mutex<Vec<u32>>,
}

impl Default for Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl Sim {
    pub fn new() -> Self {
        let now = Utc::now();
        Sim {
            oauth: OAuthSim::new(
                SimGrant::Password {
                    client_id: CLIENT_ID.into(),
                    client_secret: crate::sim::CLIENT_SECRET.into(),
                    username: USERNAME.into(),
                    password: PASSWORD.into(),
                },
                TOKEN_TTL_SECS,
                json!({"Message": "Authorization has been denied for this request."}),
            ),
            contract: Mutex::new(ContractState {
                status: "Active".into(),
                start: (now - Days::days(365)).format("%Y-%m-%dT00:00:00Z").to_string(),
                end: (now + Days::days(365)).format("%Y-%m-%dT23:59:59Z").to_string(),
            }),
            orders: Mutex::default(),
            budget: Mutex::new(5000.0),
            delivery_delay: Mutex::new(Duration::from_secs(2)),
            unavailable: Mutex::default(),
            next_outcome: Mutex::default(),
            duplicate_answer: Default::default(),
            extra_values: Mutex::default(),
        }
    }

    /// Adds about `n` products, new face values of every retailer's card,
    /// for a catalog the size of a large contract's (make bench).
    pub fn add_products(&self, n: usize) {
        let per_shop = n.div_ceil(SHOPS.len()) as u32;
        *self.extra_values.lock().unwrap() = (0..per_shop).map(|v| 1000 + v).collect();
    }

    /// How long vouchers take to arrive after an order is created.
    pub fn set_delivery_delay(&self, delay: Duration) {
        *self.delivery_delay.lock().unwrap() = delay;
    }

    pub fn set_budget(&self, euros: f64) {
        *self.budget.lock().unwrap() = euros;
    }

    pub fn budget(&self) -> f64 {
        *self.budget.lock().unwrap()
    }

    /// Makes a product answer `Product unavailable` (stock ran out after the sync).
    pub fn set_unavailable(&self, product: &str) {
        self.unavailable.lock().unwrap().push(product.to_string());
    }

    /// The contract's status (`Active`, `Inactive`) and end date.
    pub fn set_contract(&self, status: &str, end: &str) {
        let mut c = self.contract.lock().unwrap();
        c.status = status.to_string();
        c.end = end.to_string();
    }

    /// The next order ends this way instead of delivering.
    pub fn set_next_outcome(&self, outcome: Outcome) {
        *self.next_outcome.lock().unwrap() = Some(outcome);
    }

    /// The next create is committed but answered `Duplicate order`.
    pub fn answer_duplicate_once(&self) {
        self.duplicate_answer.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The provider's side of the training world, to keep between
    /// processes: the contract, the orders with their vouchers, the budget.
    pub fn snapshot(&self) -> Value {
        let c = self.contract.lock().unwrap();
        json!({
            "contract": {"status": c.status, "start": c.start, "end": c.end},
            "orders": *self.orders.lock().unwrap(),
            "budget": *self.budget.lock().unwrap(),
        })
    }

    /// Takes back a world kept by `snapshot`; one that cannot be read
    /// leaves the simulator as it is (a fresh training world).
    pub fn restore(&self, world: Value) {
        #[derive(serde::Deserialize)]
        struct World {
            contract: ContractState,
            orders: Vec<SimOrder>,
            budget: f64,
        }
        let Ok(w) = serde_json::from_value::<World>(world) else {
            return;
        };
        *self.contract.lock().unwrap() = w.contract;
        *self.orders.lock().unwrap() = w.orders;
        *self.budget.lock().unwrap() = w.budget;
    }

    /// External ids of every order created, for tests to count orders at the provider.
    pub fn orders(&self) -> Vec<String> {
        self.orders
            .lock()
            .unwrap()
            .iter()
            .map(|o| o.external_order_id.clone())
            .collect()
    }

    /// Every voucher code issued (tests look for them where they must not be).
    pub fn voucher_codes(&self) -> Vec<String> {
        self.orders
            .lock()
            .unwrap()
            .iter()
            .flat_map(|o| o.vouchers.iter())
            .filter_map(|v| v["CardCode"].as_str().map(str::to_string))
            .collect()
    }
}

pub fn router(sim: Arc<Sim>) -> Router {
    let api = Router::new()
        .route(&format!("{BASE_PATH}/contracts/{{contract}}"), get(contract))
        .route(
            &format!("{BASE_PATH}/contracts/{{contract}}/{{culture}}/products/complete"),
            get(products),
        )
        .route(
            &format!("{BASE_PATH}/contracts/{{contract}}/{{culture}}/retailers"),
            get(retailers),
        )
        .route(&format!("{BASE_PATH}/retailers/categories"), get(categories))
        .route(&format!("{BASE_PATH}/Orders/create/{{contract}}"), post(create_order))
        .route(&format!("{BASE_PATH}/Orders/{{external}}/complete"), get(order))
        .route_layer(axum::middleware::from_fn_with_state(sim.clone(), checks))
        .with_state(sim.clone());
    Router::new()
        .route(TOKEN_PATH, post(token))
        .route(&format!("{CDN_PATH}/{{kind}}/{{file}}"), get(image))
        .with_state(sim)
        .merge(api)
}

async fn checks(State(sim): State<Arc<Sim>>, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    match sim.oauth.check(req.headers()) {
        Ok(()) => next.run(req).await,
        Err(r) => r,
    }
}

async fn token(State(sim): State<Arc<Sim>>, headers: HeaderMap, body: String) -> Response {
    sim.oauth.token(&headers, &body)
}

/// Amilon's error answer (ASP.NET style).
fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({"Message": message}))).into_response()
}

fn known_contract(contract: &str) -> Result<(), Response> {
    if contract.eq_ignore_ascii_case(CONTRACT_ID) {
        Ok(())
    } else {
        Err(error(StatusCode::NOT_FOUND, "Contract not found"))
    }
}

fn known_culture(culture: &str) -> Result<(), Response> {
    culture_country(culture)
        .map(|_| ())
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "Culture not found"))
}

/// Money as the real service writes it: a string with two decimals.
fn money(v: f64) -> String {
    format!("{v:.2}")
}

fn net(value: f64, discount: f64) -> f64 {
    (value * (100.0 - discount)).round() / 100.0
}

/// The CDN root, as the caller reached the simulator.
fn cdn(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}{CDN_PATH}")
}

async fn contract(State(sim): State<Arc<Sim>>, Path(id): Path<String>) -> Response {
    if let Err(r) = known_contract(&id) {
        return r;
    }
    let c = sim.contract.lock().unwrap();
    Json(json!({
        "Id": CONTRACT_ID, "Name": "Comptoir Training Contract", "Status": c.status,
        "StartDate": c.start, "EndDate": c.end, "Terms": "Standard terms and conditions",
        "AllowedCountries": ["PT", "FR", "ES", "IT"], "MaxOrderAmount": "5000.00", "Currency": "EUR"
    }))
    .into_response()
}

async fn products(
    State(sim): State<Arc<Sim>>,
    headers: HeaderMap,
    Path((contract, culture)): Path<(String, String)>,
) -> Response {
    if let Err(r) = known_contract(&contract).and_then(|_| known_culture(&culture)) {
        return r;
    }
    let cdn = cdn(&headers);
    let category_name = |id: &str| CATEGORIES.iter().find(|(c, _)| *c == id).map(|(_, n)| *n).unwrap_or("");
    let extra = sim.extra_values.lock().unwrap().clone();
    let list: Vec<Value> = SHOPS
        .iter()
        .flat_map(|s| s.values.iter().chain(&extra).map(move |v| (s, *v)))
        .map(|(s, v)| {
            let code = product_code(s, v);
            let active = code != INACTIVE_PRODUCT;
            json!({
                "ProductCode": code, "MerchantCode": s.code, "MerchantId": s.merchant_id,
                "Name": card_name(&culture, s.name, v),
                "Description": format!("{} — {}", s.name, terms(&culture)),
                "Price": money(v as f64), "NetPrice": money(net(v as f64, s.discount)), "Currency": "EUR",
                "Discount": money(s.discount), "Category": category_name(s.category), "CategoryId": s.category,
                "ImageUrl": format!("{cdn}/images/{}.png", s.code.to_ascii_lowercase()),
                "Active": u8::from(active), "Stock": if active { "Available" } else { "OutOfStock" },
                "MinQuantity": "1", "MaxQuantity": s.max_quantity.to_string(), "Terms": terms(&culture),
                "DeliveryMethod": "Digital", "DeliveryTime": "Instant"
            })
        })
        .collect();
    Json(list).into_response()
}

async fn retailers(headers: HeaderMap, Path((contract, culture)): Path<(String, String)>) -> Response {
    if let Err(r) = known_contract(&contract).and_then(|_| known_culture(&culture)) {
        return r;
    }
    let cdn = cdn(&headers);
    let country = culture_country(&culture).unwrap_or("FR");
    let list: Vec<Value> = SHOPS
        .iter()
        .map(|s| {
            let min = s.values.iter().min().copied().unwrap_or(0);
            let max = s.values.iter().max().copied().unwrap_or(0);
            json!({
                "id": s.id, "RetailerId": s.merchant_id, "Name": s.name,
                "Description": format!("{} gift cards", s.name),
                "LogoUrl": format!("{cdn}/logos/{}.png", s.code.to_ascii_lowercase()),
                "WebsiteUrl": format!("https://www.{}.com", s.code.to_ascii_lowercase()),
                "Category": CATEGORIES.iter().find(|(c, _)| *c == s.category).map(|(_, n)| *n),
                "Country": country, "Active": 1, "ProductCount": s.values.len().to_string(),
                "MinAmount": money(min as f64), "MaxAmount": money(max as f64), "Currency": "EUR",
                "AverageDiscount": money(s.discount), "Features": ["Digital delivery", "12 months validity"]
            })
        })
        .collect();
    Json(list).into_response()
}

async fn categories() -> Response {
    let list: Vec<Value> = CATEGORIES
        .iter()
        .map(|(id, name)| json!({"CategoryId": id, "CategoryName": name}))
        .collect();
    Json(list).into_response()
}

fn find_product(code: &str) -> Option<(&'static Shop, u32)> {
    SHOPS
        .iter()
        .flat_map(|s| s.values.iter().map(move |v| (s, *v)))
        .find(|(s, v)| product_code(s, *v) == code)
}

async fn create_order(State(sim): State<Arc<Sim>>, Path(contract): Path<String>, body: String) -> Response {
    if let Err(r) = known_contract(&contract) {
        return r;
    }
    let Ok(req) = serde_json::from_str::<OrderCreation>(&body) else {
        return error(StatusCode::BAD_REQUEST, "Bad Request");
    };
    if req.external_order_id.trim().is_empty() || req.order_rows.is_empty() {
        return error(StatusCode::BAD_REQUEST, "Bad Request");
    }
    if sim.contract.lock().unwrap().status != "Active" {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "Contract not active");
    }
    let mut rows = Vec::new();
    for row in &req.order_rows {
        let Some((shop, value)) = find_product(&row.product_id) else {
            return error(StatusCode::BAD_REQUEST, "Invalid product");
        };
        if row.quantity < 1 || row.quantity > shop.max_quantity {
            return error(StatusCode::BAD_REQUEST, "Invalid quantity");
        }
        let out = row.product_id == INACTIVE_PRODUCT || sim.unavailable.lock().unwrap().contains(&row.product_id);
        if out {
            return error(StatusCode::UNPROCESSABLE_ENTITY, "Product unavailable");
        }
        rows.push((
            row.product_id.clone(),
            row.quantity,
            value as f64,
            net(value as f64, shop.discount),
        ));
    }
    let mut orders = sim.orders.lock().unwrap();
    if orders.iter().any(|o| o.external_order_id == req.external_order_id) {
        return error(StatusCode::BAD_REQUEST, "Duplicate order");
    }
    let net_total: f64 = rows.iter().map(|(_, q, _, n)| *q as f64 * n).sum();
    {
        let mut budget = sim.budget.lock().unwrap();
        if net_total > *budget + 1e-9 {
            return error(StatusCode::UNPROCESSABLE_ENTITY, "Insufficient funds");
        }
        *budget -= net_total;
    }
    let order = SimOrder {
        id: format!("amilon-order-{}", rand::thread_rng().gen_range(100_000..999_999)),
        external_order_id: req.external_order_id.clone(),
        created: Utc::now(),
        created_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        vouchers: rows
            .iter()
            .flat_map(|(p, q, ..)| (0..*q).map(move |_| voucher(p)))
            .collect(),
        rows,
        outcome: sim.next_outcome.lock().unwrap().take().unwrap_or(Outcome::Completed),
        delay: *sim.delivery_delay.lock().unwrap(),
    };
    let answer = order_json(&order);
    orders.push(order);
    if sim.duplicate_answer.swap(false, std::sync::atomic::Ordering::SeqCst) {
        return error(StatusCode::BAD_REQUEST, "Duplicate order");
    }
    Json(answer).into_response()
}

async fn order(State(sim): State<Arc<Sim>>, Path(external): Path<String>) -> Response {
    let orders = sim.orders.lock().unwrap();
    match orders.iter().find(|o| o.external_order_id == external) {
        Some(o) => Json(order_json(o)).into_response(),
        None => error(StatusCode::NOT_FOUND, "Order not found"),
    }
}

/// An order as the real service shows it: PascalCase, amounts as strings,
/// vouchers at the top level once delivered.
fn order_json(o: &SimOrder) -> Value {
    let elapsed = (Utc::now() - o.created).to_std().unwrap_or_default();
    let done = elapsed >= o.delay;
    let status = match (done, o.outcome) {
        (true, Outcome::Completed) => "Completed",
        (true, Outcome::Failed) => "Failed",
        (true, Outcome::Cancelled) => "Cancelled",
        (false, _) if elapsed < o.delay / 2 => "Pending",
        (false, _) => "Processing",
    };
    let vouchers = if done && o.outcome == Outcome::Completed {
        o.vouchers.clone()
    } else {
        Vec::new()
    };
    let gross: f64 = o.rows.iter().map(|(_, q, p, _)| *q as f64 * p).sum();
    let net: f64 = o.rows.iter().map(|(_, q, _, n)| *q as f64 * n).sum();
    json!({
        "Id": o.id, "ExternalOrderId": o.external_order_id, "OrderDate": o.created_at, "OrderStatus": status,
        "GrossAmount": money(gross), "NetAmount": money(net), "Currency": "EUR",
        "OrderRows": o.rows.iter().map(|(p, q, price, _)| json!({"ProductId": p, "Quantity": q.to_string(), "UnitPrice": money(*price)})).collect::<Vec<_>>(),
        "Vouchers": vouchers,
    })
}

/// A voucher as the real service sends it.
fn voucher(product: &str) -> Value {
    let (shop, value) = find_product(product).expect("checked product");
    let mut rng = rand::thread_rng();
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let group = |rng: &mut rand::rngs::ThreadRng| -> String {
        (0..4)
            .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
            .collect()
    };
    let code = format!(
        "{}-{}-{}-{}",
        &shop.code[..shop.code.len().min(4)],
        group(&mut rng),
        group(&mut rng),
        group(&mut rng)
    );
    let now = Utc::now();
    json!({
        "ProductId": product, "RetailerId": shop.merchant_id,
        "VoucherLink": shop.link.map(|l| format!("{l}{code}")).unwrap_or_default(),
        "CardCode": code,
        "Pin": if shop.pin { format!("{:04}", rng.gen_range(0..10_000)) } else { String::new() },
        "ValidityStartDate": now.format("%Y-%m-%dT00:00:00").to_string(),
        "ValidityEndDate": (now + Days::days(365)).format("%Y-%m-%dT23:59:59").to_string(),
        "Amount": money(value as f64),
    })
}

/// `GET /cdn/{logos|images}/{code}.png`: the retailer's colour as a PNG.
async fn image(Path((kind, file)): Path<(String, String)>) -> Response {
    let shop = file
        .strip_suffix(".png")
        .and_then(|code| SHOPS.iter().find(|s| s.code.eq_ignore_ascii_case(code)));
    let (Some(shop), true) = (shop, kind == "logos" || kind == "images") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (w, h) = if kind == "logos" { (96, 96) } else { (160, 100) };
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let border = x < 6 || y < 6 || x >= w - 6 || y >= h - 6;
        if border {
            image::Rgb([255, 255, 255])
        } else {
            image::Rgb(shop.color)
        }
    });
    let mut png = Vec::new();
    if img
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .is_err()
    {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    ([(header::CONTENT_TYPE, "image/png")], png).into_response()
}

/// The configuration that points a client at this simulator served at `root`.
pub fn training_config(root: &str) -> crate::config::ProviderConfig {
    let mut c = crate::config::ProviderConfig::default();
    c.insert("url", format!("{root}{BASE_PATH}"));
    c.insert("token_url", format!("{root}{TOKEN_PATH}"));
    c.insert("client_id", CLIENT_ID.to_string());
    c.insert_secret("client_secret", crate::secrets::Secret::new(crate::sim::CLIENT_SECRET));
    c.insert("username", USERNAME.to_string());
    c.insert_secret("password", crate::secrets::Secret::new(PASSWORD));
    c.insert("contract_id", CONTRACT_ID.to_string());
    c.insert("culture", "fr-FR".to_string());
    c
}
