//! A provider's credentials as the window's Settings handles them: the
//! form drawn from the provider's field table, saving (secrets to the
//! keyring, the rest to settings), forgetting, and testing the connection
//! by asking the provider for a token.

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::registry;
use crate::secrets::Secret;
use crate::types::{FieldRole, ProviderId};
use serde::Serialize;
use std::collections::BTreeMap;

/// One field of a provider's form.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct FieldView {
    pub name: &'static str,
    /// Its environment variable, which wins over what Settings holds.
    pub env: &'static str,
    /// `url`, `credential`, `secret` or `option`.
    pub role: &'static str,
    /// The documented value used when none is given (addresses, options).
    pub default: Option<&'static str>,
    /// The value in force, for a clear field (never a secret's).
    pub value: Option<String>,
    /// Whether a value is in force (for a secret: in the keyring or the environment).
    pub set: bool,
    /// Given by its environment variable: Settings cannot change it.
    pub from_env: bool,
}

/// A provider's credentials form, in the order of the CLI contract.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct ProviderForm {
    pub provider: ProviderId,
    pub name: &'static str,
    pub fields: Vec<FieldView>,
}

/// What a connection test found: the provider gave a token.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct ConnectionTest {
    pub provider: ProviderId,
    /// Whether it was the simulator (no credentials yet).
    pub training: bool,
}

/// Every provider's form with nothing set: the field tables alone (what a
/// fresh installation shows; the UI tests' fixture is written from it).
pub fn blank_forms() -> Vec<ProviderForm> {
    ProviderId::ALL
        .into_iter()
        .map(|provider| ProviderForm {
            provider,
            name: provider.display_name(),
            fields: registry::fields(provider)
                .iter()
                .map(|f| {
                    let (role, default) = role(f.role);
                    FieldView {
                        name: f.name,
                        env: f.env,
                        role,
                        default,
                        value: None,
                        set: false,
                        from_env: false,
                    }
                })
                .collect(),
        })
        .collect()
}

/// A field's role as the form names it, and its documented default.
fn role(role: FieldRole) -> (&'static str, Option<&'static str>) {
    match role {
        FieldRole::Url(d) => ("url", Some(d)),
        FieldRole::Credential => ("credential", None),
        FieldRole::Secret => ("secret", None),
        FieldRole::Option(d) => ("option", Some(d)),
    }
}

impl Comptoir {
    /// Every provider's form, from its field table.
    pub fn provider_forms(&self) -> Result<Vec<ProviderForm>> {
        let settings = self.settings()?;
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        ProviderId::ALL
            .into_iter()
            .map(|provider| {
                let fields = self
                    .fields(provider)
                    .iter()
                    .map(|f| {
                        let key = provider.key(f);
                        let from_env = env(f.env).is_some();
                        let (role, default) = role(f.role);
                        let value = match f.role {
                            FieldRole::Secret => None,
                            _ => env(f.env).or_else(|| settings.get_str(&key).map(str::to_string)),
                        };
                        let set = match f.role {
                            FieldRole::Secret => from_env || self.secrets().get(&key)?.is_some(),
                            _ => value.is_some(),
                        };
                        Ok(FieldView {
                            name: f.name,
                            env: f.env,
                            role,
                            default,
                            value,
                            set,
                            from_env,
                        })
                    })
                    .collect::<Result<Vec<_>>>()?;
                Ok(ProviderForm {
                    provider,
                    name: provider.display_name(),
                    fields,
                })
            })
            .collect()
    }

    /// Stores credentials typed in the window: each field by its role in
    /// the provider's table (secrets to the keyring, the rest to settings).
    /// Unknown fields are refused; empty values change nothing. Every value
    /// is checked before any is stored, so a refusal changes nothing.
    pub fn set_credentials(&self, provider: ProviderId, values: &BTreeMap<String, String>) -> Result<()> {
        self.require_now(crate::accounts::Right::Administer, Some("credentials"))?;
        let mut checked = Vec::new();
        for (name, value) in values {
            let field = self.field(provider, name).ok_or_else(|| {
                Error::invalid(
                    "settings.unknown_field",
                    format!("{} has no setting `{name}`", provider.display_name()),
                )
                .with("field", name.clone())
            })?;
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            if matches!(field.role, FieldRole::Url(_)) && url::Url::parse(value).is_err() {
                return Err(
                    Error::invalid("settings.bad_url", format!("`{value}` is not a URL")).with("field", name.clone())
                );
            }
            checked.push((field, value));
        }
        for (field, value) in checked {
            let key = provider.key(field);
            match field.role {
                FieldRole::Secret => self.secrets().set(&key, &Secret::new(value))?,
                _ => self.set_setting(&key, Some(value.into()))?,
            }
        }
        Ok(())
    }

    /// Forgets every credential of a provider (settings and keyring), which
    /// puts it back in training mode unless its environment variables say
    /// otherwise.
    pub fn clear_credentials(&self, provider: ProviderId) -> Result<()> {
        self.require_now(crate::accounts::Right::Administer, Some("credentials"))?;
        for field in self.fields(provider) {
            let key = provider.key(field);
            match field.role {
                FieldRole::Secret => self.secrets().delete(&key)?,
                _ => self.set_setting(&key, None)?,
            }
        }
        Ok(())
    }

    /// Asks the provider (its simulator, in training) for a new token with
    /// the credentials in force: OK, or the provider's error with what to do.
    pub async fn test_connection(&self, provider: ProviderId) -> Result<ConnectionTest> {
        let (config, training) = self.provider_config(provider).await?;
        let source = registry::token_source(provider, &config, training)?;
        self.tokens().renew(&source).await?;
        tracing::info!(%provider, training, "connection test: the provider gave a token");
        Ok(ConnectionTest { provider, training })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Mode;
    use crate::secrets::Backend;
    use crate::Options;
    use std::path::Path;

    async fn open(dir: &Path) -> Comptoir {
        let options = Options {
            data_dir: Some(dir.to_path_buf()),
            training: false,
            secret_store: Some(Backend::Kernel),
            share_training: false,
        };
        Comptoir::open(options).await.unwrap()
    }

    #[tokio::test]
    async fn credentials_from_the_window_go_where_their_role_says() {
        let dir = tempfile::tempdir().unwrap();
        let app = open(dir.path()).await;
        let values = [
            ("client_id", "shop-7"),
            ("client_secret", "s3cret from window"),
            ("url", ""),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        app.set_credentials(ProviderId::OrangeTravel, &values).unwrap();
        assert!(matches!(app.mode(ProviderId::OrangeTravel).unwrap(), Mode::Live(_)));
        let settings = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
        assert!(settings.contains("shop-7"));
        assert!(!settings.contains("s3cret"), "secrets never in the settings file");
        assert!(
            !settings.contains("\"orange_travel.url\""),
            "empty values change nothing"
        );
        assert_eq!(
            app.secrets()
                .get("orange_travel.client_secret")
                .unwrap()
                .unwrap()
                .expose(),
            "s3cret from window"
        );

        let bad = [("nope".to_string(), "x".to_string())].into_iter().collect();
        assert_eq!(
            app.set_credentials(ProviderId::OrangeTravel, &bad).unwrap_err().code,
            "settings.unknown_field"
        );
        let bad_url = [("url".to_string(), "not a url".to_string())].into_iter().collect();
        assert_eq!(
            app.set_credentials(ProviderId::OrangeTravel, &bad_url)
                .unwrap_err()
                .code,
            "settings.bad_url"
        );
        app.secrets().delete("orange_travel.client_secret").unwrap();
    }

    #[tokio::test]
    async fn every_provider_has_a_form_from_its_field_table_and_no_secret_in_it() {
        let dir = tempfile::tempdir().unwrap();
        let app = open(dir.path()).await;
        let values = [
            ("client_id", "c-1"),
            ("client_secret", "pa55 w0rd"),
            ("username", "shop"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        app.set_credentials(ProviderId::Amilon, &values).unwrap();
        let forms = app.provider_forms().unwrap();
        assert_eq!(forms.len(), ProviderId::ALL.len());
        let amilon = forms.iter().find(|f| f.provider == ProviderId::Amilon).unwrap();
        let names: Vec<_> = amilon.fields.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "url",
                "token_url",
                "client_id",
                "client_secret",
                "username",
                "password",
                "contract_id",
                "culture"
            ]
        );
        let field = |n: &str| amilon.fields.iter().find(|f| f.name == n).unwrap();
        assert_eq!(field("client_id").value.as_deref(), Some("c-1"));
        assert!(field("client_secret").set && field("client_secret").value.is_none());
        assert!(!field("password").set);
        assert_eq!(field("culture").default, Some("fr-FR"));
        assert_eq!(field("culture").role, "option");
        let json = serde_json::to_string(&forms).unwrap();
        assert!(!json.contains("pa55"), "a secret's value never leaves the keyring");
        // Half-configured: an error naming what is missing, not training.
        let e = app.mode(ProviderId::Amilon).unwrap_err();
        assert!(e.message.contains("COMPTOIR_AMILON_PASSWORD"), "{}", e.message);

        app.clear_credentials(ProviderId::Amilon).unwrap();
        assert!(matches!(app.mode(ProviderId::Amilon).unwrap(), Mode::Training));
        assert!(app.secrets().get("amilon.client_secret").unwrap().is_none());
    }

    #[tokio::test]
    async fn a_refused_value_stores_none_of_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let app = open(dir.path()).await;
        let values = [("client_id", "c-2"), ("url", "not a url")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(
            app.set_credentials(ProviderId::Amilon, &values).unwrap_err().code,
            "settings.bad_url"
        );
        assert!(matches!(app.mode(ProviderId::Amilon).unwrap(), Mode::Training));
    }
}
