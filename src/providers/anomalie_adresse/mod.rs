//! Orange Anomalie Adresse: fibre address anomaly tickets
//! (`shared/apis/orange-anomalie-adresse.md`, version 1.0 of the page, and
//! the Interop'fibre group's OpenAPI 2.0.0 in `shared/apis/reference/`).
//! Where the two differ, the OpenAPI gives the shapes (`model`), the base
//! URL stays configurable, and both shapes are read.
//!
//! `query` is the TMF filter language, `lifecycle` the transition table,
//! `rules` the checks of a new ticket, `client` the calls, `sim` the
//! simulator.

pub mod bounds;
pub mod client;
pub mod lifecycle;
pub mod model;
pub mod query;
pub mod rules;
pub mod sim;

pub use client::Client;

use crate::auth::{Grant, TokenSource};
use crate::config::ProviderConfig;
use crate::error::Result;
use crate::types::{Field, FieldRole, ProviderId};

const P: ProviderId = ProviderId::AnomalieAdresse;

/// Configuration fields, in the order of the CLI contract
/// (`shared/spec/cli.md`).
pub const FIELDS: &[Field] = &[
    Field::new(
        "url",
        "COMPTOIR_ANOMALIE_ADRESSE_URL",
        FieldRole::Url("https://api.orange.com/anomalie-adresse"),
    ),
    Field::new(
        "token_url",
        "COMPTOIR_ANOMALIE_ADRESSE_TOKEN_URL",
        FieldRole::Url("https://api.orange.com/oauth/v2/token"),
    ),
    Field::new(
        "client_id",
        "COMPTOIR_ANOMALIE_ADRESSE_CLIENT_ID",
        FieldRole::Credential,
    ),
    Field::new(
        "client_secret",
        "COMPTOIR_ANOMALIE_ADRESSE_CLIENT_SECRET",
        FieldRole::Secret,
    ),
    // The shop's own commercial-operator code fills `code_oc` when a ticket
    // does not give it; it is not a credential: setting it alone keeps
    // training mode (where the simulator's `CPTR` stands in when unset).
    Field::new("code_oc", "COMPTOIR_ANOMALIE_ADRESSE_CODE_OC", FieldRole::Option("")).checked(
        is_code_oc,
        "the shop's ARCEP operator code: four capital letters or digits",
    ),
];

/// Orange's v2 token endpoint for Anomalie Adresse and its grant: client
/// credentials with a Basic header.
pub fn token_source(config: &ProviderConfig) -> Result<TokenSource> {
    Ok(TokenSource {
        token_url: config.require(P, "token_url")?,
        grant: Grant::ClientCredentials {
            client_id: config.require(P, "client_id")?,
            client_secret: config.require_secret(P, "client_secret")?,
        },
        persist: true,
    })
}
/// The shop's operator code as a setting: an ARCEP code, or empty (none).
fn is_code_oc(s: &str) -> bool {
    s.is_empty() || rules::is_operator_code(s)
}
