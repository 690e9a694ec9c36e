//! The one error type at the core's edge.
//!
//! Every failure carries a `kind` (what the caller should do about it, and the
//! CLI's exit code), a stable `code` (what the UI translates into a sentence),
//! and, for provider failures, the provider's own code and message kept for
//! support. No secret is ever put in an `Error`: messages are built from codes
//! and non-secret parameters only.

use serde::Serialize;
use std::fmt;

/// What kind of failure this is; decides the CLI exit code.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Input refused locally; nothing was written or sent.
    InvalidInput,
    /// The provider refused the request (4xx, business error).
    Refused,
    /// Provider or network unavailable (5xx, timeout, offline).
    Unavailable,
    /// A sale may have happened: the order is kept `unknown` for reconciliation.
    UnknownOutcome,
    /// Configuration is missing or contradictory (credentials, secret store).
    Config,
    /// A bug or an environment failure (disk, database).
    Internal,
    /// The register was changed behind Comptoir's back (`register verify`).
    Tampered,
}

impl ErrorKind {
    /// Exit codes of the CLI contract (`shared/spec/cli.md`). Configuration
    /// errors are found before anything is sent, like bad input, so they share 2.
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::InvalidInput | ErrorKind::Config => 2,
            ErrorKind::Refused => 3,
            ErrorKind::Unavailable => 4,
            ErrorKind::UnknownOutcome => 5,
            ErrorKind::Internal => 1,
            ErrorKind::Tampered => 6,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::Refused => "refused",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::UnknownOutcome => "unknown_outcome",
            ErrorKind::Config => "config",
            ErrorKind::Internal => "internal",
            ErrorKind::Tampered => "tampered",
        }
    }
}

/// A failure the cashier or the shell can act on.
#[derive(ts_rs::TS)]
#[ts(as = "ErrorShape", rename = "CoreError")]
#[derive(Debug, Clone, Serialize)]
pub struct Error {
    pub kind: ErrorKind,
    /// Stable code, e.g. `journal.order_not_found`; the UI's translation key.
    pub code: String,
    /// English sentence for logs and the CLI; never contains a secret.
    pub message: String,
    /// Non-secret values the translated sentence may show (ids, field names).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub params: serde_json::Map<String, serde_json::Value>,
    /// The provider's own code and message, kept for support (boxed: most
    /// errors have none, and it keeps `Result`s small).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Box<ProviderDetail>>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProviderDetail {
    #[serde(rename = "provider_code")]
    pub code: String,
    #[serde(rename = "provider_message")]
    pub message: String,
}

/// The error as it reaches the window, for TypeScript: `params` only when
/// there are some, the provider's code and message flattened in.
#[derive(ts_rs::TS)]
#[allow(dead_code)]
struct ErrorShape {
    kind: ErrorKind,
    code: String,
    message: String,
    #[ts(optional)]
    params: Option<std::collections::HashMap<String, serde_json::Value>>,
    #[ts(optional)]
    provider_code: Option<String>,
    #[ts(optional)]
    provider_message: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, code: &str, message: impl Into<String>) -> Self {
        Error {
            kind,
            code: code.to_string(),
            message: message.into(),
            params: serde_json::Map::new(),
            provider: None,
        }
    }

    pub fn invalid(code: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidInput, code, message)
    }

    pub fn config(code: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, code, message)
    }

    pub fn internal(code: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, code, message)
    }

    pub fn unavailable(code: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unavailable, code, message)
    }

    /// Adds a non-secret parameter for the translated message.
    pub fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.params.insert(key.to_string(), value.into());
        self
    }

    /// Keeps the provider's own code and message for support.
    pub fn with_provider(mut self, code: impl Into<String>, message: impl Into<String>) -> Self {
        self.provider = Some(Box::new(ProviderDetail {
            code: code.into(),
            message: message.into(),
        }));
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(p) = &self.provider {
            write!(f, " (provider: {} {})", p.code, p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        // sqlx errors name tables and SQL, never bound values, so they carry no secret.
        let text = e.to_string();
        if text.contains("readonly database") || text.contains("read-only") {
            return Error::config(
                "journal.read_only",
                "the data folder is read-only: Comptoir can show the journal but not change it; check the folder (a disk mounted read-only, another user's folder)",
            );
        }
        if text.contains("file is not a database") || text.contains("malformed") {
            return Error::config(
                "journal.damaged",
                "the journal is damaged (its file is not a whole SQLite database): restore it from a backup",
            );
        }
        if text.contains("database or disk is full") || text.contains("disk I/O error") {
            // SQLITE_FULL (or the write failing under it): a full disk.
            return Error::unavailable(
                "journal.disk_full",
                format!("the journal cannot be written: the disk is full; free some space and try again ({text})"),
            );
        }
        Error::internal("journal.database", format!("journal database error: {text}"))
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Error::internal("journal.migration", format!("journal migration failed: {e}"))
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::internal("io", format!("file error: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_cli_contract() {
        assert_eq!(ErrorKind::InvalidInput.exit_code(), 2);
        assert_eq!(ErrorKind::Refused.exit_code(), 3);
        assert_eq!(ErrorKind::Unavailable.exit_code(), 4);
        assert_eq!(ErrorKind::UnknownOutcome.exit_code(), 5);
        assert_eq!(ErrorKind::Config.exit_code(), 2);
        assert_eq!(ErrorKind::Internal.exit_code(), 1);
    }

    #[test]
    fn serialises_kind_and_code_for_the_ui() {
        let e = Error::invalid("journal.order_not_found", "no order X").with("id", "X");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "invalid_input");
        assert_eq!(v["code"], "journal.order_not_found");
        assert_eq!(v["params"]["id"], "X");
        assert!(v.get("provider_code").is_none());
        let p = serde_json::to_value(e.with_provider("25", "Missing header")).unwrap();
        assert_eq!(p["provider_code"], "25");
        assert_eq!(p["provider_message"], "Missing header");
    }

    #[test]
    fn stays_small_enough_to_return_everywhere() {
        assert!(std::mem::size_of::<Error>() < 128);
    }
}
