//! W-HA Internet+ Box: carrier-billing payments and subscriptions
//! (`shared/apis/internet-plus-box-payments.md`). Only its configuration
//! fields and its token endpoint exist yet (for Settings' connection test);
//! the client and simulator come with their issue.

use crate::auth::{Grant, TokenSource};
use crate::config::ProviderConfig;
use crate::error::Result;
use crate::types::{Field, FieldRole, ProviderId};

const P: ProviderId = ProviderId::InternetPlus;

/// Configuration fields, in the order of the CLI contract
/// (`shared/spec/cli.md`).
pub const FIELDS: &[Field] = &[
    Field::new(
        "auth_url",
        "COMPTOIR_INTERNET_PLUS_AUTH_URL",
        FieldRole::Url("https://dcb-internet.w-ha.com/authServices"),
    ),
    Field::new(
        "bytel_url",
        "COMPTOIR_INTERNET_PLUS_BYTEL_URL",
        FieldRole::Url("https://dcb-internet-bytel.w-ha.com/trxServices"),
    ),
    Field::new(
        "orange_url",
        "COMPTOIR_INTERNET_PLUS_ORANGE_URL",
        FieldRole::Url("https://dcb-internet-oge.w-ha.com/trxServices"),
    ),
    Field::new("client_id", "COMPTOIR_INTERNET_PLUS_CLIENT_ID", FieldRole::Credential),
    Field::new(
        "client_secret",
        "COMPTOIR_INTERNET_PLUS_CLIENT_SECRET",
        FieldRole::Secret,
    ),
    Field::new("hmac_secret", "COMPTOIR_INTERNET_PLUS_HMAC_SECRET", FieldRole::Secret),
    Field::new("return_url", "COMPTOIR_INTERNET_PLUS_RETURN_URL", FieldRole::Credential),
];

/// W-HA's token endpoint (`POST {auth_url}/oauth/v3/token`, the
/// document's "Authentification") and grant: client credentials with a
/// Basic header.
pub fn token_source(config: &ProviderConfig) -> Result<TokenSource> {
    Ok(TokenSource {
        token_url: format!(
            "{}/oauth/v3/token",
            config.require(P, "auth_url")?.trim_end_matches('/')
        ),
        grant: Grant::ClientCredentials {
            client_id: config.require(P, "client_id")?,
            client_secret: config.require_secret(P, "client_secret")?,
        },
        persist: true,
    })
}
