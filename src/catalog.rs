//! The catalog cache: what each provider sells, as last synced. A sync
//! replaces one provider's catalog in one transaction, so the counter never
//! shows half of an old catalog and half of a new one.

use crate::error::Result;
use crate::journal::{cents, now_rfc3339, Journal};
use crate::types::{countries, ProviderId};
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
    /// At most this many items (the counter draws a screenful, not 22,000).
    pub limit: Option<u32>,
}

/// What the counter's filters offer: every supplier and gift-card category
/// of the cached catalog.
#[derive(ts_rs::TS, Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub suppliers: Vec<String>,
    pub categories: Vec<String>,
}

/// The columns a listed item is read from: all but `raw`, the provider's
/// whole answer, read only for a sale.
const ITEM_COLUMNS: &str = "provider, id, type, name, price_cents, cost_cents, currency, stock, available, \
     unavailable_reason, supplier, countries, country_names, data_gb, validity_days, tags, recipient, logo, \
     min_quantity, max_quantity, synced_at";

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
    // A batch of items per statement (22 values each, well within what a
    // statement may bind): one statement per item made a 22,000-item sync
    // spend most of its time in round trips to sqlx's worker thread, and
    // JSON rows most of it parsing (make bench).
    for batch in items.chunks(500) {
        let mut q = sqlx::QueryBuilder::new(
            "INSERT INTO catalog_items (provider, id, type, name, price_cents, cost_cents, currency, stock, available,
                unavailable_reason, supplier, countries, data_gb, validity_days, tags, recipient, logo, min_quantity,
                max_quantity, raw, synced_at, country_names, search_text) ",
        );
        q.push_values(batch, |mut row, (item, raw)| {
            row.push_bind(provider.as_str())
                .push_bind(&item.id)
                .push_bind(&item.item_type)
                .push_bind(&item.name)
                .push_bind(item.price_cents)
                .push_bind(item.cost_cents)
                .push_bind(&item.currency)
                .push_bind(item.stock)
                .push_bind(item.available)
                .push_bind(&item.unavailable_reason)
                .push_bind(&item.supplier)
                .push_bind(item.countries.join(" "))
                .push_bind(item.data_gb)
                .push_bind(item.validity_days)
                .push_bind(item.tags.join(","))
                .push_bind(&item.recipient)
                .push_bind(&item.logo)
                .push_bind(item.min_quantity)
                .push_bind(item.max_quantity)
                .push_bind(raw.to_string())
                .push_bind(&now)
                .push_bind(item.country_names.join("|"))
                .push_bind(searchable(item));
        });
        q.build().execute(&mut *tx).await?;
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
    let mut q = sqlx::QueryBuilder::new(format!("SELECT {ITEM_COLUMNS} FROM catalog_items WHERE 1 = 1"));
    if let Some(p) = filter.provider {
        q.push(" AND provider = ").push_bind(p.as_str());
    }
    if let Some(t) = &filter.item_type {
        q.push(" AND type = ").push_bind(t.clone());
    }
    if let Some(c) = filter.country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        // Codes are stored space-separated: match whole codes only.
        q.push(" AND ' ' || countries || ' ' LIKE ")
            .push_bind(format!("% {} %", c.to_uppercase()));
    }
    if let Some(s) = filter.supplier.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        // Named as the cashier types it: any case.
        q.push(" AND supplier = ")
            .push_bind(s.to_string())
            .push(" COLLATE NOCASE");
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
    for word in filter.search.iter().flat_map(|s| s.split_whitespace()) {
        search_word(&mut q, word);
    }
    q.push(" ORDER BY provider, type, available DESC, price_cents, name");
    if let Some(n) = filter.limit {
        q.push(" LIMIT ").push_bind(i64::from(n));
    }
    if filter.search.is_some() {
        fold_unfolded(journal).await?;
    }
    let rows = q.build().fetch_all(journal.pool()).await?;
    rows.iter().map(item_from_row).collect()
}

/// One word of a search, matched against the folded `search_text` so that
/// neither case nor accents matter (`espana` finds `España`), or, where the
/// word names countries in French or English (`Espagne`, `etats-unis`), an
/// item covering one of them even where the provider gave only its code.
fn search_word(q: &mut sqlx::QueryBuilder<'_, sqlx::Sqlite>, word: &str) {
    let folded = countries::fold(word)
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    q.push(" AND (search_text LIKE ")
        .push_bind(format!("%{folded}%"))
        .push(" ESCAPE '\\'");
    for code in countries::named(word) {
        q.push(" OR ' ' || countries || ' ' LIKE ")
            .push_bind(format!("% {code} %"));
    }
    q.push(")");
}

/// Folds the search text of items synced before it was kept (once, after
/// the upgrade that added it; a look in a partial index otherwise).
async fn fold_unfolded(journal: &Journal) -> Result<()> {
    let rows = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} FROM catalog_items WHERE search_text IS NULL"
    ))
    .fetch_all(journal.pool())
    .await?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut tx = journal.begin_write().await?;
    for row in &rows {
        let item = item_from_row(row)?;
        sqlx::query("UPDATE catalog_items SET search_text = ? WHERE provider = ? AND id = ?")
            .bind(searchable(&item))
            .bind(item.provider.as_str())
            .bind(&item.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// What a search word is looked for in, folded, one field a line (a word
/// never spans two fields).
fn searchable(item: &CatalogItem) -> String {
    let fields = [
        item.name.as_str(),
        item.id.as_str(),
        item.supplier.as_deref().unwrap_or_default(),
    ]
    .into_iter()
    .chain(item.countries.iter().map(String::as_str))
    .chain(item.country_names.iter().map(String::as_str))
    .chain(item.tags.iter().map(String::as_str));
    countries::fold(&fields.collect::<Vec<_>>().join("\n"))
}

/// Every supplier and gift-card category in the cached catalog, sorted.
pub async fn facets(journal: &Journal) -> Result<Facets> {
    let suppliers: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT supplier FROM catalog_items WHERE supplier IS NOT NULL AND supplier <> '' ORDER BY supplier",
    )
    .fetch_all(journal.pool())
    .await?;
    let tags: Vec<String> = sqlx::query_scalar("SELECT DISTINCT tags FROM catalog_items WHERE type = 'giftcard'")
        .fetch_all(journal.pool())
        .await?;
    let categories: std::collections::BTreeSet<String> = tags
        .iter()
        .flat_map(|t| t.split(','))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    Ok(Facets {
        suppliers,
        categories: categories.into_iter().collect(),
    })
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
    let row = sqlx::query(&format!(
        "SELECT {ITEM_COLUMNS} FROM catalog_items WHERE provider = ? AND id = ?"
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, item_type: &str, supplier: Option<&str>, tags: &[&str]) -> (CatalogItem, serde_json::Value) {
        let item = CatalogItem {
            provider: ProviderId::Amilon,
            id: id.into(),
            item_type: item_type.into(),
            name: format!("Carte {id}"),
            price_cents: 2500,
            cost_cents: Some(2375),
            currency: "EUR".into(),
            stock: None,
            available: true,
            unavailable_reason: None,
            supplier: supplier.map(str::to_string),
            countries: vec!["FR".into()],
            country_names: vec!["France".into()],
            data_gb: None,
            validity_days: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            recipient: None,
            logo: None,
            min_quantity: Some(1),
            max_quantity: Some(20),
            synced_at: String::new(),
        };
        (item, serde_json::json!({"ProductCode": id}))
    }

    /// A large catalog is written in batches, read a screenful at a time,
    /// and its filters' choices come from the whole of it.
    #[tokio::test]
    async fn replaced_in_batches_listed_up_to_a_limit_with_every_supplier_and_category() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(&dir.path().join("journal.sqlite")).await.unwrap();
        let mut items: Vec<_> = (0..1203)
            .map(|n| item(&format!("FNAC_{n}_EUR"), "giftcard", Some("Fnac"), &["retail"]))
            .collect();
        items.push(item("STEAM_20_EUR", "giftcard", Some("Steam"), &["gaming", "games"]));
        items.push(item("esim-1", "esim", Some("Orange France"), &["europe"]));
        items.push(item("esim-2", "esim", None, &[]));
        replace(&j, ProviderId::Amilon, &items).await.unwrap();
        let all = list(&j, &CatalogFilter::default()).await.unwrap();
        assert_eq!(all.len(), 1206, "every batch written");
        let steam = all.iter().find(|i| i.id == "STEAM_20_EUR").unwrap();
        assert_eq!(
            steam,
            &CatalogItem {
                synced_at: steam.synced_at.clone(),
                ..items[1203].0.clone()
            }
        );
        assert_eq!(
            raw(&j, ProviderId::Amilon, "STEAM_20_EUR").await.unwrap().unwrap()["ProductCode"],
            "STEAM_20_EUR"
        );
        let page = CatalogFilter {
            limit: Some(61),
            ..Default::default()
        };
        assert_eq!(list(&j, &page).await.unwrap().len(), 61);
        let f = facets(&j).await.unwrap();
        assert_eq!(f.suppliers, ["Fnac", "Orange France", "Steam"]);
        assert_eq!(f.categories, ["games", "gaming", "retail"], "gift cards' tags only");
    }

    /// A search is matched on the folded text in SQL, before the screenful's
    /// limit (an item sorted last is still found), takes a typed `%` or `_`
    /// literally, finds a country by its French name where the provider gave
    /// only the code, and finds items synced before the text was kept.
    #[tokio::test]
    async fn searched_in_sql_before_the_limit_whatever_the_case_accents_or_age_of_the_rows() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(&dir.path().join("journal.sqlite")).await.unwrap();
        let mut items: Vec<_> = (0..300)
            .map(|n| item(&format!("AAA_{n}_EUR"), "giftcard", Some("Fnac"), &["retail"]))
            .collect();
        items.push(item("ZZZ_ETE", "giftcard", Some("Décathlon Été"), &["sport"]));
        let mut spain = item("esim-es", "esim", None, &[]);
        spain.0.countries = vec!["ES".into()];
        spain.0.country_names = vec![];
        items.push(spain);
        replace(&j, ProviderId::Amilon, &items).await.unwrap();
        let ids = |found: Vec<CatalogItem>| found.into_iter().map(|i| i.id).collect::<Vec<_>>();
        let search = |s: &str| CatalogFilter {
            search: Some(s.into()),
            limit: Some(10),
            ..Default::default()
        };
        assert_eq!(ids(list(&j, &search("DECATHLON ete")).await.unwrap()), ["ZZZ_ETE"]);
        assert_eq!(ids(list(&j, &search("Espagne")).await.unwrap()), ["esim-es"]);
        assert_eq!(
            list(&j, &search("fnac")).await.unwrap().len(),
            10,
            "limited after matching"
        );
        assert!(list(&j, &search("A%E")).await.unwrap().is_empty(), "% is a character");
        assert!(
            list(&j, &search("aaa_1_eur_")).await.unwrap().is_empty(),
            "_ is a character"
        );
        assert_eq!(ids(list(&j, &search("aaa_12_eur")).await.unwrap()), ["AAA_12_EUR"]);
        // As an upgrade leaves the rows synced before the column.
        sqlx::query("UPDATE catalog_items SET search_text = NULL")
            .execute(j.pool())
            .await
            .unwrap();
        assert_eq!(ids(list(&j, &search("décathlon")).await.unwrap()), ["ZZZ_ETE"]);
        let unfolded: i64 = sqlx::query_scalar("SELECT count(*) FROM catalog_items WHERE search_text IS NULL")
            .fetch_one(j.pool())
            .await
            .unwrap();
        assert_eq!(unfolded, 0, "folded once, kept");
    }
}
