//! The one place that chooses per provider. Everything that differs between
//! Orange Travel, Amilon, Internet+ Box and Anomalie Adresse is an arm of a
//! `match` in this file: configuration fields, the simulators, their
//! training configuration and their side of the training world, catalog
//! sync, reconciliation of one order, the ticket's sections, the token
//! endpoint Settings tests. The rest of the code
//! asks here and never names a provider to decide what to do.
//!
//! Adding a provider: its wire folder under `src/providers/<name>/` (model,
//! client, simulator, `FIELDS`), its domain module under `src/<domain>/`,
//! and its arms below (ARCHITECTURE.md, "Adding a provider").

use crate::auth::TokenSource;
use crate::config::ProviderConfig;
use crate::context::{Comptoir, Hooks, Training};
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{BasketLine, NewLine, Order};
use crate::providers::{amilon, anomalie_adresse, internet_plus, orange_travel};
use crate::receipt::{Ticket, Words};
use crate::sale::PaidBy;
use crate::sim::{self, world, Fault, Faults};
use crate::till::LineRequest;
use crate::types::OrderKind;
use crate::types::{Field, ProviderId};
use crate::{esim, giftcard, payments};
use axum::Router;
use futures_util::future::BoxFuture;
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

/// What the context is told about providers (see `context::Hooks`).
pub static HOOKS: Hooks = Hooks {
    fields,
    managed: MANAGED,
    start_training,
};

/// Settings a command keeps, as JSON the command writes (never `config set`).
const MANAGED: &[(&str, &str)] = &[
    (payments::offers::OFFERS, "comptoir pay offer"),
    (amilon::HIDDEN_RETAILERS, "comptoir giftcards hide|show"),
    (amilon::FACE_VALUES, "comptoir giftcards face-values"),
];

/// A provider's configuration fields, in the order of the CLI contract.
pub fn fields(provider: ProviderId) -> &'static [Field] {
    match provider {
        ProviderId::OrangeTravel => orange_travel::FIELDS,
        ProviderId::Amilon => amilon::FIELDS,
        ProviderId::InternetPlus => internet_plus::FIELDS,
        ProviderId::AnomalieAdresse => anomalie_adresse::FIELDS,
    }
}

/// Delivers what an Internet+ offer sells, through that provider's own
/// sale flow, the new order naming the payment (`paid_by`). A gift card is
/// awaited until its vouchers come (or the wait ends, `processing`).
pub async fn deliver(
    app: &Comptoir,
    sells: &payments::offers::Sells,
    customer: Option<String>,
    paid_by: &str,
) -> Result<Order> {
    match sells.provider {
        ProviderId::OrangeTravel => {
            esim::sale::sell_esim_paid_by(app, &sells.product, customer, &PaidBy::payment(paid_by)).await
        }
        ProviderId::Amilon => {
            let order =
                giftcard::sell_giftcard_paid_by(app, &sells.product, 1, customer, &PaidBy::payment(paid_by)).await?;
            if order.status.is_unsettled() {
                let stop = std::sync::atomic::AtomicBool::new(false);
                return giftcard::wait(app, &order.id, &|_| {}, &stop).await;
            }
            Ok(order)
        }
        ProviderId::InternetPlus | ProviderId::AnomalieAdresse => Err(Error::invalid(
            "internet_plus.bad_sells",
            format!(
                "{} sells nothing an Internet+ offer can deliver",
                sells.provider.display_name()
            ),
        )),
    }
}

/// A basket line checked by the provider's domain as its sale would be.
pub async fn basket_line(app: &Comptoir, request: &LineRequest) -> Result<NewLine> {
    match request {
        LineRequest::Esim { offer } => esim::sale::basket_esim(app, offer).await,
        LineRequest::Topup { offer, msisdn, sim_id } => {
            esim::sale::basket_topup(app, offer, topup_target(msisdn, sim_id)?).await
        }
        LineRequest::Giftcard { product, quantity } => giftcard::basket_line(app, product, *quantity).await,
    }
}

fn topup_target(msisdn: &Option<String>, sim_id: &Option<String>) -> Result<esim::TopupTarget> {
    match (msisdn, sim_id) {
        (Some(m), _) => Ok(esim::TopupTarget::Msisdn(m.clone())),
        (_, Some(s)) => Ok(esim::TopupTarget::SimId(s.clone())),
        _ => Err(Error::invalid(
            "sale.needs_msisdn",
            "a top-up needs the phone number or the SIM id it tops up",
        )),
    }
}

/// Buys one line of a paid receipt through its provider's sale flow (the
/// order written first, sent once); a gift card is awaited until its
/// vouchers come (`wait`), like a delivery.
pub async fn buy(
    app: &Comptoir,
    line: &BasketLine,
    customer: Option<String>,
    paid: &PaidBy,
    wait: bool,
) -> Result<Order> {
    match line.kind {
        OrderKind::Esim => esim::sale::sell_esim_paid_by(app, &line.product, customer, paid).await,
        OrderKind::Topup => {
            let target = topup_target(&line.msisdn, &line.sim_id)?;
            esim::sale::sell_topup_paid_by(app, &line.product, target, customer, paid).await
        }
        OrderKind::Giftcard => {
            let order = giftcard::sell_giftcard_paid_by(app, &line.product, line.quantity, customer, paid).await?;
            if wait && order.status.is_unsettled() {
                let stop = std::sync::atomic::AtomicBool::new(false);
                return giftcard::wait(app, &order.id, &|_| {}, &stop).await;
            }
            Ok(order)
        }
        other => Err(Error::invalid(
            "till.not_sellable",
            format!("a basket does not sell {}", other.as_str()),
        )),
    }
}

/// Where and how the provider gives a token: what Settings' "Test the
/// connection" asks.
pub fn token_source(provider: ProviderId, config: &ProviderConfig, training: bool) -> Result<TokenSource> {
    match provider {
        ProviderId::OrangeTravel => orange_travel::client::token_source(config, training),
        ProviderId::Amilon => amilon::client::token_source(config, training),
        ProviderId::InternetPlus => internet_plus::token_source(config),
        ProviderId::AnomalieAdresse => anomalie_adresse::token_source(config),
    }
}

/// Whether this build has a simulator (training mode) for the provider.
pub fn simulated(provider: ProviderId) -> bool {
    match provider {
        ProviderId::OrangeTravel | ProviderId::Amilon | ProviderId::InternetPlus | ProviderId::AnomalieAdresse => true,
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
        ProviderId::InternetPlus => payments::receipt::add_sections(app, order, t, w).await,
        ProviderId::AnomalieAdresse => Ok(()),
    }
}

// ------------------------------------------------------------ reconciliation

/// The clients one reconciliation run asks with, made on the first order
/// that needs each (with whether they are training).
#[derive(Default)]
pub struct Askers {
    orange_travel: Option<(orange_travel::Client, bool)>,
    amilon: Option<(amilon::Client, bool)>,
    internet_plus: Option<((), bool)>,
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
        ProviderId::InternetPlus => {
            let mode = async { payments::client(app).await.map(|(_, training)| ((), training)) };
            let (_, training) = made(&mut askers.internet_plus, mode).await?;
            if order.training != *training {
                return Ok(None);
            }
            payments::reconcile_one(app, order).await.map(Some)
        }
        ProviderId::AnomalieAdresse => Ok(None),
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
    pub internet_plus: Arc<internet_plus::sim::Sim>,
    pub anomalie_adresse: Arc<anomalie_adresse::sim::Sim>,
}

impl SimState {
    fn new() -> Self {
        SimState {
            faults: Faults::default(),
            orange_travel: Arc::new(orange_travel::sim::Sim::new()),
            amilon: Arc::new(amilon::sim::Sim::new()),
            internet_plus: Arc::new(internet_plus::sim::Sim::new()),
            anomalie_adresse: Arc::new(anomalie_adresse::sim::Sim::new()),
        }
    }

    fn expire_tokens(&self) {
        self.orange_travel.oauth.expire_all();
        self.amilon.oauth.expire_all();
        self.internet_plus.oauth.expire_all();
        self.anomalie_adresse.oauth.expire_all();
    }

    fn router(&self) -> Router {
        Router::new()
            .merge(orange_travel::sim::router(self.orange_travel.clone()))
            .merge(amilon::sim::router(self.amilon.clone()))
            .merge(internet_plus::sim::router(self.internet_plus.clone()))
            .merge(anomalie_adresse::sim::router(self.anomalie_adresse.clone()))
    }

    /// Each provider's side of the world, by provider.
    fn snapshot(&self) -> Vec<(ProviderId, serde_json::Value)> {
        vec![
            (ProviderId::OrangeTravel, self.orange_travel.snapshot()),
            (ProviderId::Amilon, self.amilon.snapshot()),
            (ProviderId::InternetPlus, self.internet_plus.snapshot()),
            (ProviderId::AnomalieAdresse, self.anomalie_adresse.snapshot()),
        ]
    }

    fn restore(&self, provider: ProviderId, world: serde_json::Value) {
        match provider {
            ProviderId::OrangeTravel => self.orange_travel.restore(world),
            ProviderId::Amilon => self.amilon.restore(world),
            ProviderId::InternetPlus => self.internet_plus.restore(world),
            ProviderId::AnomalieAdresse => self.anomalie_adresse.restore(world),
        }
    }
}

/// The simulators of every simulated provider on one local port.
pub struct SimHost {
    server: sim::Server,
    pub state: SimState,
}

impl SimHost {
    /// Starts every simulator on 127.0.0.1 (`port` 0 picks a free one),
    /// each in a fresh world (the tests' simulators).
    pub async fn start(port: u16) -> Result<SimHost> {
        Self::serve(port, SimState::new(), None).await
    }

    /// Starts every simulator in the training world kept in `dir`
    /// (`sim::world`): what the providers knew when the last process
    /// serving it stopped, kept again after every request.
    pub async fn start_world(port: u16, dir: &Path) -> Result<SimHost> {
        let state = SimState::new();
        for (provider, world) in world::load(dir) {
            state.restore(provider, world);
        }
        let snapshotting = state.clone();
        let keeper = world::Keeper {
            snapshot: Arc::new(move || snapshotting.snapshot()),
            dir: dir.to_path_buf(),
            lock: Arc::default(),
        };
        Self::serve(port, state, Some(keeper)).await
    }

    async fn serve(port: u16, state: SimState, keeper: Option<world::Keeper>) -> Result<SimHost> {
        let expiring = state.clone();
        let control = sim::Control {
            faults: state.faults.clone(),
            expire_tokens: Arc::new(move || expiring.expire_tokens()),
        };
        let mut providers = state.router();
        if let Some(keeper) = keeper {
            providers = providers.layer(axum::middleware::from_fn_with_state(keeper, world::save_after));
        }
        let server = sim::Server::start(port, providers, control).await?;
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
        training_config(provider, &self.root())
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

/// The simulators for an installation in training: those another of its
/// processes serves (the window, `comptoir sim`), else its own, in the
/// world kept in its data folder. A process that shares (the window)
/// registers its own for the others.
fn start_training(app: &Comptoir) -> BoxFuture<'_, Result<Training>> {
    Box::pin(async move {
        let dir = world::dir(app.data_dir());
        // A process that will register decides under the host lock (two
        // windows, or a window and `comptoir sim`, started together).
        let _lock = if app.shares_training() {
            world::lock_host(&dir).ok()
        } else {
            None
        };
        if let Some(addr) = world::shared(&dir).await {
            tracing::info!(%addr, "training: the simulators this installation already serves");
            return Ok(training(format!("http://{addr}"), Box::new(())));
        }
        let host = SimHost::start_world(0, &dir).await?;
        if app.shares_training() {
            world::register(&dir, host.addr());
        }
        Ok(training(host.root(), Box::new(host)))
    })
}

fn training(root: String, host: Box<dyn std::any::Any + Send + Sync>) -> Training {
    let configs = ProviderId::ALL
        .into_iter()
        .filter_map(|p| training_config(p, &root).map(|c| (p, c)))
        .collect();
    Training { root, configs, host }
}

/// The configuration a provider gets in training from simulators at `root`
/// (None: no simulator yet).
pub fn training_config(provider: ProviderId, root: &str) -> Option<ProviderConfig> {
    match provider {
        ProviderId::OrangeTravel => Some(orange_travel::sim::training_config(root)),
        ProviderId::Amilon => Some(amilon::sim::training_config(root)),
        ProviderId::InternetPlus => Some(internet_plus::sim::training_config(root)),
        ProviderId::AnomalieAdresse => Some(anomalie_adresse::sim::training_config(root)),
    }
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
