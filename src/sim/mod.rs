//! What every provider's simulator shares: fault injection, an OAuth token
//! endpoint, the test credentials, and the local server they are served
//! on. Which simulators there are, and their routes, is the registry's
//! (`registry::SimHost`). The app starts them in-process when a provider
//! has no credentials (training mode); `comptoir sim` runs them on their
//! own; tests start them to have a provider to talk to.
//!
//! Control endpoints, for tests driving a separate process:
//! `POST /_sim/faults` (a `Fault` as JSON), `DELETE /_sim/faults`,
//! `GET /_sim/calls`, `POST /_sim/expire-tokens`.

pub mod faults;
pub mod oauth;
pub mod world;

pub use faults::{Fault, FaultAction, Faults};

use crate::error::{Error, Result};
use axum::extract::State;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

/// Credentials the simulators accept; printed by `comptoir sim`, used by
/// training mode. They open nothing but the simulators.
pub const CLIENT_ID: &str = "comptoir-training";
pub const CLIENT_SECRET: &str = "training-secret";

/// The simulators' HTTP server on 127.0.0.1; dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

/// What the control endpoints act on.
#[derive(Clone)]
pub struct Control {
    pub faults: Faults,
    /// Makes every simulator forget the tokens it issued.
    pub expire_tokens: Arc<dyn Fn() + Send + Sync>,
}

impl Server {
    /// Serves the providers' routes (behind fault injection) and the control
    /// endpoints on 127.0.0.1 (`port` 0 picks a free one).
    pub async fn start(port: u16, providers: Router, control: Control) -> Result<Server> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
            Error::config("sim.port", format!("cannot listen on 127.0.0.1:{port}: {e}")).with("port", port)
        })?;
        let addr = listener.local_addr()?;
        let providers = providers.layer(axum::middleware::from_fn_with_state(
            control.faults.clone(),
            faults::middleware,
        ));
        let app = control_routes(control).merge(providers);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let served = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = served.await {
                tracing::error!("simulator host stopped: {e}");
            }
        });
        tracing::info!(%addr, "simulators listening");
        Ok(Server {
            addr,
            shutdown: Some(tx),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn root(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn control_routes(control: Control) -> Router {
    Router::new()
        .route("/_sim/faults", post(add_fault))
        .route("/_sim/faults", delete(clear_faults))
        .route("/_sim/calls", get(calls))
        .route("/_sim/expire-tokens", post(expire_tokens))
        .with_state(control)
}

async fn add_fault(State(c): State<Control>, Json(fault): Json<Fault>) -> Json<serde_json::Value> {
    c.faults.add(fault);
    Json(serde_json::json!({"ok": true}))
}

async fn clear_faults(State(c): State<Control>) -> Json<serde_json::Value> {
    c.faults.clear();
    Json(serde_json::json!({"ok": true}))
}

async fn calls(State(c): State<Control>) -> Json<BTreeMap<String, u64>> {
    Json(c.faults.calls())
}

async fn expire_tokens(State(c): State<Control>) -> Json<serde_json::Value> {
    (c.expire_tokens)();
    Json(serde_json::json!({"ok": true}))
}
