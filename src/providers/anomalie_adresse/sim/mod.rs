//! Simulator of Orange Anomalie Adresse, as the OpenAPI (2.0.0) and the
//! document describe it: the ticket resource, its list with the full TMF
//! filter, sort, fields and paging semantics (`query`, really evaluated)
//! and the `X-Total-Count`/`X-Result-Count` headers, `HEAD` counts, `ETag`s
//! with 412 on a stale `If-Match`, 403 on a change the lifecycle forbids,
//! notes, attachments (multipart, 413 over [`MAX_ATTACHMENT`], the
//! OpenAPI's file types), the event feed, the page's 401 (code 42) and
//! 400 bodies. Tickets are created `ACKNOWLEDGED` and moved by a simulated
//! infrastructure operator (`operator`).
//!
//! Control endpoints (tests, training): `POST {PATH}/_sim/advance`
//! `{seconds}` moves time on; `POST {PATH}/_sim/move/{id}` `{status,
//! reason, complexity}` makes the operator's move now;
//! `POST {PATH}/_sim/scenario/{id}` `{scenario}` sets a ticket's course.

// Handlers return an early HTTP answer as `Err(Response)` (axum's idiom).
#![allow(clippy::result_large_err)]

mod operator;

pub use operator::{Scenario, ANSWER_DAYS, STEP_MINUTES, VALIDATION_DAYS};

use super::lifecycle::{self as lc, Actor};
use super::model as wire;
use super::query::{self, Query};
use crate::sim::oauth::{OAuthSim, SimGrant};
use axum::body::Bytes;
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

pub const PATH: &str = "/anomalie-adresse";
pub const TOKEN_PATH: &str = "/anomalie-adresse/oauth/v2/token";
/// The operator this simulator plays, and the shop's code in training.
pub const CODE_OI: &str = "ORNG";
pub const TRAINING_CODE_OC: &str = "CPTR";
/// The largest attachment it takes (the real limit is the operator's).
pub const MAX_ATTACHMENT: usize = 5 * 1024 * 1024;
/// The OpenAPI's paging: 50 by default, 100 at most.
pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 100;
/// The file types an attachment may be (the OpenAPI's list).
pub const FILE_TYPES: &[(&str, &str)] = &[
    ("csv", "text/csv"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("png", "image/png"),
    ("svg", "image/svg+xml"),
    ("pdf", "application/pdf"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("odt", "application/vnd.oasis.opendocument.text"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SimTicket {
    /// The ticket as served.
    raw: Value,
    notes: Vec<Value>,
    attachments: Vec<SimAttachment>,
    scenario: Scenario,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SimAttachment {
    meta: Value,
    /// The bytes, base64 (the world is kept as JSON).
    content: String,
}

/// The operator's side of the training world.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct World {
    tickets: Vec<SimTicket>,
    events: Vec<Value>,
    offset_secs: i64,
    served: u64,
}

pub struct Sim {
    pub oauth: OAuthSim,
    world: Mutex<World>,
    /// The query strings the ticket list received, as they arrived.
    queries: Mutex<Vec<String>>,
}

impl Default for Sim {
    fn default() -> Self {
        Self::new()
    }
}

impl Sim {
    pub fn new() -> Self {
        Sim {
            oauth: OAuthSim::new(SimGrant::training_client(), 3600, crate::sim::oauth::orange_expired()),
            world: Mutex::default(),
            queries: Mutex::default(),
        }
    }

    /// The query strings `GET {PATH}` received, in order (tests check that
    /// the client sends exactly what the user gave).
    pub fn queries(&self) -> Vec<String> {
        self.queries.lock().unwrap().clone()
    }

    pub fn advance(&self, by: std::time::Duration) {
        let mut w = self.world.lock().unwrap();
        w.offset_secs += by.as_secs() as i64;
        operator::settle(&mut w);
    }

    /// The operator's move on a ticket now, checked by the lifecycle.
    pub fn operator_move(
        &self,
        id: &str,
        status: &str,
        reason: Option<&str>,
        complexity: Option<&str>,
    ) -> Result<(), String> {
        let mut w = self.world.lock().unwrap();
        let i = w.find(id).ok_or("no such ticket")?;
        let at = now(&w);
        let m = operator::OiMove {
            status: status.into(),
            reason: reason.map(str::to_string),
            complexity: complexity.map(str::to_string),
            details: None,
        };
        operator::apply(&mut w, i, &m, at)
    }

    /// The operator's own note on a ticket (its text as the operator wrote it).
    pub fn operator_note(&self, id: &str, text: &str) -> Result<(), String> {
        let mut w = self.world.lock().unwrap();
        let i = w.find(id).ok_or("no such ticket")?;
        let at = now(&w);
        push_note(&mut w, i, text, "OI", at);
        Ok(())
    }

    pub fn set_scenario(&self, id: &str, scenario: Scenario) -> bool {
        let mut w = self.world.lock().unwrap();
        match w.find(id) {
            Some(i) => {
                w.tickets[i].scenario = scenario;
                true
            }
            None => false,
        }
    }

    /// Every ticket as served, for tests.
    pub fn tickets(&self) -> Vec<Value> {
        self.world
            .lock()
            .unwrap()
            .tickets
            .iter()
            .map(|t| t.raw.clone())
            .collect()
    }

    /// Changes a ticket behind the shop's back (another counter, the
    /// operator's portal): a new version, so the shop's ETag is stale.
    pub fn touch(&self, id: &str, field: &str, value: Value) {
        let mut w = self.world.lock().unwrap();
        let at = now(&w);
        if let Some(i) = w.find(id) {
            w.tickets[i].raw[field] = value;
            w.tickets[i].bump(at);
        }
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

impl World {
    fn find(&self, id: &str) -> Option<usize> {
        self.tickets.iter().position(|t| t.id() == id)
    }
}

impl SimTicket {
    fn id(&self) -> &str {
        self.raw["id"].as_str().unwrap_or("")
    }

    fn status(&self) -> &str {
        self.raw["status"].as_str().unwrap_or(lc::ACKNOWLEDGED)
    }

    fn etag(&self) -> String {
        format!("\"{}\"", self.raw["@version"].as_str().unwrap_or(""))
    }

    fn history(&self) -> &[Value] {
        self.raw["statusChange"].as_array().map(Vec::as_slice).unwrap_or(&[])
    }

    fn requalified(&self) -> bool {
        self.history().iter().any(|c| c["changeReason"] == "REQUALIFIED")
    }

    fn was(&self, status: &str) -> bool {
        self.history().iter().any(|c| c["status"] == status)
    }

    fn last_change(&self) -> DateTime<Utc> {
        self.history()
            .last()
            .and_then(|c| c["changeDate"].as_str())
            .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_else(Utc::now)
    }

    fn bump(&mut self, at: DateTime<Utc>) {
        self.raw["@version"] = json!(uuid::Uuid::new_v4().to_string());
        self.raw["lastUpdateDate"] = json!(stamp(at));
    }

    fn change_status(
        &mut self,
        to: &str,
        reason: Option<&str>,
        details: Option<&str>,
        author: &str,
        at: DateTime<Utc>,
    ) {
        self.raw["status"] = json!(to);
        // The OpenAPI's reason and details are strings, never null: absent.
        let map = self.raw.as_object_mut().expect("a ticket is an object");
        for (key, value) in [("statusChangeReason", reason), ("statusChangeDetails", details)] {
            match value {
                Some(v) => map.insert(key.into(), json!(v)),
                None => map.remove(key),
            };
        }
        let mut change = json!({"status": to, "changeDate": stamp(at), "author": author, "@type": "StatusChange"});
        if let Some(r) = reason {
            change["changeReason"] = json!(r);
        }
        if let Some(d) = details {
            change["changeDetails"] = json!(d);
        }
        if let Some(list) = self.raw["statusChange"].as_array_mut() {
            list.push(change);
        }
        self.bump(at);
    }
}

fn now(w: &World) -> DateTime<Utc> {
    Utc::now() + Duration::seconds(w.offset_secs)
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// One CloudEvent of the feed.
fn event(kind: &str, subject: &str, data: Value, at: DateTime<Utc>) -> Value {
    json!({
        "specversion": "1.0",
        "id": uuid::Uuid::new_v4().to_string(),
        "source": "https://api.orange.com/anomalie-adresse",
        "type": kind,
        "time": stamp(at),
        "subject": subject,
        "datacontenttype": "application/json",
        "data": data,
    })
}

/// The OpenAPI's error body.
fn error(status: StatusCode, code: &str, reason: &str, message: &str) -> Response {
    let body = json!({
        "@type": "Error",
        "code": code,
        "reason": reason,
        "message": message,
        "status": status.as_u16().to_string(),
        "referenceError": "https://github.com/before-interop/anomalieAdresse",
    });
    (status, Json(body)).into_response()
}

fn bad_request(reason: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "25", reason, "invalid request")
}

fn not_found(what: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        "60",
        &format!("{what} not found"),
        "the resource does not exist or is not visible",
    )
}

pub fn router(sim: Arc<Sim>) -> Router {
    let api = Router::new()
        .route(PATH, get(list_tickets).head(count_tickets).post(create))
        .route(&format!("{PATH}/event"), get(list_events).head(count_events))
        .route(&format!("{PATH}/{{id}}"), get(read).patch(update).put(update))
        .route(
            &format!("{PATH}/{{id}}/note"),
            get(list_notes).head(count_notes).post(add_note),
        )
        .route(
            &format!("{PATH}/{{id}}/attachment"),
            get(list_attachments).head(count_attachments).post(add_attachment),
        )
        .route(&format!("{PATH}/{{id}}/attachment/{{aid}}/content"), get(download))
        .layer(axum::middleware::from_fn_with_state(sim.clone(), checks));
    Router::new()
        .route(TOKEN_PATH, post(token))
        .route(&format!("{PATH}/_sim/advance"), post(advance))
        .route(&format!("{PATH}/_sim/move/{{id}}"), post(control_move))
        .route(&format!("{PATH}/_sim/scenario/{{id}}"), post(control_scenario))
        .merge(api)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_ATTACHMENT * 2))
        .with_state(sim)
}

async fn token(State(sim): State<Arc<Sim>>, headers: HeaderMap, body: String) -> Response {
    sim.oauth.token(&headers, &body)
}

/// A valid bearer token before any call (401 code 42 otherwise, as the
/// page shows it); the operator's own moves are settled first.
async fn checks(State(sim): State<Arc<Sim>>, req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if let Err(refused) = sim.oauth.check(req.headers()) {
        return refused;
    }
    {
        let mut w = sim.world.lock().unwrap();
        operator::settle(&mut w);
        w.served += 1;
    }
    next.run(req).await
}

fn parse(q: Option<String>) -> Result<Query, Response> {
    let q = Query::parse(q.as_deref().unwrap_or("")).map_err(|e| bad_request(&e.0))?;
    if q.limit_value().is_some_and(|l| l > MAX_LIMIT) {
        return Err(bad_request(&format!("limit is at most {MAX_LIMIT}")));
    }
    Ok(q)
}

/// What a `fields` selection always keeps: the OpenAPI's required fields
/// of each resource (and the id), so that a partial answer still reads.
const TICKET_KEEPS: &[&str] = &["id", "@type", "code_oi", "code_oc"];
const NOTE_KEEPS: &[&str] = &["id"];
const ATTACHMENT_KEEPS: &[&str] = &["id", "name"];
const EVENT_KEEPS: &[&str] = &["id", "specversion", "type", "source", "time", "subject"];

/// A page of `items` as the query asks, with the paging headers.
fn page(items: Vec<Value>, q: Option<String>, keeps: &[&str]) -> Response {
    let q = match parse(q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let (page, total) = query::answer(items, &q, DEFAULT_LIMIT, keeps);
    let mut res = Json(Value::Array(page.clone())).into_response();
    counts(res.headers_mut(), total, Some(page.len()));
    res
}

/// The count of `items` the query's filters match, headers only.
fn count(items: Vec<Value>, q: Option<String>) -> Response {
    let q = match parse(q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let total = items
        .iter()
        .filter(|e| q.filters().all(|f| query::matches(e, f)))
        .count();
    let mut res = StatusCode::OK.into_response();
    counts(res.headers_mut(), total, None);
    res
}

fn counts(h: &mut HeaderMap, total: usize, result: Option<usize>) {
    h.insert("x-total-count", HeaderValue::from(total as u64));
    if let Some(r) = result {
        h.insert("x-result-count", HeaderValue::from(r as u64));
    }
}

async fn list_tickets(State(sim): State<Arc<Sim>>, RawQuery(q): RawQuery) -> Response {
    sim.queries.lock().unwrap().push(q.clone().unwrap_or_default());
    page(sim.tickets(), q, TICKET_KEEPS)
}

async fn count_tickets(State(sim): State<Arc<Sim>>, RawQuery(q): RawQuery) -> Response {
    count(sim.tickets(), q)
}

async fn list_events(State(sim): State<Arc<Sim>>, RawQuery(q): RawQuery) -> Response {
    let items = sim.world.lock().unwrap().events.clone();
    page(items, q, EVENT_KEEPS)
}

async fn count_events(State(sim): State<Arc<Sim>>, RawQuery(q): RawQuery) -> Response {
    let items = sim.world.lock().unwrap().events.clone();
    count(items, q)
}

fn with_etag(status: StatusCode, t: &SimTicket, body: Value) -> Response {
    let mut res = (status, Json(body)).into_response();
    if let Ok(v) = HeaderValue::from_str(&t.etag()) {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

// Bodies are taken as bytes and read here, so that a body that is not
// UTF-8 JSON gets the API's own JSON 400, never the framework's text.
async fn create(State(sim): State<Arc<Sim>>, body: Bytes) -> Response {
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("the body is not a JSON object");
    };
    if let Err(e) = super::rules::validate(&map) {
        return bad_request(&e.message);
    }
    let mut w = sim.world.lock().unwrap();
    let at = now(&w);
    let id = uuid::Uuid::new_v4().to_string();
    let number = w.tickets.len() + 1;
    map.insert("id".into(), json!(id));
    map.insert("href".into(), json!(format!("{PATH}/{id}")));
    map.insert("@baseType".into(), json!("AnomalieAdresse"));
    map.insert("name".into(), json!(format!("AA-{}-{number:06}", at.format("%Y"))));
    map.entry("priority").or_insert(json!("LOW"));
    map.entry("ticketType").or_insert(json!("OC_REQUEST"));
    map.insert("status".into(), json!(lc::ACKNOWLEDGED));
    map.insert("statusChange".into(), json!([]));
    map.insert("creationDate".into(), json!(stamp(at)));
    map.insert("expectedResolutionDate".into(), Value::Null);
    let mut t = SimTicket {
        raw: Value::Object(map),
        notes: vec![],
        attachments: vec![],
        scenario: Scenario::from_id(&id),
    };
    t.change_status(lc::ACKNOWLEDGED, None, None, "OC", at);
    let res = with_etag(StatusCode::CREATED, &t, t.raw.clone());
    w.events.push(event(wire::EVENT_UPDATE, &id, t.raw.clone(), at));
    w.tickets.push(t);
    res
}

async fn read(State(sim): State<Arc<Sim>>, Path(id): Path<String>, RawQuery(q): RawQuery) -> Response {
    let w = sim.world.lock().unwrap();
    let Some(i) = w.find(&id) else {
        return not_found("AnomalieAdresse");
    };
    let t = &w.tickets[i];
    let body = match parse(q).map(|q| q.fields_value().map(str::to_string)) {
        Ok(Some(f)) => query::select(&t.raw, &f, TICKET_KEEPS),
        Ok(None) => t.raw.clone(),
        Err(r) => return r,
    };
    with_etag(StatusCode::OK, t, body)
}

/// What the shop may change by `PATCH`: its status (as the lifecycle
/// allows), and its own fields.
const OC_FIELDS: &[&str] = &[
    "status",
    "statusChangeReason",
    "statusChangeDetails",
    "priority",
    "description",
    "externalId",
    "requestedResolutionDate",
];

async fn update(State(sim): State<Arc<Sim>>, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let mut w = sim.world.lock().unwrap();
    let Some(i) = w.find(&id) else {
        return not_found("AnomalieAdresse");
    };
    let if_match = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok());
    if if_match.is_some_and(|tag| tag != "*" && tag != w.tickets[i].etag()) {
        return error(
            StatusCode::PRECONDITION_FAILED,
            "412",
            "the ticket was changed since it was read (ETag)",
            "read the ticket again and apply the change to its current version",
        );
    }
    let Ok(Value::Object(change)) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("the body is not a JSON object");
    };
    if let Some(k) = change
        .keys()
        .find(|k| !OC_FIELDS.contains(&k.as_str()) && !is_same(&w.tickets[i].raw, k, &change[*k]))
    {
        return bad_request(&format!("`{k}` is not a field the commercial operator changes"));
    }
    let at = now(&w);
    let t = &mut w.tickets[i];
    if let Some(to) = change
        .get("status")
        .and_then(Value::as_str)
        .filter(|s| *s != t.status())
    {
        let reason = change.get("statusChangeReason").and_then(Value::as_str);
        let state = lc::State {
            status: t.status(),
            complexity: t.raw["complexity"].as_str(),
            requalified: t.requalified(),
        };
        if let Err(why) = lc::check(&state, to, reason, Actor::Oc) {
            return error(StatusCode::FORBIDDEN, "403", &id, &why);
        }
        let details = change.get("statusChangeDetails").and_then(Value::as_str);
        let to = to.to_string();
        t.change_status(&to, reason, details, "OC", at);
        if to == lc::ACKNOWLEDGED {
            // Back for another round: the course starts again, simply.
            if t.scenario != Scenario::Manual {
                t.scenario = Scenario::Simple;
            }
        }
    }
    for key in ["priority", "description", "externalId", "requestedResolutionDate"] {
        if let Some(v) = change.get(key) {
            t.raw[key] = v.clone();
        }
    }
    t.bump(at);
    let data = t.raw.clone();
    let res = with_etag(StatusCode::OK, t, data.clone());
    w.events.push(event(wire::EVENT_UPDATE, &id, data, at));
    res
}

/// A read-only field sent back unchanged (a `PUT` of the whole ticket) is no change.
fn is_same(raw: &Value, key: &str, v: &Value) -> bool {
    raw.get(key) == Some(v)
}

async fn list_notes(State(sim): State<Arc<Sim>>, Path(id): Path<String>, RawQuery(q): RawQuery) -> Response {
    let w = sim.world.lock().unwrap();
    match w.find(&id) {
        Some(i) => page(w.tickets[i].notes.clone(), q, NOTE_KEEPS),
        None => not_found("AnomalieAdresse"),
    }
}

async fn count_notes(State(sim): State<Arc<Sim>>, Path(id): Path<String>, RawQuery(q): RawQuery) -> Response {
    let w = sim.world.lock().unwrap();
    match w.find(&id) {
        Some(i) => count(w.tickets[i].notes.clone(), q),
        None => not_found("AnomalieAdresse"),
    }
}

fn related(id: &str) -> Value {
    json!([{"id": id, "@referredType": "AnomalieAdresse", "role": "anomalie", "@type": "RelatedEntity"}])
}

async fn add_note(State(sim): State<Arc<Sim>>, Path(id): Path<String>, body: Bytes) -> Response {
    let text = match serde_json::from_slice::<Value>(&body) {
        Ok(v) => v.get("text").and_then(Value::as_str).map(str::to_string),
        Err(_) => None,
    };
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return bad_request("a note has its `text`");
    };
    let mut w = sim.world.lock().unwrap();
    let Some(i) = w.find(&id) else {
        return not_found("AnomalieAdresse");
    };
    let at = now(&w);
    let note = push_note(&mut w, i, &text, "OC", at);
    let mut res = (StatusCode::CREATED, Json(note)).into_response();
    res.headers_mut()
        .insert(header::ETAG, HeaderValue::from_static("\"1\""));
    res
}

fn push_note(w: &mut World, i: usize, text: &str, author: &str, at: DateTime<Utc>) -> Value {
    let id = w.tickets[i].id().to_string();
    let note = json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "@type": "Note",
        "text": text,
        "date": stamp(at),
        "author": author,
        "relatedEntity": related(&id),
    });
    w.tickets[i].notes.push(note.clone());
    w.events.push(event(wire::EVENT_NOTE, &id, note.clone(), at));
    note
}

async fn list_attachments(State(sim): State<Arc<Sim>>, Path(id): Path<String>, RawQuery(q): RawQuery) -> Response {
    let w = sim.world.lock().unwrap();
    match w.find(&id) {
        Some(i) => page(
            w.tickets[i].attachments.iter().map(|a| a.meta.clone()).collect(),
            q,
            ATTACHMENT_KEEPS,
        ),
        None => not_found("AnomalieAdresse"),
    }
}

async fn count_attachments(State(sim): State<Arc<Sim>>, Path(id): Path<String>, RawQuery(q): RawQuery) -> Response {
    let w = sim.world.lock().unwrap();
    match w.find(&id) {
        Some(i) => count(w.tickets[i].attachments.iter().map(|a| a.meta.clone()).collect(), q),
        None => not_found("AnomalieAdresse"),
    }
}

async fn add_attachment(State(sim): State<Arc<Sim>>, Path(id): Path<String>, mut form: Multipart) -> Response {
    let (mut file, mut meta): (Option<(String, Vec<u8>)>, Value) = (None, json!({}));
    loop {
        match form.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let filename = field.file_name().map(str::to_string);
                let Ok(bytes) = field.bytes().await else {
                    return too_large();
                };
                if bytes.len() > MAX_ATTACHMENT {
                    return too_large();
                }
                match name.as_str() {
                    "file" => file = Some((filename.unwrap_or_default(), bytes.to_vec())),
                    "attachment" => meta = serde_json::from_slice(&bytes).unwrap_or(json!({})),
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(),
            Err(e) => return bad_request(&format!("multipart: {e}")),
        }
    }
    let Some((filename, bytes)) = file else {
        return bad_request("an attachment has its `file` part");
    };
    let name = meta["name"].as_str().map(str::to_string).unwrap_or(filename);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let Some((_, mime)) = FILE_TYPES.iter().find(|(e, _)| *e == ext) else {
        return bad_request(&format!(
            "`{name}`: the file types allowed are csv, jpeg, jpg, png, svg, pdf, ods, odt, xlsx, docx"
        ));
    };
    let mut w = sim.world.lock().unwrap();
    let Some(i) = w.find(&id) else {
        return not_found("AnomalieAdresse");
    };
    let at = now(&w);
    use sha2::Digest;
    let aid = uuid::Uuid::new_v4().to_string();
    let mut att = json!({
        "id": aid,
        "@type": "Attachment",
        "name": name,
        "mimeType": mime,
        "size": bytes.len(),
        "sha256": format!("{:x}", sha2::Sha256::digest(&bytes)),
        "creationDate": stamp(at),
        "status": "ACTIVE",
        "uri": format!("{PATH}/{id}/attachment/{aid}/content"),
        "relatedEntity": related(&id),
    });
    if let Some(d) = meta["description"].as_str() {
        att["description"] = json!(d);
    }
    w.tickets[i].attachments.push(SimAttachment {
        meta: att.clone(),
        content: base64::engine::general_purpose::STANDARD.encode(&bytes),
    });
    w.events.push(event(wire::EVENT_ATTACHMENT, &id, att.clone(), at));
    (StatusCode::CREATED, Json(att)).into_response()
}

fn too_large() -> Response {
    error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "413",
        &format!("the file is larger than {} MB", MAX_ATTACHMENT / 1024 / 1024),
        "send a smaller file",
    )
}

async fn download(State(sim): State<Arc<Sim>>, Path((id, aid)): Path<(String, String)>) -> Response {
    let w = sim.world.lock().unwrap();
    let Some(i) = w.find(&id) else {
        return not_found("AnomalieAdresse");
    };
    let Some(a) = w.tickets[i].attachments.iter().find(|a| a.meta["id"] == aid.as_str()) else {
        return not_found("Attachment");
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&a.content)
        .unwrap_or_default();
    // The OpenAPI's type for the content; the file's own is in `mimeType`.
    ([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response()
}

async fn advance(State(sim): State<Arc<Sim>>, Json(v): Json<Value>) -> Response {
    sim.advance(std::time::Duration::from_secs(v["seconds"].as_u64().unwrap_or(0)));
    Json(json!({"ok": true})).into_response()
}

async fn control_move(
    State(sim): State<Arc<Sim>>,
    Path(id): Path<String>,
    Json(m): Json<operator::OiMove>,
) -> Response {
    match sim.operator_move(&id, &m.status, m.reason.as_deref(), m.complexity.as_deref()) {
        Ok(()) => Json(json!({"ok": true})).into_response(),
        Err(why) => error(StatusCode::FORBIDDEN, "403", &id, &why),
    }
}

async fn control_scenario(State(sim): State<Arc<Sim>>, Path(id): Path<String>, Json(v): Json<Value>) -> Response {
    match serde_json::from_value::<Scenario>(v["scenario"].clone()) {
        Ok(s) if sim.set_scenario(&id, s) => Json(json!({"ok": true})).into_response(),
        Ok(_) => not_found("AnomalieAdresse"),
        Err(e) => bad_request(&e.to_string()),
    }
}

/// The configuration that points a client at this simulator served at `root`.
pub fn training_config(root: &str) -> crate::config::ProviderConfig {
    let mut c = crate::config::ProviderConfig::default();
    c.insert("url", format!("{root}{PATH}"));
    c.insert("token_url", format!("{root}{TOKEN_PATH}"));
    c.insert("client_id", crate::sim::CLIENT_ID.to_string());
    c.insert_secret("client_secret", crate::secrets::Secret::new(crate::sim::CLIENT_SECRET));
    c.insert("code_oc", TRAINING_CODE_OC.to_string());
    c
}
