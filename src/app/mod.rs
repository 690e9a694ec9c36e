//! The app: what the window and the CLI call. It opens an installation
//! with the registry's providers and holds the bodies both shells share
//! (status, sync, reconciliation, printing, export and import), so a Tauri
//! command and its CLI command are one call each.

pub mod cashiers;
pub mod correction;
pub mod credentials;
pub mod orders;
pub mod pay;
pub mod print;
pub mod receipt;
pub mod reconcile;
pub mod share;
pub mod till;

use crate::catalog::OnStep;
use crate::catalog::{self, CatalogFilter, CatalogItem};
use crate::config::Mode;
pub use crate::context::{Comptoir, Options};
use crate::error::{Error, Result};
use crate::registry;
use crate::secrets::Backend;
use crate::types::ProviderId;
use serde::Serialize;

/// The window's own preferences, kept by the window's store.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Preferences {
    /// `fr`, `en`, or null for the system's language.
    #[ts(type = "\"fr\" | \"en\" | null")]
    pub locale: Option<String>,
    /// The system's language as the core reads it (`LC_ALL`, `LC_MESSAGES`,
    /// `LANG`), the one the command line speaks too; null when it is
    /// neither French nor English.
    #[ts(type = "\"fr\" | \"en\" | null")]
    pub system: Option<String>,
}

/// How a provider is reached, for the status bar and `comptoir status`.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct ProviderStatus {
    pub provider: ProviderId,
    pub name: &'static str,
    /// `training`, `live`, or `error` (configuration problem).
    pub mode: &'static str,
    /// Whether this build has a simulator (training) for it.
    pub simulated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<Error>,
}

#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Status {
    pub version: &'static str,
    pub data_dir: String,
    pub secret_store: &'static str,
    pub training: bool,
    pub providers: Vec<ProviderStatus>,
    pub catalog_synced: Vec<SyncInfo>,
}

#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct SyncInfo {
    pub provider: ProviderId,
    pub synced_at: String,
    #[ts(type = "number")]
    pub items: i64,
}

#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Connectivity {
    pub online: bool,
    pub providers: Vec<ProviderReach>,
}

#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct ProviderReach {
    pub provider: ProviderId,
    pub reachable: bool,
}

async fn reachable(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else { return false };
    let (Some(host), Some(port)) = (u.host_str(), u.port_or_known_default()) else {
        return false;
    };
    let connect = tokio::net::TcpStream::connect((host.to_string(), port));
    matches!(
        tokio::time::timeout(std::time::Duration::from_secs(3), connect).await,
        Ok(Ok(_))
    )
}

#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct SyncReport {
    pub provider: ProviderId,
    pub items: usize,
    pub training: bool,
}

impl Comptoir {
    /// Opens one installation, with the registry's providers.
    pub async fn open(options: Options) -> Result<Self> {
        let app = Comptoir::with_hooks(options, &registry::HOOKS).await?;
        // The register's records name this counter and are signed with
        // the installation's key (read from the keyring at the first).
        app.journal
            .set_counter(&crate::till::counter(&app).unwrap_or_else(|_| crate::till::DEFAULT_COUNTER.into()));
        crate::register::arm(&app);
        crate::register::record_version(&app).await;
        share::arm(&app).await?;
        Ok(app)
    }

    pub async fn status(&self) -> Result<Status> {
        let providers = ProviderId::ALL
            .into_iter()
            .map(|p| {
                let (mode, error) = match self.mode(p) {
                    Ok(Mode::Training) => ("training", None),
                    Ok(Mode::Live(_)) => ("live", None),
                    Err(e) => ("error", Some(e)),
                };
                ProviderStatus {
                    provider: p,
                    name: p.display_name(),
                    mode,
                    simulated: registry::simulated(p),
                    error,
                }
            })
            .collect::<Vec<_>>();
        let synced = catalog::last_syncs(&self.journal)
            .await?
            .into_iter()
            .map(|(provider, synced_at, items)| SyncInfo {
                provider,
                synced_at,
                items,
            })
            .collect();
        Ok(Status {
            version: env!("CARGO_PKG_VERSION"),
            data_dir: self.data_dir().display().to_string(),
            secret_store: match self.secrets().backend() {
                Backend::Os => "os",
                Backend::Kernel => "kernel",
            },
            training: providers.iter().any(|p| p.mode == "training" && p.simulated),
            providers,
            catalog_synced: synced,
        })
    }

    /// Refreshes the catalog cache of the providers that sell from a catalog.
    pub async fn sync(&self, only: Option<ProviderId>) -> Result<Vec<SyncReport>> {
        self.sync_with_progress(only, &|_| {}).await
    }

    /// `sync`, telling `on_step` what it is doing (`offers`, `products`, ...).
    pub async fn sync_with_progress(&self, only: Option<ProviderId>, on_step: OnStep<'_>) -> Result<Vec<SyncReport>> {
        if let Some(p) = only.filter(|p| !registry::has_catalog(*p)) {
            return Err(Error::invalid(
                "sync.no_catalog",
                format!("{} has no catalog to sync", p.display_name()),
            )
            .with("provider", p.as_str()));
        }
        let mut reports = Vec::new();
        for provider in ProviderId::ALL.into_iter().filter(|p| registry::has_catalog(*p)) {
            if only.is_none_or(|p| p == provider) {
                let (items, training) = registry::sync(self, provider, on_step).await?;
                reports.push(SyncReport {
                    provider,
                    items,
                    training,
                });
            }
        }
        Ok(reports)
    }

    /// Whether each provider in use can be reached: a TCP connection to its
    /// API host (the simulators, in training), a few seconds at most. Feeds
    /// the offline indicator; nothing is sent.
    pub async fn connectivity(&self) -> Result<Connectivity> {
        let mut providers = Vec::new();
        for p in ProviderId::ALL {
            let url = match self.mode(p) {
                Ok(Mode::Live(c)) => c.get(self.fields(p)[0].name).map(str::to_string),
                Ok(Mode::Training) if registry::simulated(p) => Some(self.training().await?.root.clone()),
                _ => None,
            };
            if let Some(url) = url {
                providers.push(ProviderReach {
                    provider: p,
                    reachable: reachable(&url).await,
                });
            }
        }
        Ok(Connectivity {
            online: providers.iter().all(|p| p.reachable),
            providers,
        })
    }

    pub async fn catalog(&self, filter: &CatalogFilter) -> Result<Vec<CatalogItem>> {
        catalog::list(&self.journal, filter).await
    }

    /// What the counter's supplier and category filters offer.
    pub async fn catalog_facets(&self) -> Result<catalog::Facets> {
        catalog::facets(&self.journal).await
    }
}
