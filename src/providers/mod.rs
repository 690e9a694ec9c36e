//! The providers Comptoir sells through, and how each is configured: one
//! table of settings keys and environment variables, so the CLI, the window
//! and the README speak of the same names.

pub mod amilon;
pub mod orange_travel;

use crate::error::{Error, Result};
use crate::secrets::{Secret, SecretStore};
use crate::settings::Settings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProviderId {
    OrangeTravel,
    Amilon,
    InternetPlus,
    AnomalieAdresse,
}

impl ProviderId {
    pub const ALL: [ProviderId; 4] = [
        ProviderId::OrangeTravel,
        ProviderId::Amilon,
        ProviderId::InternetPlus,
        ProviderId::AnomalieAdresse,
    ];

    /// The name used in the journal, the CLI and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderId::OrangeTravel => "orange-travel",
            ProviderId::Amilon => "amilon",
            ProviderId::InternetPlus => "internet-plus",
            ProviderId::AnomalieAdresse => "anomalie-adresse",
        }
    }

    /// Human name, as the provider names itself.
    pub fn display_name(self) -> &'static str {
        match self {
            ProviderId::OrangeTravel => "Orange Travel B2B",
            ProviderId::Amilon => "Amilon",
            ProviderId::InternetPlus => "Internet+ Box (W-HA)",
            ProviderId::AnomalieAdresse => "Orange Anomalie Adresse",
        }
    }

    /// Prefix of settings keys and of secret names.
    fn key_prefix(self) -> &'static str {
        match self {
            ProviderId::OrangeTravel => "orange_travel",
            ProviderId::Amilon => "amilon",
            ProviderId::InternetPlus => "internet_plus",
            ProviderId::AnomalieAdresse => "anomalie_adresse",
        }
    }

    /// Every configuration field of the provider, in the order of the CLI contract.
    pub fn fields(self) -> &'static [Field] {
        match self {
            ProviderId::OrangeTravel => ORANGE_TRAVEL,
            ProviderId::Amilon => AMILON,
            ProviderId::InternetPlus => INTERNET_PLUS,
            ProviderId::AnomalieAdresse => ANOMALIE_ADRESSE,
        }
    }

    pub fn field(self, name: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// Settings key (or secret name) of a field, e.g. `orange_travel.client_id`.
    pub fn key(self, field: &Field) -> String {
        format!("{}.{}", self.key_prefix(), field.name)
    }
}

impl fmt::Display for ProviderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProviderId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        ProviderId::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| {
            Error::invalid(
                "provider.unknown",
                format!("unknown provider `{s}` (expected orange-travel, amilon, internet-plus or anomalie-adresse)"),
            )
            .with("value", s)
        })
    }
}

/// What a configuration field is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    /// An address; has the documented production value as default.
    Url(&'static str),
    /// A credential in clear (client id, user name, contract id).
    Credential,
    /// A credential kept only in the keyring.
    Secret,
    /// An option with a default; setting it alone does not leave training mode.
    Option(&'static str),
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub env: &'static str,
    pub role: FieldRole,
}

const fn f(name: &'static str, env: &'static str, role: FieldRole) -> Field {
    Field { name, env, role }
}

use FieldRole::{Credential, Option as Opt, Secret as Sec, Url};

const ORANGE_TRAVEL: &[Field] = &[
    f(
        "url",
        "COMPTOIR_ORANGE_TRAVEL_URL",
        Url("https://api.orange.com/travel-b2b-sandbox/v1"),
    ),
    f(
        "token_url",
        "COMPTOIR_ORANGE_TRAVEL_TOKEN_URL",
        Url("https://api.orange.com/oauth/v3/token"),
    ),
    f("client_id", "COMPTOIR_ORANGE_TRAVEL_CLIENT_ID", Credential),
    f("client_secret", "COMPTOIR_ORANGE_TRAVEL_CLIENT_SECRET", Sec),
];

const AMILON: &[Field] = &[
    f(
        "url",
        "COMPTOIR_AMILON_URL",
        Url("https://b2bsales-api.amilon.eu/b2bwebapi/v1"),
    ),
    f(
        "token_url",
        "COMPTOIR_AMILON_TOKEN_URL",
        Url("https://b2bsales-sso.amilon.eu/connect/token"),
    ),
    f("client_id", "COMPTOIR_AMILON_CLIENT_ID", Credential),
    f("client_secret", "COMPTOIR_AMILON_CLIENT_SECRET", Sec),
    f("username", "COMPTOIR_AMILON_USERNAME", Credential),
    f("password", "COMPTOIR_AMILON_PASSWORD", Sec),
    f("contract_id", "COMPTOIR_AMILON_CONTRACT_ID", Credential),
    f("culture", "COMPTOIR_AMILON_CULTURE", Opt("fr-FR")),
];

const INTERNET_PLUS: &[Field] = &[
    f(
        "auth_url",
        "COMPTOIR_INTERNET_PLUS_AUTH_URL",
        Url("https://dcb-internet.w-ha.com/authServices"),
    ),
    f(
        "bytel_url",
        "COMPTOIR_INTERNET_PLUS_BYTEL_URL",
        Url("https://dcb-internet-bytel.w-ha.com/trxServices"),
    ),
    f(
        "orange_url",
        "COMPTOIR_INTERNET_PLUS_ORANGE_URL",
        Url("https://dcb-internet-oge.w-ha.com/trxServices"),
    ),
    f("client_id", "COMPTOIR_INTERNET_PLUS_CLIENT_ID", Credential),
    f("client_secret", "COMPTOIR_INTERNET_PLUS_CLIENT_SECRET", Sec),
    f("hmac_secret", "COMPTOIR_INTERNET_PLUS_HMAC_SECRET", Sec),
    f("return_url", "COMPTOIR_INTERNET_PLUS_RETURN_URL", Credential),
];

const ANOMALIE_ADRESSE: &[Field] = &[
    f(
        "url",
        "COMPTOIR_ANOMALIE_ADRESSE_URL",
        Url("https://api.orange.com/anomalie-adresse"),
    ),
    f(
        "token_url",
        "COMPTOIR_ANOMALIE_ADRESSE_TOKEN_URL",
        Url("https://api.orange.com/oauth/v2/token"),
    ),
    f("client_id", "COMPTOIR_ANOMALIE_ADRESSE_CLIENT_ID", Credential),
    f("client_secret", "COMPTOIR_ANOMALIE_ADRESSE_CLIENT_SECRET", Sec),
    f("code_oc", "COMPTOIR_ANOMALIE_ADRESSE_CODE_OC", Credential),
];

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

/// Decides training or live for one provider. Any credential present means
/// the shop meant to go live, so a missing one is an error naming it rather
/// than a silent fall-back to the simulator.
pub fn resolve(provider: ProviderId, src: &ConfigSources<'_>) -> Result<Mode> {
    let mut config = ProviderConfig::default();
    let mut missing = Vec::new();
    let mut any_credential = false;
    for field in provider.fields() {
        let key = provider.key(field);
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

    #[test]
    fn the_readme_documents_every_variable() {
        let readme = include_str!("../../README.md");
        for p in ProviderId::ALL {
            for field in p.fields() {
                let row = format!("| `{}` | `{}` |", field.env, p.key(field));
                assert!(readme.contains(&row), "README lacks {row}");
            }
        }
    }

    #[test]
    fn every_env_variable_is_unique_and_prefixed() {
        let mut seen = std::collections::HashSet::new();
        for p in ProviderId::ALL {
            for field in p.fields() {
                assert!(field.env.starts_with("COMPTOIR_"));
                assert!(seen.insert(field.env), "{} twice", field.env);
            }
        }
    }
}
