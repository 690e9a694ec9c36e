//! A provider's configuration: its fields' values from the environment,
//! the settings file and the keyring, and the choice between training (the
//! simulators) and live. The field tables themselves are the providers'
//! (`providers/<name>/mod.rs`); `registry::fields` chooses among them.

use crate::error::{Error, Result};
use crate::secrets::{Secret, SecretStore};
use crate::settings::Settings;
use crate::types::{Field, FieldRole, ProviderId};
use std::collections::BTreeMap;

use FieldRole::{Credential, Option as Opt, Secret as Sec, Url};

/// How a provider will be reached in this run.
#[derive(Debug, Clone)]
pub enum Mode {
    /// No credentials: the built-in simulator.
    Training,
    /// Real credentials, complete.
    Live(ProviderConfig),
}

/// Resolved values of one provider's fields (secrets wrapped).
#[derive(Debug, Clone, Default)]
pub struct ProviderConfig {
    values: BTreeMap<&'static str, String>,
    secrets: BTreeMap<&'static str, Secret>,
}

impl ProviderConfig {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.values.get(field).map(String::as_str)
    }
    pub fn secret(&self, field: &str) -> Option<&Secret> {
        self.secrets.get(field)
    }
    /// A field a client cannot work without: missing, it is a configuration
    /// error naming the provider and the field.
    pub fn require(&self, provider: ProviderId, field: &str) -> Result<String> {
        self.get(field)
            .map(str::to_string)
            .ok_or_else(|| missing(provider, field))
    }
    /// The same for a secret field.
    pub fn require_secret(&self, provider: ProviderId, field: &str) -> Result<Secret> {
        self.secret(field).cloned().ok_or_else(|| missing(provider, field))
    }
    pub fn insert(&mut self, field: &'static str, value: String) {
        self.values.insert(field, value);
    }
    pub fn insert_secret(&mut self, field: &'static str, value: Secret) {
        self.secrets.insert(field, value);
    }
}

fn missing(provider: ProviderId, field: &str) -> Error {
    Error::config(
        "provider.missing",
        format!("{}: missing {field}", provider.display_name()),
    )
}

/// Where configuration values come from: environment first, then settings
/// (clear values) or the keyring (secrets).
pub struct ConfigSources<'a> {
    pub env: &'a dyn Fn(&str) -> Option<String>,
    pub settings: &'a Settings,
    pub secrets: &'a SecretStore,
}

/// A clear (non-secret) field's value: its environment variable first, then
/// the settings file; for addresses and options, their default last.
pub fn clear_value(
    provider: ProviderId,
    field: &Field,
    env: &dyn Fn(&str) -> Option<String>,
    settings: &Settings,
) -> Option<String> {
    env(field.env)
        .filter(|v| !v.is_empty())
        .or_else(|| settings.get_str(&provider.key(field)).map(str::to_string))
        .or_else(|| match field.role {
            Url(default) | Opt(default) => Some(default.to_string()),
            Credential | Sec => None,
        })
}

/// Refuses a value a provider's field cannot take: a secret (the keyring's
/// alone), an address that is not an http(s) URL, text with control
/// characters, an option outside its own format.
pub fn check_field(provider: ProviderId, field: &Field, value: &str) -> Result<()> {
    let key = provider.key(field);
    let bad = |why: &str| crate::settings::bad_value(&key, value, why);
    match field.role {
        Sec => {
            return Err(Error::invalid(
                "config.secret_in_settings",
                format!("`{key}` is a secret: store it with `comptoir secret set {key}`"),
            )
            .with("key", key))
        }
        Url(_) => {
            let ok = url::Url::parse(value).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
            if !ok {
                return Err(bad("it is an address such as https://api.example.com/path"));
            }
        }
        Credential | Opt(_) => {}
    }
    crate::types::text::check(&key, value, 500, false).map_err(|why| bad(&why))?;
    match field.check {
        Some((ok, expected)) if !ok(value) => Err(bad(expected)),
        _ => Ok(()),
    }
}

/// Decides training or live for one provider. Any credential present means
/// the shop meant to go live, so a missing one is an error naming it rather
/// than a silent fall-back to the simulator.
pub fn resolve(provider: ProviderId, fields: &[Field], src: &ConfigSources<'_>) -> Result<Mode> {
    let mut config = ProviderConfig::default();
    let mut missing = Vec::new();
    let mut any_credential = false;
    for field in fields {
        let key = provider.key(field);
        // A value a person wrote by hand as a number (or anything but text)
        // is reported, never read as "not configured" (which would put
        // the provider back in training without a word).
        if let Some(v) = src.settings.all().get(&key).filter(|v| !v.is_string() && !v.is_null()) {
            return Err(Error::config(
                "settings.bad_value",
                format!("`{key}` in the settings file is {v}, not text: set it again with `comptoir config set {key} VALUE` or in Settings"),
            )
            .with("key", key));
        }
        let env = (src.env)(field.env).filter(|v| !v.is_empty());
        match field.role {
            Sec => {
                let value = match env {
                    Some(v) => Some(Secret::new(v)),
                    None => src.secrets.get(&key)?,
                };
                match value {
                    Some(v) => {
                        any_credential = true;
                        config.insert_secret(field.name, v);
                    }
                    None => missing.push(field.env),
                }
            }
            Credential => match clear_value(provider, field, src.env, src.settings) {
                Some(v) => {
                    any_credential = true;
                    config.insert(field.name, v);
                }
                None => missing.push(field.env),
            },
            Url(_) | Opt(_) => {
                let v = clear_value(provider, field, src.env, src.settings).expect("has a default");
                config.insert(field.name, v);
            }
        }
    }
    if !any_credential {
        return Ok(Mode::Training);
    }
    if !missing.is_empty() {
        return Err(Error::config(
            "provider.partial_credentials",
            format!(
                "{} has only part of its credentials; missing: {}",
                provider.display_name(),
                missing.join(", ")
            ),
        )
        .with("provider", provider.as_str())
        .with("missing", missing.join(", ")));
    }
    Ok(Mode::Live(config))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::Backend;

    fn resolve_with(provider: ProviderId, env: &[(&str, &str)]) -> Result<Mode> {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::load(&dir.path().join("s.json")).unwrap();
        let secrets = SecretStore::new(Backend::Kernel, dir.path());
        let env_map: BTreeMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let lookup = move |k: &str| env_map.get(k).cloned();
        resolve(
            provider,
            crate::registry::fields(provider),
            &ConfigSources {
                env: &lookup,
                settings: &settings,
                secrets: &secrets,
            },
        )
    }

    #[test]
    fn no_credentials_means_training() {
        assert!(matches!(
            resolve_with(ProviderId::OrangeTravel, &[]).unwrap(),
            Mode::Training
        ));
        // A URL or an option alone does not leave training mode.
        let m = resolve_with(ProviderId::Amilon, &[("COMPTOIR_AMILON_CULTURE", "it-IT")]).unwrap();
        assert!(matches!(m, Mode::Training));
    }

    #[test]
    fn partial_credentials_name_what_is_missing() {
        let e = resolve_with(ProviderId::OrangeTravel, &[("COMPTOIR_ORANGE_TRAVEL_CLIENT_ID", "abc")]).unwrap_err();
        assert_eq!(e.code, "provider.partial_credentials");
        assert!(
            e.message.contains("COMPTOIR_ORANGE_TRAVEL_CLIENT_SECRET"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("abc"));
    }

    #[test]
    fn complete_credentials_are_live_with_documented_defaults() {
        let m = resolve_with(
            ProviderId::OrangeTravel,
            &[
                ("COMPTOIR_ORANGE_TRAVEL_CLIENT_ID", "abc"),
                ("COMPTOIR_ORANGE_TRAVEL_CLIENT_SECRET", "s3cret"),
            ],
        )
        .unwrap();
        let Mode::Live(c) = m else { panic!("expected live") };
        assert_eq!(c.get("url"), Some("https://api.orange.com/travel-b2b-sandbox/v1"));
        assert_eq!(c.secret("client_secret").unwrap().expose(), "s3cret");
    }
}
