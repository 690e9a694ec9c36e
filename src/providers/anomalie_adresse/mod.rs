//! Orange Anomalie Adresse: fibre address anomaly tickets
//! (`shared/apis/orange-anomalie-adresse.md`). Only its configuration
//! fields exist yet; the client and simulator come with their issue.

use crate::types::{Field, FieldRole};

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
