//! The app: what the window and the CLI call. It opens an installation
//! with the registry's providers and holds the bodies both shells share
//! (status, sync, reconciliation, printing, export and import), so a Tauri
//! command and its CLI command are one call each.

pub mod orders;
pub mod print;
pub mod reconcile;

use crate::catalog::OnStep;
use crate::catalog::{self, CatalogFilter, CatalogItem};
use crate::config::Mode;
pub use crate::context::{Comptoir, Options};
use crate::error::{Error, Result};
use crate::registry;
use crate::secrets::Backend;
use crate::types::{FieldRole, ProviderId};
use serde::Serialize;
use std::collections::BTreeMap;

/// How a provider is reached, for the status bar and `comptoir status`.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderStatus {
    pub provider: ProviderId,
    pub name: &'static str,
    /// `training`, `live`, or `error` (configuration problem).
    pub mode: &'static str,
    /// Whether this build has a simulator (training) for it.
    pub simulated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Error>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub version: &'static str,
    pub data_dir: String,
    pub secret_store: &'static str,
    pub training: bool,
    pub providers: Vec<ProviderStatus>,
    pub catalog_synced: Vec<SyncInfo>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SyncInfo {
    pub provider: ProviderId,
    pub synced_at: String,
    pub items: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Connectivity {
    pub online: bool,
    pub providers: Vec<ProviderReach>,
}

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct SyncReport {
    pub provider: ProviderId,
    pub items: usize,
    pub training: bool,
}

impl Comptoir {
    /// Opens one installation, with the registry's providers.
    pub async fn open(options: Options) -> Result<Self> {
        Comptoir::with_hooks(options, &registry::HOOKS).await
    }

    /// Stores credentials typed in the window: each field by its role in
    /// the provider's table (secrets to the keyring, the rest to settings).
    /// Unknown fields are refused; empty values change nothing.
    pub fn set_credentials(&self, provider: ProviderId, values: &BTreeMap<String, String>) -> Result<()> {
        for (name, value) in values {
            let field = self.field(provider, name).ok_or_else(|| {
                Error::invalid(
                    "settings.unknown_field",
                    format!("{} has no setting `{name}`", provider.display_name()),
                )
                .with("field", name.clone())
            })?;
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let key = provider.key(field);
            match field.role {
                FieldRole::Secret => self.secrets().set(&key, &crate::secrets::Secret::new(value))?,
                FieldRole::Url(_) if url::Url::parse(value).is_err() => {
                    return Err(Error::invalid("settings.bad_url", format!("`{value}` is not a URL"))
                        .with("field", name.clone()))
                }
                _ => self.set_setting(&key, Some(value.into()))?,
            }
        }
        Ok(())
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    async fn open(dir: &Path) -> Comptoir {
        let options = Options {
            data_dir: Some(dir.to_path_buf()),
            training: false,
            secret_store: Some(Backend::Kernel),
            share_training: false,
        };
        Comptoir::open(options).await.unwrap()
    }

    #[tokio::test]
    async fn credentials_from_the_window_go_where_their_role_says() {
        let dir = tempfile::tempdir().unwrap();
        let app = open(dir.path()).await;
        let values = [
            ("client_id", "shop-7"),
            ("client_secret", "s3cret from window"),
            ("url", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        app.set_credentials(ProviderId::OrangeTravel, &values).unwrap();
        assert!(matches!(app.mode(ProviderId::OrangeTravel).unwrap(), Mode::Live(_)));
        let settings = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
        assert!(settings.contains("shop-7"));
        assert!(!settings.contains("s3cret"), "secrets never in the settings file");
        assert!(
            !settings.contains("\"orange_travel.url\""),
            "empty values change nothing"
        );
        assert_eq!(
            app.secrets()
                .get("orange_travel.client_secret")
                .unwrap()
                .unwrap()
                .expose(),
            "s3cret from window"
        );

        let bad = [("nope".to_string(), "x".to_string())].into_iter().collect();
        assert_eq!(
            app.set_credentials(ProviderId::OrangeTravel, &bad).unwrap_err().code,
            "settings.unknown_field"
        );
        let bad_url = [("url".to_string(), "not a url".to_string())].into_iter().collect();
        assert_eq!(
            app.set_credentials(ProviderId::OrangeTravel, &bad_url)
                .unwrap_err()
                .code,
            "settings.bad_url"
        );
        app.secrets().delete("orange_travel.client_secret").unwrap();
    }
}
