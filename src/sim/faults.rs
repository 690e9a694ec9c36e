//! Fault injection for the simulators: latency, a given status on the Nth
//! call, a dropped connection after the operation was committed, malformed
//! JSON, a wrong content type. Tests set rules through `SimHost::inject` or
//! `POST /_sim/faults`; every call is counted per `METHOD /path`.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What to do to a matching call.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum FaultAction {
    /// Wait before handling.
    Delay { ms: u64 },
    /// Answer this status and body without handling the call (nothing committed).
    Status {
        status: u16,
        #[serde(default)]
        body: Option<serde_json::Value>,
    },
    /// Handle the call (the operation is committed), then cut the connection
    /// before the answer is complete.
    DropAfterCommit,
    /// Handle the call, then wait before answering (a crash test kills the
    /// client in that window).
    DelayAfterCommit { ms: u64 },
    /// Cut the connection without handling the call.
    DropBeforeCommit,
    /// Handle the call, then send a truncated JSON body.
    MalformedJson,
    /// Handle the call, then send it with another content type.
    ContentType { value: String },
}

/// A rule: which calls it hits and what it does.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Fault {
    /// Matches when the request path ends with this (e.g. `/distributors/transactions`).
    pub path: String,
    /// Matches only this method when set.
    #[serde(default)]
    pub method: Option<String>,
    /// Hits only the Nth matching call (1-based) when set; else every call.
    #[serde(default)]
    pub nth: Option<u64>,
    /// How many times it may hit; unlimited when unset.
    #[serde(default)]
    pub times: Option<u64>,
    pub action: FaultAction,
}

impl Fault {
    pub fn on(path: &str, action: FaultAction) -> Self {
        Fault {
            path: path.to_string(),
            method: None,
            nth: None,
            times: None,
            action,
        }
    }
    pub fn method(mut self, m: &str) -> Self {
        self.method = Some(m.to_uppercase());
        self
    }
    pub fn nth(mut self, n: u64) -> Self {
        self.nth = Some(n);
        self
    }
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }
}

#[derive(Default)]
struct Inner {
    rules: Vec<(Fault, u64 /* matching calls seen */, u64 /* hits */)>,
    calls: BTreeMap<String, u64>,
}

/// Shared by every simulator of a host.
#[derive(Clone, Default)]
pub struct Faults(Arc<Mutex<Inner>>);

impl Faults {
    pub fn add(&self, fault: Fault) {
        self.0.lock().unwrap().rules.push((fault, 0, 0));
    }
    pub fn clear(&self) {
        self.0.lock().unwrap().rules.clear();
    }
    /// Calls seen per `METHOD /path`.
    pub fn calls(&self) -> BTreeMap<String, u64> {
        self.0.lock().unwrap().calls.clone()
    }
    /// Calls seen whose key ends with `suffix` (e.g. `POST /distributors/transactions`).
    pub fn count(&self, method: &str, path_suffix: &str) -> u64 {
        let prefix = format!("{} ", method.to_uppercase());
        self.calls()
            .iter()
            .filter(|(k, _)| k.starts_with(&prefix) && k.ends_with(path_suffix))
            .map(|(_, n)| n)
            .sum()
    }

    /// Counts the call and returns the action of the first rule it hits.
    fn hit(&self, method: &str, path: &str) -> Option<FaultAction> {
        let mut inner = self.0.lock().unwrap();
        *inner.calls.entry(format!("{method} {path}")).or_default() += 1;
        for (rule, seen, hits) in inner.rules.iter_mut() {
            if !path.ends_with(&rule.path) || rule.method.as_deref().is_some_and(|m| m != method) {
                continue;
            }
            *seen += 1;
            let nth_ok = rule.nth.is_none_or(|n| n == *seen);
            let left = rule.times.is_none_or(|t| *hits < t);
            if nth_ok && left {
                *hits += 1;
                return Some(rule.action.clone());
            }
        }
        None
    }
}

/// Axum middleware applying the rules to every simulator route.
pub async fn middleware(State(faults): State<Faults>, req: Request, next: Next) -> Response {
    let action = faults.hit(req.method().as_str(), req.uri().path());
    match action {
        None => next.run(req).await,
        Some(FaultAction::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        Some(FaultAction::Status { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            match body {
                Some(b) => (status, axum::Json(b)).into_response(),
                None => status.into_response(),
            }
        }
        Some(FaultAction::DropBeforeCommit) => broken_body(StatusCode::OK),
        Some(FaultAction::DelayAfterCommit { ms }) => {
            let committed = next.run(req).await;
            tokio::time::sleep(Duration::from_millis(ms)).await;
            committed
        }
        Some(FaultAction::DropAfterCommit) => {
            let committed = next.run(req).await;
            broken_body(committed.status())
        }
        Some(FaultAction::MalformedJson) => {
            let (mut parts, _) = next.run(req).await.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from("{\"truncated\": [1, 2"))
        }
        Some(FaultAction::ContentType { value }) => {
            let mut res = next.run(req).await;
            if let Ok(v) = HeaderValue::from_str(&value) {
                res.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            res
        }
    }
}

/// A response whose body fails mid-way: the client sees the connection cut
/// before the answer is complete, as after a network failure.
fn broken_body(status: StatusCode) -> Response {
    let stream = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault: dropped",
        ))
    });
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, "4096")
        .body(Body::from_stream(stream))
        .expect("valid response")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nth_and_times_select_calls() {
        let f = Faults::default();
        f.add(Fault::on("/x", FaultAction::MalformedJson).method("POST").nth(2));
        f.add(Fault::on("/y", FaultAction::DropAfterCommit).times(1));
        assert_eq!(f.hit("POST", "/a/x"), None);
        assert_eq!(f.hit("GET", "/a/x"), None);
        assert_eq!(f.hit("POST", "/a/x"), Some(FaultAction::MalformedJson));
        assert_eq!(f.hit("POST", "/a/x"), None);
        assert_eq!(f.hit("GET", "/y"), Some(FaultAction::DropAfterCommit));
        assert_eq!(f.hit("GET", "/y"), None);
        assert_eq!(f.count("POST", "/x"), 3);
    }

    #[test]
    fn rules_read_from_json() {
        let f: Fault = serde_json::from_str(
            r#"{"path": "/token", "nth": 1, "action": {"type": "status", "status": 429, "body": {"code": 53}}}"#,
        )
        .unwrap();
        assert_eq!(
            f.action,
            FaultAction::Status {
                status: 429,
                body: Some(serde_json::json!({"code": 53}))
            }
        );
    }
}
