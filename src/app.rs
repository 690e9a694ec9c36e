//! `Comptoir`: one opened installation — its data folder, journal, settings,
//! secrets, token manager, and the simulators when a provider is in
//! training. The window and the CLI each hold one and call its methods;
//! neither has logic of its own.

use crate::auth::TokenManager;
use crate::catalog::{self, CatalogFilter, CatalogItem};
use crate::error::{Error, Result};
use crate::journal::Journal;
use crate::paths;
use crate::providers::{self, amilon, orange_travel, ConfigSources, Mode, ProviderConfig, ProviderId};
use crate::secrets::{Backend, SecretStore};
use crate::settings::Settings;
use crate::sim::SimHost;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--data-dir`; else `COMPTOIR_DATA_DIR`; else the platform's folder.
    pub data_dir: Option<PathBuf>,
    /// `--training`: every provider against the simulators.
    pub training: bool,
    /// Where secrets go; `None` reads `COMPTOIR_SECRET_STORE`.
    pub secret_store: Option<Backend>,
}

pub struct Comptoir {
    data_dir: PathBuf,
    pub journal: Journal,
    secrets: SecretStore,
    tokens: Arc<TokenManager>,
    http: reqwest::Client,
    force_training: bool,
    sim: tokio::sync::OnceCell<SimHost>,
}

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
    pub async fn open(options: Options) -> Result<Self> {
        let data_dir = paths::data_dir(options.data_dir.as_deref());
        std::fs::create_dir_all(&data_dir)?;
        let backend = match options.secret_store {
            Some(b) => b,
            None => Backend::from_env()?,
        };
        let secrets = SecretStore::new(backend, &data_dir);
        let http = crate::http::client();
        Ok(Comptoir {
            journal: Journal::open(&paths::journal_path(&data_dir)).await?,
            tokens: Arc::new(TokenManager::new(http.clone(), secrets.clone())),
            secrets,
            http,
            force_training: options.training,
            sim: tokio::sync::OnceCell::new(),
            data_dir,
        })
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn secrets(&self) -> &SecretStore {
        &self.secrets
    }

    /// Settings, read from disk each time, so a change made by the CLI while
    /// the window is open is seen (the file is small).
    pub fn settings(&self) -> Result<Settings> {
        Settings::load(&paths::settings_path(&self.data_dir))
    }

    /// Changes one setting, refusing a value the app could not use.
    pub fn set_setting(&self, key: &str, value: Option<serde_json::Value>) -> Result<()> {
        if let Some(v) = value.as_ref().and_then(|v| v.as_str()) {
            crate::settings::check(key, v)?;
        }
        self.settings()?.set(key, value)
    }

    /// Stores credentials typed in the window: each field by its role in
    /// the provider's table (secrets to the keyring, the rest to settings).
    /// Unknown fields are refused; empty values change nothing.
    pub fn set_credentials(
        &self,
        provider: ProviderId,
        values: &std::collections::BTreeMap<String, String>,
    ) -> Result<()> {
        for (name, value) in values {
            let field = provider.field(name).ok_or_else(|| {
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
                providers::FieldRole::Secret => self.secrets.set(&key, &crate::secrets::Secret::new(value))?,
                providers::FieldRole::Url(_) if url::Url::parse(value).is_err() => {
                    return Err(Error::invalid("settings.bad_url", format!("`{value}` is not a URL"))
                        .with("field", name.clone()))
                }
                _ => self.set_setting(&key, Some(value.into()))?,
            }
        }
        Ok(())
    }

    /// Training or live for one provider (an error when half-configured).
    pub fn mode(&self, provider: ProviderId) -> Result<Mode> {
        if self.force_training {
            return Ok(Mode::Training);
        }
        let settings = self.settings()?;
        let env = |name: &str| std::env::var(name).ok();
        providers::resolve(
            provider,
            &ConfigSources {
                env: &env,
                settings: &settings,
                secrets: &self.secrets,
            },
        )
    }

    /// A provider option in force (environment, settings, default), in
    /// training as live, without reaching the provider.
    pub fn option(&self, provider: ProviderId, name: &str) -> Result<String> {
        let field = provider
            .field(name)
            .ok_or_else(|| Error::internal("provider.no_such_option", format!("no option {name}")))?;
        let env = |name: &str| std::env::var(name).ok();
        Ok(providers::clear_value(provider, field, &env, &self.settings()?).unwrap_or_default())
    }

    /// The configuration to reach a provider with, starting the simulators
    /// on first need. Returns whether it is training.
    pub async fn provider_config(&self, provider: ProviderId) -> Result<(ProviderConfig, bool)> {
        match self.mode(provider)? {
            Mode::Live(config) => Ok((config, false)),
            Mode::Training => {
                let sim = self.sim().await?;
                let mut config = sim.training_config(provider).ok_or_else(|| {
                    Error::config(
                        "provider.no_simulator",
                        format!("{} has no credentials and no simulator yet", provider.display_name()),
                    )
                    .with("provider", provider.as_str())
                })?;
                // The shop's options (Amilon's culture) hold in training too.
                for field in provider.fields() {
                    if let providers::FieldRole::Option(_) = field.role {
                        config.insert(field.name, self.option(provider, field.name)?);
                    }
                }
                Ok((config, true))
            }
        }
    }

    /// The in-process simulators (started once).
    pub async fn sim(&self) -> Result<&SimHost> {
        self.sim.get_or_try_init(|| async { self.start_sim().await }).await
    }

    /// A fresh simulator knows nothing of this shop; give it back what the
    /// shop did in training before (its uploaded key), as Orange would keep it.
    async fn start_sim(&self) -> Result<SimHost> {
        let sim = SimHost::start(0).await?;
        let uploaded = self.settings()?.all().get(orange_travel::keys::TRAINING_KEY_UPLOADED) == Some(&true.into());
        if uploaded {
            if let Some(key) = orange_travel::keys::load(self)? {
                sim.state.orange_travel.set_key(&crate::crypto::public_pem(&key)?);
            }
        }
        // Gift cards Amilon accepted in training and whose vouchers have not
        // come yet (a CLI `--no-wait`, a closed window): Amilon would still
        // have them, so a fresh simulator is given them back.
        for order in self.journal.unsettled().await? {
            let accepted =
                order.provider == ProviderId::Amilon && order.status == crate::journal::OrderStatus::Processing;
            if let (true, true, Some(product)) = (accepted, order.training, order.product_id.as_deref()) {
                sim.state.amilon.restore_order(&order.id, product, order.quantity);
            }
        }
        Ok(sim)
    }

    pub async fn orange_travel(&self) -> Result<(orange_travel::Client, bool)> {
        let (config, training) = self.provider_config(ProviderId::OrangeTravel).await?;
        Ok((
            orange_travel::Client::new(&config, training, self.tokens.clone(), self.http.clone())?,
            training,
        ))
    }

    pub async fn amilon(&self) -> Result<(amilon::Client, bool)> {
        let (config, training) = self.provider_config(ProviderId::Amilon).await?;
        Ok((
            amilon::Client::new(&config, training, self.tokens.clone(), self.http.clone())?,
            training,
        ))
    }

    /// The process's HTTP client (connection reuse).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
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
                    simulated: SimHost::simulated().contains(&p),
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
            data_dir: self.data_dir.display().to_string(),
            secret_store: match self.secrets.backend() {
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
    pub async fn sync_with_progress(
        &self,
        only: Option<ProviderId>,
        on_step: amilon::OnStep<'_>,
    ) -> Result<Vec<SyncReport>> {
        if let Some(p) = only.filter(|p| !matches!(p, ProviderId::OrangeTravel | ProviderId::Amilon)) {
            return Err(Error::invalid(
                "sync.no_catalog",
                format!("{} has no catalog to sync", p.display_name()),
            )
            .with("provider", p.as_str()));
        }
        let mut reports = Vec::new();
        if only.is_none_or(|p| p == ProviderId::OrangeTravel) {
            on_step("offers");
            let (client, training) = self.orange_travel().await?;
            let (offers, suppliers) = tokio::try_join!(client.offers(), client.suppliers())?;
            let items = orange_travel::catalog_items(&offers, &suppliers);
            catalog::replace(&self.journal, ProviderId::OrangeTravel, &items).await?;
            tracing::info!(items = items.len(), training, "Orange Travel catalog synced");
            reports.push(SyncReport {
                provider: ProviderId::OrangeTravel,
                items: items.len(),
                training,
            });
        }
        if only.is_none_or(|p| p == ProviderId::Amilon) {
            let (items, training) = amilon::sync(self, on_step).await?;
            reports.push(SyncReport {
                provider: ProviderId::Amilon,
                items,
                training,
            });
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
                Ok(Mode::Live(c)) => c.get(p.fields()[0].name).map(str::to_string),
                Ok(Mode::Training) if SimHost::simulated().contains(&p) => Some(self.sim().await?.root()),
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

    async fn open(dir: &Path) -> Comptoir {
        let options = Options {
            data_dir: Some(dir.to_path_buf()),
            training: false,
            secret_store: Some(Backend::Kernel),
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
