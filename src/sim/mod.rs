//! The simulator host: every provider's simulator on one local port, with
//! fault injection. The app starts it in-process when a provider has no
//! credentials (training mode); `comptoir sim` runs it on its own; tests
//! start it to have a provider to talk to.
//!
//! Control endpoints, for tests driving a separate process:
//! `POST /_sim/faults` (a `Fault` as JSON), `DELETE /_sim/faults`,
//! `GET /_sim/calls`, `POST /_sim/expire-tokens`.

pub mod faults;
pub mod oauth;

pub use faults::{Fault, FaultAction, Faults};

use crate::error::{Error, Result};
use crate::providers::{amilon, orange_travel, ProviderConfig, ProviderId};
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

#[derive(Clone)]
pub struct SimState {
    pub faults: Faults,
    pub orange_travel: Arc<orange_travel::sim::Sim>,
    pub amilon: Arc<amilon::sim::Sim>,
}

impl SimState {
    fn new() -> Self {
        SimState {
            faults: Faults::default(),
            orange_travel: Arc::new(orange_travel::sim::Sim::new()),
            amilon: Arc::new(amilon::sim::Sim::new()),
        }
    }

    fn expire_tokens(&self) {
        self.orange_travel.oauth.expire_all();
        self.amilon.oauth.expire_all();
    }
}

pub struct SimHost {
    addr: SocketAddr,
    pub state: SimState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl SimHost {
    /// Starts every simulator on 127.0.0.1 (`port` 0 picks a free one).
    pub async fn start(port: u16) -> Result<SimHost> {
        let state = SimState::new();
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
            Error::config("sim.port", format!("cannot listen on 127.0.0.1:{port}: {e}")).with("port", port)
        })?;
        let addr = listener.local_addr()?;
        let app = router(state.clone());
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
        Ok(SimHost {
            addr,
            state,
            shutdown: Some(tx),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn root(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn inject(&self, fault: Fault) {
        self.state.faults.add(fault);
    }

    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    /// Providers that have a simulator in this build.
    pub fn simulated() -> &'static [ProviderId] {
        &[ProviderId::OrangeTravel, ProviderId::Amilon]
    }

    /// The configuration a provider gets in training mode (None: no simulator yet).
    pub fn training_config(&self, provider: ProviderId) -> Option<ProviderConfig> {
        let root = self.root();
        let mut c = ProviderConfig::default();
        match provider {
            ProviderId::OrangeTravel => {
                c.insert("url", format!("{root}{}", orange_travel::sim::BASE_PATH));
                c.insert("token_url", format!("{root}{}", orange_travel::sim::TOKEN_PATH));
                c.insert("client_id", CLIENT_ID.to_string());
                c.insert_secret("client_secret", crate::secrets::Secret::new(CLIENT_SECRET));
            }
            ProviderId::Amilon => {
                c.insert("url", format!("{root}{}", amilon::sim::BASE_PATH));
                c.insert("token_url", format!("{root}{}", amilon::sim::TOKEN_PATH));
                c.insert("client_id", amilon::sim::CLIENT_ID.to_string());
                c.insert_secret("client_secret", crate::secrets::Secret::new(CLIENT_SECRET));
                c.insert("username", amilon::sim::USERNAME.to_string());
                c.insert_secret("password", crate::secrets::Secret::new(amilon::sim::PASSWORD));
                c.insert("contract_id", amilon::sim::CONTRACT_ID.to_string());
                c.insert("culture", "fr-FR".to_string());
            }
            _ => return None,
        }
        Some(c)
    }

    /// The `COMPTOIR_*` variables that point a client at these simulators,
    /// with the test credentials they accept.
    pub fn env(&self) -> BTreeMap<String, String> {
        let mut env = BTreeMap::new();
        for &provider in Self::simulated() {
            let config = self.training_config(provider).expect("simulated provider");
            for field in provider.fields() {
                let value = config.get(field.name).or(config.secret(field.name).map(|s| s.expose()));
                if let Some(v) = value {
                    env.insert(field.env.to_string(), v.to_string());
                }
            }
        }
        env
    }
}

impl Drop for SimHost {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

fn router(state: SimState) -> Router {
    let control = Router::new()
        .route("/_sim/faults", post(add_fault))
        .route("/_sim/faults", delete(clear_faults))
        .route("/_sim/calls", get(calls))
        .route("/_sim/expire-tokens", post(expire_tokens))
        .with_state(state.clone());
    let providers = Router::new()
        .merge(orange_travel::sim::router(state.orange_travel.clone()))
        .merge(amilon::sim::router(state.amilon.clone()))
        .layer(axum::middleware::from_fn_with_state(
            state.faults.clone(),
            faults::middleware,
        ));
    control.merge(providers)
}

async fn add_fault(State(s): State<SimState>, Json(fault): Json<Fault>) -> Json<serde_json::Value> {
    s.faults.add(fault);
    Json(serde_json::json!({"ok": true}))
}

async fn clear_faults(State(s): State<SimState>) -> Json<serde_json::Value> {
    s.faults.clear();
    Json(serde_json::json!({"ok": true}))
}

async fn calls(State(s): State<SimState>) -> Json<BTreeMap<String, u64>> {
    Json(s.faults.calls())
}

async fn expire_tokens(State(s): State<SimState>) -> Json<serde_json::Value> {
    s.expire_tokens();
    Json(serde_json::json!({"ok": true}))
}
