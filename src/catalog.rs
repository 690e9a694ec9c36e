//! The catalog cache: what each provider sells, as last synced. A sync
//! replaces one provider's catalog in one transaction, so the counter never
//! shows half of an old catalog and half of a new one.

use crate::error::Result;
use crate::journal::{cents, now_rfc3339, Journal};
use crate::types::ProviderId;
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// Below this many items left, the counter highlights the stock.
pub const LOW_STOCK: i64 = 5;

#[derive(ts_rs::TS, Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CatalogItem {
    pub provider: ProviderId,
    pub id: String,
    /// `esim`, `topup` or `giftcard`.
    #[serde(rename = "type")]
    pub item_type: String,
    pub name: String,
    #[serde(
        rename = "price",
        serialize_with = "cents::serialize",
        deserialize_with = "units_to_cents"
    )]
    #[ts(type = "number")]
    pub price_cents: i64,
    #[serde(
        rename = "cost",
        serialize_with = "cents::serialize_opt",
        deserialize_with = "opt_units_to_cents"
    )]
    #[ts(type = "number | null")]
    pub cost_cents: Option<i64>,
    pub currency: String,
    #[ts(type = "number | null")]
    pub stock: Option<i64>,
    pub available: bool,
    /// `out_of_stock`, `supplier_outage`, `product_unavailable`.
    pub unavailable_reason: Option<String>,
    pub supplier: Option<String>,
    pub countries: Vec<String>,
    /// The same countries by name, where the provider names them.
    #[serde(default)]
    pub country_names: Vec<String>,
    pub data_gb: Option<f64>,
    pub validity_days: Option<f64>,
    pub tags: Vec<String>,
    /// For top-ups: `msisdn` or `sim_id`, what the customer's line is known by.
    pub recipient: Option<String>,
    /// Gift cards: the retailer's logo, a file in the image cache (`catalog_logo`).
    #[serde(default)]
    pub logo: Option<String>,
    /// Gift cards: how many may be ordered at once.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub min_quantity: Option<i64>,
    #[serde(default)]
    #[ts(type = "number | null")]
    pub max_quantity: Option<i64>,
    pub synced_at: String,
}

fn units_to_cents<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    Ok(to_cents(f64::deserialize(d)?))
}

fn opt_units_to_cents<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.map(to_cents))
}

/// A step of a catalog sync (`offers`, `products`...), for a progress display.
pub type OnStep<'a> = &'a (dyn Fn(&str) + Sync);

/// Euros (as a provider sends them) to cents, exactly, rounded half-up
/// (`types::cents::from_units`); an amount out of any price's range is 0,
/// which no sale accepts (the catalog's callers skip such items).
pub fn to_cents(units: f64) -> i64 {
    crate::types::cents::from_units(units).unwrap_or(0)
}

#[derive(ts_rs::TS, Debug, Clone, Default, Deserialize)]
#[serde(default)]
#[ts(optional_fields)]
pub struct CatalogFilter {
    pub provider: Option<ProviderId>,
    #[serde(rename = "type")]
    pub item_type: Option<String>,
    pub search: Option<String>,
    /// ISO country code the item must cover.
    pub country: Option<String>,
    /// Supplier name, exactly.
    pub supplier: Option<String>,
    /// Gift cards: a category, as one of the item's tags.
    pub category: Option<String>,
    pub min_data_gb: Option<f64>,
    pub min_validity_days: Option<f64>,
}

/// Replaces a provider's cached catalog with `items` (with their raw JSON).
pub async fn replace(
    journal: &Journal,
    provider: ProviderId,
    items: &[(CatalogItem, serde_json::Value)],
) -> Result<()> {
    let now = now_rfc3339();
    let mut tx = journal.begin_write().await?;
    sqlx::query("DELETE FROM catalog_items WHERE provider = ?")
        .bind(provider.as_str())
        .execute(&mut *tx)
        .await?;
    // A batch of items per statement, as a JSON array: one statement per
    // item made a 22,000-item sync spend most of its time in round trips
    // to sqlx's worker thread (make bench).
    for batch in items.chunks(500) {
        let rows: Vec<serde_json::Value> = batch
            .iter()
            .map(|(item, raw)| {
                serde_json::json!({
                    "id": item.id, "type": item.item_type, "name": item.name, "price_cents": item.price_cents,
                    "cost_cents": item.cost_cents, "currency": item.currency, "stock": item.stock,
                    "available": item.available, "unavailable_reason": item.unavailable_reason,
                    "supplier": item.supplier, "countries": item.countries.join(" "), "data_gb": item.data_gb,
                    "validity_days": item.validity_days, "tags": item.tags.join(","), "recipient": item.recipient,
                    "logo": item.logo, "min_quantity": item.min_quantity, "max_quantity": item.max_quantity,
                    "raw": raw.to_string(), "country_names": item.country_names.join("|"),
                })
            })
            .collect();
        sqlx::query(
            "INSERT INTO catalog_items (provider, id, type, name, price_cents, cost_cents, currency, stock, available,
                unavailable_reason, supplier, countries, data_gb, validity_days, tags, recipient, logo, min_quantity,
                max_quantity, raw, synced_at, country_names)
             SELECT ?1, value ->> 'id', value ->> 'type', value ->> 'name', value ->> 'price_cents',
                value ->> 'cost_cents', value ->> 'currency', value ->> 'stock', value ->> 'available',
                value ->> 'unavailable_reason', value ->> 'supplier', value ->> 'countries', value ->> 'data_gb',
                value ->> 'validity_days', value ->> 'tags', value ->> 'recipient', value ->> 'logo',
                value ->> 'min_quantity', value ->> 'max_quantity', value ->> 'raw', ?2, value ->> 'country_names'
             FROM json_each(?3)",
        )
        .bind(provider.as_str())
        .bind(&now)
        .bind(serde_json::Value::Array(rows).to_string())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("INSERT OR REPLACE INTO catalog_syncs (provider, synced_at, items) VALUES (?, ?, ?)")
        .bind(provider.as_str())
        .bind(&now)
        .bind(items.len() as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Cached items, offline. Search matches name, id, supplier, countries
/// (codes and names), tags.
pub async fn list(journal: &Journal, filter: &CatalogFilter) -> Result<Vec<CatalogItem>> {
    let mut q = sqlx::QueryBuilder::new("SELECT * FROM catalog_items WHERE 1 = 1");
    if let Some(p) = filter.provider {
        q.push(" AND provider = ").push_bind(p.as_str());
    }
    if let Some(t) = &filter.item_type {
        q.push(" AND type = ").push_bind(t.clone());
    }
    for word in filter.search.iter().flat_map(|s| s.split_whitespace()) {
        // Wildcards typed by the cashier are literal (product codes hold `_`).
        let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        let like = format!("%{escaped}%");
        for (i, column) in ["name", "id", "supplier", "countries", "country_names", "tags"]
            .iter()
            .enumerate()
        {
            q.push(if i == 0 { " AND (" } else { " OR " });
            q.push(column)
                .push(" LIKE ")
                .push_bind(like.clone())
                .push(" ESCAPE '\\'");
        }
        q.push(")");
    }
    if let Some(c) = filter.country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        // Codes are stored space-separated: match whole codes only.
        q.push(" AND ' ' || countries || ' ' LIKE ")
            .push_bind(format!("% {} %", c.to_uppercase()));
    }
    if let Some(s) = filter.supplier.as_deref().filter(|s| !s.is_empty()) {
        q.push(" AND supplier = ").push_bind(s.to_string());
    }
    if let Some(c) = filter.category.as_deref().filter(|c| !c.is_empty()) {
        q.push(" AND ',' || tags || ',' LIKE ")
            .push_bind(format!("%,{},%", c.replace(['%', '_'], "")));
    }
    if let Some(d) = filter.min_data_gb {
        q.push(" AND data_gb >= ").push_bind(d);
    }
    if let Some(v) = filter.min_validity_days {
        q.push(" AND validity_days >= ").push_bind(v);
    }
    q.push(" ORDER BY provider, type, available DESC, price_cents, name");
    let rows = q.build().fetch_all(journal.pool()).await?;
    rows.iter().map(item_from_row).collect()
}

fn item_from_row(r: &sqlx::sqlite::SqliteRow) -> Result<CatalogItem> {
    let split = |s: String, sep: char| s.split(sep).filter(|x| !x.is_empty()).map(str::to_string).collect();
    Ok(CatalogItem {
        provider: r.get::<&str, _>("provider").parse()?,
        id: r.get("id"),
        item_type: r.get("type"),
        name: r.get("name"),
        price_cents: r.get("price_cents"),
        cost_cents: r.get("cost_cents"),
        currency: r.get("currency"),
        stock: r.get("stock"),
        available: r.get("available"),
        unavailable_reason: r.get("unavailable_reason"),
        supplier: r.get("supplier"),
        countries: split(r.get("countries"), ' '),
        country_names: split(r.get("country_names"), '|'),
        data_gb: r.get("data_gb"),
        validity_days: r.get("validity_days"),
        tags: split(r.get("tags"), ','),
        recipient: r.get("recipient"),
        logo: r.get("logo"),
        min_quantity: r.get("min_quantity"),
        max_quantity: r.get("max_quantity"),
        synced_at: r.get("synced_at"),
    })
}

/// Stock as the provider reported it after a sale, so the counter does not
/// wait for the next sync to show it (0 makes the item unavailable).
pub async fn set_stock(journal: &Journal, provider: ProviderId, id: &str, stock: i64) -> Result<()> {
    sqlx::query(
        "UPDATE catalog_items SET stock = ?,
            available = CASE WHEN ? <= 0 THEN 0 ELSE available END,
            unavailable_reason = CASE WHEN ? <= 0 AND unavailable_reason IS NULL THEN 'out_of_stock' ELSE unavailable_reason END
         WHERE provider = ? AND id = ?",
    )
    .bind(stock)
    .bind(stock)
    .bind(stock)
    .bind(provider.as_str())
    .bind(id)
    .execute(journal.pool())
    .await?;
    Ok(())
}

/// One cached item.
pub async fn get(journal: &Journal, provider: ProviderId, id: &str) -> Result<Option<CatalogItem>> {
    let row = sqlx::query("SELECT * FROM catalog_items WHERE provider = ? AND id = ?")
        .bind(provider.as_str())
        .bind(id)
        .fetch_optional(journal.pool())
        .await?;
    row.as_ref().map(item_from_row).transpose()
}

/// The provider's item as it was sent, for fields the cache does not keep.
pub async fn raw(journal: &Journal, provider: ProviderId, id: &str) -> Result<Option<serde_json::Value>> {
    let row = sqlx::query("SELECT raw FROM catalog_items WHERE provider = ? AND id = ?")
        .bind(provider.as_str())
        .bind(id)
        .fetch_optional(journal.pool())
        .await?;
    Ok(row.and_then(|r| serde_json::from_str(r.get::<&str, _>("raw")).ok()))
}

/// When each provider's catalog was last synced.
pub async fn last_syncs(journal: &Journal) -> Result<Vec<(ProviderId, String, i64)>> {
    let rows = sqlx::query("SELECT provider, synced_at, items FROM catalog_syncs ORDER BY provider")
        .fetch_all(journal.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.get::<&str, _>("provider").parse()?,
                r.get("synced_at"),
                r.get("items"),
            ))
        })
        .collect()
}
