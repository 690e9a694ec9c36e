//! The gift-card catalogue as the shop keeps it: Amilon's answers cached
//! for offline use, rebuilt into the counter's catalog with the shop's rules
//! (hidden retailers, face values), the retailers' logos on disk, and the
//! contract.

use crate::catalog;
use crate::catalog::OnStep;
use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::lookup::{cached, Lookup};
use crate::providers::amilon::model::{culture_country, Contract, Product, Retailer};
use crate::providers::amilon::{catalog_items, Client, ShopRules, FACE_VALUES, HIDDEN_RETAILERS};
use crate::types::ProviderId;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// Keys of Amilon's raw answers in the provider cache.
fn cache_key(what: &str, culture: &str) -> String {
    format!("amilon:{what}:{culture}")
}
const CONTRACT_KEY: &str = "amilon:contract";
const CATEGORIES_KEY: &str = "amilon:categories";

/// A retailer as the Settings screen lists it (to hide or show).
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct RetailerInfo {
    pub id: String,
    pub name: String,
    pub category: Option<String>,
    pub logo: Option<String>,
    pub hidden: bool,
}

/// Fetches contract, products, retailers and categories, keeps the answers
/// and the images, then rebuilds the counter's catalog in one transaction.
/// A failure before the rebuild leaves the old catalog whole.
pub async fn sync(app: &Comptoir, on_step: OnStep<'_>) -> Result<(usize, bool)> {
    let (client, training) = super::client(app).await?;
    let culture = client.culture.clone();
    on_step("contract");
    let contract = client.contract().await?;
    on_step("products");
    let (products, retailers, categories) =
        tokio::try_join!(client.products(), client.retailers(), client.categories())?;
    let j = &app.journal;
    let contract = serde_json::to_value(&contract).expect("JSON");
    j.cache_put(CONTRACT_KEY, &contract).await?;
    j.cache_put(&sale_contract_key(training), &contract).await?;
    let (products, retailers, categories) = (Value::from(products), Value::from(retailers), Value::from(categories));
    j.cache_put(&cache_key("products", &culture), &products).await?;
    j.cache_put(&cache_key("retailers", &culture), &retailers).await?;
    j.cache_put(CATEGORIES_KEY, &categories).await?;
    on_step("images");
    cache_images(app, list_of(&products), list_of(&retailers)).await;
    on_step("catalog");
    // From the answers in hand: the same as `rebuild` reads back, without
    // reading and parsing 20,000 products again.
    let n = rebuild_from(app, &culture, &products, &retailers, Some(&categories)).await?;
    tracing::info!(items = n, training, culture = %culture, "Amilon catalog synced");
    Ok((n, training))
}

/// Rebuilds the counter's gift-card catalog from the answers kept at the
/// last sync, with the shop's rules as they are now: changing the hidden
/// retailers or face values needs no network.
pub async fn rebuild(app: &Comptoir) -> Result<usize> {
    let culture = culture(app)?;
    let (Some((products, _)), Some((retailers, _))) = (
        app.journal.cache_get(&cache_key("products", &culture)).await?,
        app.journal.cache_get(&cache_key("retailers", &culture)).await?,
    ) else {
        return Ok(0); // never synced in this culture: nothing to rebuild from
    };
    let categories = app.journal.cache_get(CATEGORIES_KEY).await?.map(|(v, _)| v);
    rebuild_from(app, &culture, &products, &retailers, categories.as_ref()).await
}

fn list_of(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

async fn rebuild_from(
    app: &Comptoir,
    culture: &str,
    products: &Value,
    retailers: &Value,
    categories: Option<&Value>,
) -> Result<usize> {
    let rules = ShopRules::from_settings(&app.settings()?);
    let items = catalog_items(
        list_of(products),
        list_of(retailers),
        categories.map_or(&[], list_of),
        culture,
        &rules,
        &known_images(app),
    );
    catalog::replace(&app.journal, ProviderId::Amilon, &items).await?;
    Ok(items.len())
}

/// The gift-card panel of Settings: the culture, the cultures Amilon
/// has, the face values offered, the retailers.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct GiftcardSettings {
    pub culture: String,
    pub cultures: Vec<&'static str>,
    pub face_values: Vec<f64>,
    pub retailers: Vec<RetailerInfo>,
}

pub async fn settings(app: &Comptoir) -> Result<GiftcardSettings> {
    Ok(GiftcardSettings {
        culture: culture(app)?,
        cultures: crate::providers::amilon::model::CULTURES
            .iter()
            .map(|(c, _)| *c)
            .collect(),
        face_values: ShopRules::from_settings(&app.settings()?).face_values,
        retailers: retailers(app).await?,
    })
}

/// The culture in force (settings or environment; the documented default).
pub fn culture(app: &Comptoir) -> Result<String> {
    app.option(ProviderId::Amilon, "culture")
}

/// The retailers Amilon listed at the last sync, as it sent them.
async fn synced_retailers(app: &Comptoir) -> Result<Vec<Retailer>> {
    let culture = culture(app)?;
    let Some((list, _)) = app.journal.cache_get(&cache_key("retailers", &culture)).await? else {
        return Ok(Vec::new());
    };
    Ok(list
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| serde_json::from_value::<Retailer>(v.clone()).ok())
        .collect())
}

/// Every retailer of the last sync, with whether the shop hides it.
pub async fn retailers(app: &Comptoir) -> Result<Vec<RetailerInfo>> {
    let rules = ShopRules::from_settings(&app.settings()?);
    let logos = known_images(app);
    let mut out: Vec<RetailerInfo> = synced_retailers(app)
        .await?
        .into_iter()
        .filter_map(|r| {
            let id = r.key()?.to_string();
            Some(RetailerInfo {
                hidden: rules.hides(&[r.id.as_deref(), r.retailer_id.as_deref()]),
                name: r.name.clone().unwrap_or_else(|| id.clone()),
                category: r.category.clone(),
                logo: r.logo_url.as_deref().and_then(|u| logos.get(u).cloned()),
                id,
            })
        })
        .collect();
    out.sort_by_key(|r| r.name.to_lowercase());
    Ok(out)
}

/// Hides (or shows again) a retailer, named by its id or its name in any
/// case, and rebuilds the catalog. A retailer Amilon does not list is
/// refused rather than kept as a rule that hides nothing. What is kept is
/// the retailer's id, so hiding by name and showing by id (or the other
/// way round) undo each other.
pub async fn set_hidden(app: &Comptoir, retailer: &str, hidden: bool) -> Result<usize> {
    let asked = retailer.trim();
    if asked.is_empty() {
        return Err(Error::invalid("amilon.bad_id", "give a retailer id or name"));
    }
    let known = synced_retailers(app).await?;
    let wanted = asked.to_lowercase();
    let names = |r: &Retailer| [r.id.clone(), r.retailer_id.clone(), r.name.clone()];
    let Some(found) = known
        .iter()
        .find(|r| names(r).into_iter().flatten().any(|n| n.to_lowercase() == wanted))
    else {
        let message = if known.is_empty() {
            "no retailer is known yet: run `comptoir sync`, then name one as `comptoir giftcards retailers` lists it"
                .to_string()
        } else {
            format!("Amilon lists no retailer `{asked}`: name one as `comptoir giftcards retailers` lists it")
        };
        return Err(Error::invalid("amilon.unknown_retailer", message).with("value", asked));
    };
    let mut rules = ShopRules::from_settings(&app.settings()?);
    if hidden {
        rules.hidden.insert(found.key().unwrap_or(asked).to_ascii_lowercase());
    } else {
        // Each of its names, and what an older version kept as typed.
        for key in names(found).into_iter().flatten().chain([wanted]) {
            rules.hidden.remove(&key.to_lowercase());
        }
    }
    let mut ids: Vec<String> = rules.hidden.into_iter().collect();
    ids.sort();
    app.set_setting(HIDDEN_RETAILERS, Some(Value::from(ids)))?;
    rebuild(app).await
}

/// The face values the shop offers (empty: all).
pub fn face_values(app: &Comptoir) -> Result<Vec<f64>> {
    Ok(ShopRules::from_settings(&app.settings()?).face_values)
}

/// The face values the shop offers (empty: all), then a rebuild.
pub async fn set_face_values(app: &Comptoir, values: &[f64]) -> Result<usize> {
    if let Some(bad) = values.iter().find(|v| !(v.is_finite() && **v > 0.0)) {
        return Err(Error::invalid(
            "amilon.bad_face_value",
            format!("{bad} is not a face value"),
        ));
    }
    let value = (!values.is_empty()).then(|| Value::from(values.to_vec()));
    app.set_setting(FACE_VALUES, value)?;
    rebuild(app).await
}

/// Sets the catalog's culture (one of the ten documented).
pub fn set_culture(app: &Comptoir, culture: &str) -> Result<()> {
    if culture_country(culture).is_none() {
        return Err(Error::invalid(
            "amilon.bad_culture",
            format!("`{culture}` is not one of Amilon's cultures"),
        )
        .with("value", culture));
    }
    let field = app.field(ProviderId::Amilon, "culture").expect("culture field");
    app.set_setting(&ProviderId::Amilon.key(field), Some(Value::from(culture)))
}

/// Where retailer logos and product images are kept for offline display.
pub fn images_dir(app: &Comptoir) -> PathBuf {
    app.data_dir().join("cache").join("amilon")
}

/// An image's file name: from its URL, so a changed logo is a new file.
fn image_name(url: &str) -> String {
    format!("{:016x}.png", crate::secrets::stable_hash(url.as_bytes()))
}

/// URL → file name of every image already on disk.
fn known_images(app: &Comptoir) -> HashMap<String, String> {
    let dir = images_dir(app);
    let index = std::fs::read_to_string(dir.join("index.json")).unwrap_or_default();
    let map: HashMap<String, String> = serde_json::from_str(&index).unwrap_or_default();
    map.into_iter().filter(|(_, f)| dir.join(f).exists()).collect()
}

/// The largest image kept (a logo is a few kilobytes).
const MAX_IMAGE_BYTES: usize = 1024 * 1024;

/// Downloads logos and product images not yet on disk. An image that cannot
/// be had is only logged: the counter shows the retailer's name instead.
async fn cache_images(app: &Comptoir, products: &[Value], retailers: &[Value]) {
    let dir = images_dir(app);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let mut index = known_images(app);
    let urls: HashSet<String> = retailers
        .iter()
        .filter_map(|r| serde_json::from_value::<Retailer>(r.clone()).ok()?.logo_url)
        .chain(
            products
                .iter()
                .filter_map(|p| serde_json::from_value::<Product>(p.clone()).ok()?.image_url),
        )
        .filter(|u| !index.contains_key(u))
        .collect();
    for url in urls {
        match download_image(app.http(), &url).await {
            Ok(bytes) => {
                let name = image_name(&url);
                if std::fs::write(dir.join(&name), bytes).is_ok() {
                    index.insert(url, name);
                }
            }
            Err(why) => tracing::warn!(%why, "an Amilon image could not be cached"),
        }
    }
    let _ = std::fs::write(dir.join("index.json"), serde_json::to_vec(&index).expect("JSON"));
}

async fn download_image(http: &reqwest::Client, url: &str) -> std::result::Result<Vec<u8>, String> {
    let parsed = url::Url::parse(url).map_err(|_| "not a URL".to_string())?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err("not an http(s) URL".into());
    }
    let res = http.get(parsed).send().await.map_err(crate::auth::describe)?;
    let is_image = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("image/"));
    if !res.status().is_success() || !is_image {
        return Err(format!("answered {} without an image", res.status()));
    }
    let bytes = res.bytes().await.map_err(crate::auth::describe)?;
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err("image too large".into());
    }
    Ok(bytes.to_vec())
}

/// A cached image as a `data:` URL for the window (its CSP allows no other
/// image source). Only names this module made are accepted.
pub fn image_data_url(app: &Comptoir, name: &str) -> Result<String> {
    use base64::Engine;
    let valid = name.len() == 20 && name.ends_with(".png") && name[..16].bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Err(Error::invalid("amilon.bad_image", "unknown image"));
    }
    let bytes = std::fs::read(images_dir(app).join(name))
        .map_err(|_| Error::invalid("amilon.bad_image", "this image is not cached; sync the catalog"))?;
    Ok(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}

/// How long a sale trusts the contract last read (by a sync or a sale).
/// Amilon's document reads the contract "rarely, for validation: once at
/// start-up"; a sale then sends its one request. Amilon refuses an order
/// its contract forbids anyway; a copy that fails the check is read again
/// before the sale is refused, and a refused order makes the next sale
/// read it again.
const CONTRACT_TRUSTED: chrono::Duration = chrono::Duration::hours(1);

fn sale_contract_key(training: bool) -> String {
    format!("{CONTRACT_KEY}:{}", if training { "training" } else { "live" })
}

/// Checks a sale of `total_cents` against the contract: the copy read
/// within the hour if it allows the sale, else Amilon's contract now.
pub(super) async fn check_contract(
    app: &Comptoir,
    client: &Client,
    training: bool,
    total_cents: i64,
    currency: &str,
) -> Result<()> {
    let key = sale_contract_key(training);
    let check = |c: &Contract| {
        crate::providers::amilon::check_contract(c, &client.culture, total_cents as f64 / 100.0, currency, Utc::now())
    };
    if let Some((data, at)) = app.journal.cache_get(&key).await? {
        let trusted = DateTime::parse_from_rfc3339(&at).is_ok_and(|t| Utc::now() - t.to_utc() < CONTRACT_TRUSTED);
        if let (true, Ok(kept)) = (trusted, serde_json::from_value::<Contract>(data)) {
            if check(&kept).is_ok() {
                return Ok(());
            }
        }
    }
    let contract = client.contract().await?;
    let data = serde_json::to_value(&contract).expect("JSON");
    app.journal.cache_put(&key, &data).await?;
    check(&contract)
}

/// The next sale reads the contract again.
pub(super) async fn forget_contract(app: &Comptoir, training: bool) {
    if let Err(e) = app.journal.cache_forget(&sale_contract_key(training)).await {
        tracing::warn!("the contract kept for sales stays: {e}");
    }
}

/// The contract, as Amilon says now (kept for `giftcards contract` offline).
pub async fn contract(app: &Comptoir) -> Result<Lookup<Contract>> {
    cached(app, CONTRACT_KEY, async {
        let (client, _) = super::client(app).await?;
        client.contract().await
    })
    .await
}
