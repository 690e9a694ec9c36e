//! Which provider: the name each is known by in the journal, the CLI,
//! settings keys and JSON. Identity only; what differs in behaviour between
//! providers is chosen in `registry`.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

    /// Settings key (or secret name) of a field, e.g. `orange_travel.client_id`.
    pub fn key(self, field: &Field) -> String {
        format!("{}.{}", self.key_prefix(), field.name)
    }

    /// Prefix of settings keys and of secret names.
    pub fn key_prefix(self) -> &'static str {
        match self {
            ProviderId::OrangeTravel => "orange_travel",
            ProviderId::Amilon => "amilon",
            ProviderId::InternetPlus => "internet_plus",
            ProviderId::AnomalieAdresse => "anomalie_adresse",
        }
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

/// One configuration field of a provider: its name in settings and in the
/// window's form, its environment variable, its role. Each provider's table
/// is in its folder (`providers/<name>/mod.rs`), chosen by `registry::fields`.
/// A field's own rule: whether a value is one, and what it should be.
pub type FieldCheck = (fn(&str) -> bool, &'static str);

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub env: &'static str,
    pub role: FieldRole,
    /// What a value must be, beyond its role (an option's own format), and
    /// how that is said; none: any text.
    pub check: Option<FieldCheck>,
}

impl Field {
    pub const fn new(name: &'static str, env: &'static str, role: FieldRole) -> Field {
        Field {
            name,
            env,
            role,
            check: None,
        }
    }

    /// The field, its values checked by `ok` (`expected` says what they are).
    pub const fn checked(self, ok: fn(&str) -> bool, expected: &'static str) -> Field {
        Field {
            check: Some((ok, expected)),
            ..self
        }
    }
}
