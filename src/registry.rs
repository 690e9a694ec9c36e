//! The one place that chooses per provider. Everything that differs between
//! Orange Travel, Amilon, Internet+ Box and Anomalie Adresse is an arm of a
//! `match` in this file: configuration fields, the simulators and their
//! training configuration, catalog sync, reconciliation of one order,
//! restoring training state, the ticket's sections. The rest of the code
//! asks here and never names a provider to decide what to do.
//!
//! Adding a provider: its wire folder under `src/providers/<name>/` (model,
//! client, simulator, `FIELDS`), its domain module under `src/<domain>/`,
//! and its arms below (ARCHITECTURE.md, "Adding a provider").

use crate::config::ProviderConfig;
use crate::context::{Comptoir, Hooks, Training};
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{Order, OrderStatus};
use crate::providers::{amilon, anomalie_adresse, internet_plus, orange_travel};
use crate::receipt::{Ticket, Words};
use crate::sim::{self, Fault, Faults};
use crate::types::{Field, ProviderId};
use crate::{esim, giftcard};
use axum::Router;
use futures_util::future::BoxFuture;
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::Arc;

/// What the context is told about providers (see `context::Hooks`).
pub static HOOKS: Hooks = Hooks { fields, start_training };

/// A provider's configuration fields, in the order of the CLI contract.
pub fn fields(provider: ProviderId) -> &'static [Field] {
    match provider {
        ProviderId::OrangeTravel => orange_travel::FIELDS,
        ProviderId::Amilon => amilon::FIELDS,
        ProviderId::InternetPlus => internet_plus::FIELDS,
        ProviderId::AnomalieAdresse => anomalie_adresse::FIELDS,
    }
}

/// Whether this build has a simulator (training mode) for the provider.
pub fn simulated(provider: ProviderId) -> bool {
    match provider {
        ProviderId::OrangeTravel | ProviderId::Amilon => true,
        ProviderId::InternetPlus | ProviderId::AnomalieAdresse => false,
    }
}

/// Whether the provider sells from a catalog that `comptoir sync` caches.
pub fn has_catalog(provider: ProviderId) -> bool {
    match provider {
        ProviderId::OrangeTravel | ProviderId::Amilon => true,
        ProviderId::InternetPlus | ProviderId::AnomalieAdresse => false,
    }
}

/// Refreshes one provider's cached catalog: (items, training).
pub async fn sync(app: &Comptoir, provider: ProviderId, on_step: crate::catalog::OnStep<'_>) -> Result<(usize, bool)> {
    match provider {
        ProviderId::OrangeTravel => esim::sync(app, on_step).await,
        ProviderId::Amilon => giftcard::assortment::sync(app, on_step).await,
        ProviderId::InternetPlus | ProviderId::AnomalieAdresse => Err(Error::invalid(
            "sync.no_catalog",
            format!("{} has no catalog to sync", provider.display_name()),
        )
        .with("provider", provider.as_str())),
    }
}

/// What one order adds to the customer's ticket.
pub async fn add_receipt_sections(app: &Comptoir, order: &Order, t: &mut Ticket, w: &Words) -> Result<()> {
    match order.provider {
        ProviderId::OrangeTravel => esim::receipt::add_sections(app, order, t, w).await,
        ProviderId::Amilon => giftcard::receipt::add_sections(app, order, t, w).await,
        ProviderId::InternetPlus | ProviderId::AnomalieAdresse => Ok(()),
    }
}

// ------------------------------------------------------------ reconciliation

/// The clients one reconciliation run asks with, made on the first order
/// that needs each (with whether they are training).
#[derive(Default)]
pub struct Askers {
    orange_travel: Option<(orange_travel::Client, bool)>,
    amilon: Option<(amilon::Client, bool)>,
}

/// Asks the order's provider and records the answer; `None` when this run
/// cannot judge the order (a provider without reconciliation yet, or the
/// other mode: a live order is never judged by the simulator).
pub async fn reconcile_one(app: &Comptoir, askers: &mut Askers, order: &Order) -> Result<Option<Order>> {
    match order.provider {
        ProviderId::OrangeTravel => {
            let (client, training) = made(&mut askers.orange_travel, esim::client(app)).await?;
            if order.training != *training {
                return Ok(None);
            }
            esim::reconcile_one(app, client, order).await.map(Some)
        }
        ProviderId::Amilon => {
            let (client, training) = made(&mut askers.amilon, giftcard::client(app)).await?;
            if order.training != *training {
                return Ok(None);
            }
            giftcard::reconcile_one(app, client, order).await.map(Some)
        }
        ProviderId::InternetPlus | ProviderId::AnomalieAdresse => Ok(None),
    }
}

/// The client in `slot`, made by `make` the first time.
async fn made<T>(
    slot: &mut Option<(T, bool)>,
    make: impl std::future::Future<Output = Result<(T, bool)>>,
) -> Result<&(T, bool)> {
    if slot.is_none() {
        *slot = Some(make.await?);
    }
    Ok(slot.as_ref().expect("just made"))
}

// ---------------------------------------------------------------- simulators

/// Every provider's simulator, and the faults they share.
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

    fn router(&self) -> Router {
        Router::new()
            .merge(orange_travel::sim::router(self.orange_travel.clone()))
            .merge(amilon::sim::router(self.amilon.clone()))
    }
}

/// The simulators of every simulated provider on one local port.
pub struct SimHost {
    server: sim::Server,
    pub state: SimState,
}

impl SimHost {
    /// Starts every simulator on 127.0.0.1 (`port` 0 picks a free one).
    pub async fn start(port: u16) -> Result<SimHost> {
        let state = SimState::new();
        let expiring = state.clone();
        let control = sim::Control {
            faults: state.faults.clone(),
            expire_tokens: Arc::new(move || expiring.expire_tokens()),
        };
        let server = sim::Server::start(port, state.router(), control).await?;
        Ok(SimHost { server, state })
    }

    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    pub fn root(&self) -> String {
        self.server.root()
    }

    pub fn inject(&self, fault: Fault) {
        self.state.faults.add(fault);
    }

    pub fn faults(&self) -> &Faults {
        &self.state.faults
    }

    /// The configuration a provider gets in training mode (None: no simulator yet).
    pub fn training_config(&self, provider: ProviderId) -> Option<ProviderConfig> {
        let root = self.root();
        match provider {
            ProviderId::OrangeTravel => Some(orange_travel::sim::training_config(&root)),
            ProviderId::Amilon => Some(amilon::sim::training_config(&root)),
            ProviderId::InternetPlus | ProviderId::AnomalieAdresse => None,
        }
    }

    /// The `COMPTOIR_*` variables that point a client at these simulators,
    /// with the test credentials they accept.
    pub fn env(&self) -> BTreeMap<String, String> {
        let mut env = BTreeMap::new();
        for provider in ProviderId::ALL {
            let Some(config) = self.training_config(provider) else {
                continue;
            };
            for field in fields(provider) {
                let value = config.get(field.name).or(config.secret(field.name).map(|s| s.expose()));
                if let Some(v) = value {
                    env.insert(field.env.to_string(), v.to_string());
                }
            }
        }
        env
    }
}

/// Starts the simulators for an installation in training, and gives them
/// back what the shop did in training before, as the providers would keep it.
fn start_training(app: &Comptoir) -> BoxFuture<'_, Result<Training>> {
    Box::pin(async move {
        let host = SimHost::start(0).await?;
        restore_training(app, &host).await?;
        let configs = ProviderId::ALL
            .into_iter()
            .filter_map(|p| host.training_config(p).map(|c| (p, c)))
            .collect();
        Ok(Training {
            root: host.root(),
            configs,
            host: Box::new(host),
        })
    })
}

/// A fresh simulator knows nothing of this shop: Orange is given back the
/// key the shop uploaded, Amilon the gift cards it accepted and had not yet
/// delivered (a CLI `--no-wait`, a closed window).
async fn restore_training(app: &Comptoir, host: &SimHost) -> Result<()> {
    let uploaded = app.settings()?.all().get(esim::keys::TRAINING_KEY_UPLOADED) == Some(&true.into());
    if uploaded {
        if let Some(key) = esim::keys::load(app)? {
            host.state.orange_travel.set_key(&crate::crypto::public_pem(&key)?);
        }
    }
    for order in app.journal.unsettled().await? {
        let accepted = order.provider == ProviderId::Amilon && order.status == OrderStatus::Processing;
        if let (true, true, Some(product)) = (accepted, order.training, order.product_id.as_deref()) {
            host.state.amilon.restore_order(&order.id, product, order.quantity);
        }
    }
    Ok(())
}

/// Providers found down in one run are not asked again in it.
pub type Down = HashMap<ProviderId, Error>;

/// Whether an error says the provider cannot be reached at all (rather than
/// something about one order).
pub fn is_down(e: &Error) -> bool {
    matches!(e.kind, ErrorKind::Unavailable | ErrorKind::Config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_documents_every_variable() {
        let readme = include_str!("../README.md");
        for p in ProviderId::ALL {
            for field in fields(p) {
                let row = format!("| `{}` | `{}` |", field.env, p.key(field));
                assert!(readme.contains(&row), "README lacks {row}");
            }
        }
    }

    #[test]
    fn every_env_variable_is_unique_and_prefixed() {
        let mut seen = std::collections::HashSet::new();
        for p in ProviderId::ALL {
            for field in fields(p) {
                assert!(field.env.starts_with("COMPTOIR_"));
                assert!(seen.insert(field.env), "{} twice", field.env);
            }
        }
    }

    #[tokio::test]
    async fn every_simulated_provider_has_a_training_configuration() {
        let host = SimHost::start(0).await.unwrap();
        for p in ProviderId::ALL {
            assert_eq!(host.training_config(p).is_some(), simulated(p), "{p}");
        }
    }
}
