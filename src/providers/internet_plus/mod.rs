//! W-HA Internet+ Box: carrier-billing payments and subscriptions
//! (`shared/apis/internet-plus-box-payments.md`). Only its configuration
//! fields exist yet; the client and simulator come with their issue.

use crate::types::{Field, FieldRole};

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
