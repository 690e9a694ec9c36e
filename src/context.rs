//! `Comptoir`: one opened installation — its data folder, journal, settings,
//! secrets, token manager, and the simulators when a provider is in
//! training. Domain modules take it as their first parameter.
//!
//! It knows no provider by name: the two things that differ per provider
//! here (a provider's field table, and how the training simulators start)
//! are given to it as [`Hooks`] by the registry when `app` opens it, so this
//! module stays below the providers' domain modules and the registry.

use crate::auth::TokenManager;
use crate::config::{self, ConfigSources, Mode, ProviderConfig};
use crate::error::{Error, Result};
use crate::journal::Journal;
use crate::paths;
use crate::secrets::{Backend, SecretStore};
use crate::settings::Settings;
use crate::types::{Field, FieldRole, ProviderId};
use futures_util::future::BoxFuture;
use std::collections::BTreeMap;
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
    /// Whether this process serves its training simulators to the
    /// installation's other processes (the window does; a CLI command,
    /// which ends soon, does not).
    pub share_training: bool,
}

/// What the registry tells the context about providers.
pub struct Hooks {
    /// A provider's configuration fields.
    pub fields: fn(ProviderId) -> &'static [Field],
    /// Settings that a command manages (their key, and the command), never
    /// set as text by `config set`.
    pub managed: &'static [(&'static str, &'static str)],
    /// Starts the simulators of every simulated provider for this installation.
    pub start_training: for<'a> fn(&'a Comptoir) -> BoxFuture<'a, Result<Training>>,
}

/// The running simulators, as the context needs them: where they listen and
/// the configuration each simulated provider gets in training.
pub struct Training {
    pub root: String,
    pub configs: BTreeMap<ProviderId, ProviderConfig>,
    /// The simulator host itself; dropping it stops the simulators.
    pub host: Box<dyn std::any::Any + Send + Sync>,
}

pub struct Comptoir {
    data_dir: PathBuf,
    pub journal: Journal,
    secrets: SecretStore,
    tokens: Arc<TokenManager>,
    http: reqwest::Client,
    force_training: bool,
    share_training: bool,
    hooks: &'static Hooks,
    training: tokio::sync::OnceCell<Training>,
    /// Who acts now, and whether accounts exist (see `cashier`).
    pub(crate) cashiers: crate::accounts::State,
    /// The shop's database, connected once (`shop::Pools`).
    pub(crate) shop: crate::shop::Pools,
}

impl Comptoir {
    /// Opens the installation with the registry's hooks (`app` does this).
    pub async fn with_hooks(options: Options, hooks: &'static Hooks) -> Result<Self> {
        let data_dir = paths::data_dir(options.data_dir.as_deref());
        paths::check_data_dir(&data_dir)?;
        crate::files::private_dir(&data_dir).map_err(|e| paths::unusable(&data_dir, e))?;
        let backend = match options.secret_store {
            Some(b) => b,
            None => Backend::from_env()?,
        };
        let secrets = SecretStore::new(backend, &data_dir);
        let http = crate::http::client();
        let app = Comptoir {
            journal: Journal::open(&paths::journal_path(&data_dir))
                .await
                .map_err(|e| paths::unusable(&data_dir, e))?,
            tokens: Arc::new(TokenManager::new(http.clone(), secrets.clone())),
            secrets,
            http,
            force_training: options.training,
            share_training: options.share_training,
            hooks,
            training: tokio::sync::OnceCell::new(),
            cashiers: crate::accounts::State::default(),
            shop: crate::shop::Pools::default(),
            data_dir,
        };
        app.cashiers.set_any(crate::accounts::any(&app.journal).await?);
        Ok(app)
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn secrets(&self) -> &SecretStore {
        &self.secrets
    }

    /// Whether this process serves its simulators to the installation's others.
    pub fn shares_training(&self) -> bool {
        self.share_training
    }

    /// The shared token manager (tokens reused across processes).
    pub fn tokens(&self) -> Arc<TokenManager> {
        self.tokens.clone()
    }

    /// The process's HTTP client (connection reuse).
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Settings, read from disk each time, so a change made by the CLI while
    /// the window is open is seen (the file is small).
    pub fn settings(&self) -> Result<Settings> {
        Settings::load(&paths::settings_path(&self.data_dir))
    }

    /// Changes one setting, refusing a value the app could not use.
    pub fn set_setting(&self, key: &str, value: Option<serde_json::Value>) -> Result<()> {
        self.check_setting(key, value.as_ref())?;
        // The window's language is the cashier's to choose; the rest is the owner's.
        if key != crate::settings::LOCALE {
            self.require_now(crate::accounts::Right::Administer, Some(key))?;
        }
        let mut settings = self.settings()?;
        let before = settings.all().get(key).cloned();
        if before == value {
            return Ok(());
        }
        // The register holds every change of how the shop sells (its name
        // and SIRET on receipts, tax treatments, the fiscal year's end),
        // what it was and what it became, written before the change takes
        // effect. Settings hold no secret (`config.secret_in_settings`).
        self.record_now("setting", serde_json::json!({"key": key, "from": before, "to": value}))?;
        let year_end = value
            .as_ref()
            .and_then(serde_json::Value::as_str)
            .and_then(crate::settings::fiscal_year_end_month);
        settings.set(key, value)?;
        if key == crate::settings::FISCAL_YEAR_END {
            // A running window closes the year on the new last day at once.
            self.journal.set_fiscal_year_end(year_end.unwrap_or(12));
        }
        Ok(())
    }

    /// Whether `key` is a setting Comptoir knows and `value` one it can
    /// take (None: the key is unset), from the one table: the shop's keys
    /// (`settings::KEYS`), each provider's fields, the managed settings.
    pub fn check_setting(&self, key: &str, value: Option<&serde_json::Value>) -> Result<()> {
        use crate::settings::bad_value;
        let text = |v: Option<&serde_json::Value>| -> Result<Option<String>> {
            match v {
                None => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(bad_value(key, &other.to_string(), "it is text")),
            }
        };
        if crate::settings::KEYS.iter().any(|(k, _)| *k == key) {
            return match text(value)? {
                Some(v) => crate::settings::check(key, &v),
                None => Ok(()),
            };
        }
        if let Some((_, command)) = self.hooks.managed.iter().find(|(k, _)| *k == key) {
            return match value {
                Some(serde_json::Value::String(_)) => Err(Error::invalid(
                    "config.managed",
                    format!("`{key}` is kept by `{command}`: use that command (or the window's Settings)"),
                )
                .with("key", key)
                .with("command", *command)),
                _ => Ok(()),
            };
        }
        for provider in ProviderId::ALL {
            if let Some(field) = self.fields(provider).iter().find(|f| provider.key(f) == key) {
                return match text(value)? {
                    Some(v) => config::check_field(provider, field, &v),
                    None => Ok(()),
                };
            }
        }
        Err(Error::invalid(
            "config.unknown_key",
            format!(
                "`{}` is not a setting Comptoir knows: the README's configuration table lists them",
                crate::types::text::printable(key)
            ),
        )
        .with("key", crate::types::text::printable(key)))
    }

    /// A provider's configuration fields.
    pub fn fields(&self, provider: ProviderId) -> &'static [Field] {
        (self.hooks.fields)(provider)
    }

    /// One configuration field of a provider, by name.
    pub fn field(&self, provider: ProviderId, name: &str) -> Option<&'static Field> {
        self.fields(provider).iter().find(|f| f.name == name)
    }

    /// Training or live for one provider (an error when half-configured).
    pub fn mode(&self, provider: ProviderId) -> Result<Mode> {
        if self.force_training {
            return Ok(Mode::Training);
        }
        let settings = self.settings()?;
        let env = |name: &str| std::env::var(name).ok();
        config::resolve(
            provider,
            self.fields(provider),
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
        let field = self
            .field(provider, name)
            .ok_or_else(|| Error::internal("provider.no_such_option", format!("no option {name}")))?;
        let env = |name: &str| std::env::var(name).ok();
        Ok(config::clear_value(provider, field, &env, &self.settings()?).unwrap_or_default())
    }

    /// The configuration to reach a provider with, starting the simulators
    /// on first need. Returns whether it is training.
    pub async fn provider_config(&self, provider: ProviderId) -> Result<(ProviderConfig, bool)> {
        match self.mode(provider)? {
            Mode::Live(config) => Ok((config, false)),
            Mode::Training => {
                let training = self.training().await?;
                let mut config = training.configs.get(&provider).cloned().ok_or_else(|| {
                    Error::config(
                        "provider.no_simulator",
                        format!("{} has no credentials and no simulator yet", provider.display_name()),
                    )
                    .with("provider", provider.as_str())
                    .with("name", provider.display_name())
                })?;
                // The shop's options (Amilon's culture) hold in training too.
                for field in self.fields(provider) {
                    if let FieldRole::Option(_) = field.role {
                        let value = self.option(provider, field.name)?;
                        // An option left empty keeps the simulator's value.
                        if !value.is_empty() {
                            config.insert(field.name, value);
                        }
                    }
                }
                Ok((config, true))
            }
        }
    }

    /// The in-process simulators (started once, on first need).
    pub async fn training(&self) -> Result<&Training> {
        self.training
            .get_or_try_init(|| (self.hooks.start_training)(self))
            .await
    }
}
