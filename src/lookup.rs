//! A provider's answer kept for when the network is down: support lookups
//! (SIM status, usage) and Amilon's contract are shown with their age when
//! the provider cannot be reached.

use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// An answer, fresh or from the cache.
#[derive(ts_rs::TS, Debug, Clone, Serialize, Deserialize)]
pub struct Lookup<T> {
    pub data: T,
    pub fetched_at: String,
    /// True when the provider could not be reached and this is the last
    /// answer kept.
    pub from_cache: bool,
}

/// Asks the provider; keeps the answer under `key`; on unavailability falls
/// back on the last answer kept (and says so). Other errors are not hidden.
pub async fn cached<T, F>(app: &Comptoir, key: &str, fetch: F) -> Result<Lookup<T>>
where
    T: Serialize + DeserializeOwned,
    F: std::future::Future<Output = Result<T>>,
{
    match fetch.await {
        Ok(data) => {
            let fetched_at = app
                .journal
                .cache_put(key, &serde_json::to_value(&data).expect("JSON"))
                .await?;
            Ok(Lookup {
                data,
                fetched_at,
                from_cache: false,
            })
        }
        Err(e) if e.kind == ErrorKind::Unavailable => {
            let Some((data, fetched_at)) = app.journal.cache_get(key).await? else {
                return Err(e);
            };
            let data = serde_json::from_value(data)
                .map_err(|_| Error::internal("support.cache_corrupt", "a cached answer is unreadable"))?;
            Ok(Lookup {
                data,
                fetched_at,
                from_cache: true,
            })
        }
        Err(e) => Err(e),
    }
}
