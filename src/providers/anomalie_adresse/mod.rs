//! Orange Anomalie Adresse: fibre address anomaly tickets
//! (`shared/apis/orange-anomalie-adresse.md`). Only its configuration
//! fields and its token endpoint exist yet (for Settings' connection test);
//! the client and simulator come with their issue.

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
    Field::new("code_oc", "COMPTOIR_ANOMALIE_ADRESSE_CODE_OC", FieldRole::Credential),
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
