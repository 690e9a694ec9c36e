//! Amilon: gift cards and vouchers. This module turns Amilon's catalogue
//! into the counter's (with the shop's rules) and checks the contract
//! before a sale. Keeping the catalogue, the logos and the sale itself are
//! the domain's, in `crate::giftcard`.

pub mod client;
pub mod model;
pub mod sim;

pub use client::Client;

use crate::catalog::{to_cents, CatalogItem};
use crate::error::{Error, ErrorKind, Result};
use crate::settings::Settings;
use crate::types::{Field, FieldRole, ProviderId};
use model::{culture_country, Contract, Product, Retailer};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// Configuration fields, in the order of the CLI contract
/// (`shared/spec/cli.md`).
pub const FIELDS: &[Field] = &[
    Field::new(
        "url",
        "COMPTOIR_AMILON_URL",
        FieldRole::Url("https://b2bsales-api.amilon.eu/b2bwebapi/v1"),
    ),
    Field::new(
        "token_url",
        "COMPTOIR_AMILON_TOKEN_URL",
        FieldRole::Url("https://b2bsales-sso.amilon.eu/connect/token"),
    ),
    Field::new("client_id", "COMPTOIR_AMILON_CLIENT_ID", FieldRole::Credential),
    Field::new("client_secret", "COMPTOIR_AMILON_CLIENT_SECRET", FieldRole::Secret),
    Field::new("username", "COMPTOIR_AMILON_USERNAME", FieldRole::Credential),
    Field::new("password", "COMPTOIR_AMILON_PASSWORD", FieldRole::Secret),
    Field::new("contract_id", "COMPTOIR_AMILON_CONTRACT_ID", FieldRole::Credential),
    Field::new("culture", "COMPTOIR_AMILON_CULTURE", FieldRole::Option("fr-FR"))
        .checked(is_culture, "a culture such as fr-FR"),
];

/// Settings: retailer ids (or merchant codes) the shop does not sell.
pub const HIDDEN_RETAILERS: &str = "amilon.hidden_retailers";
/// Settings: the face values the shop offers, in euros; empty or absent is all.
pub const FACE_VALUES: &str = "amilon.face_values";

/// The shop's rules on Amilon's catalogue, from Settings.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShopRules {
    pub hidden: HashSet<String>,
    pub face_values: Vec<f64>,
}

impl ShopRules {
    pub fn from_settings(settings: &Settings) -> Self {
        let all = settings.all();
        let hidden = all
            .get(HIDDEN_RETAILERS)
            .and_then(Value::as_array)
            .map(|ids| {
                ids.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_ascii_lowercase)
                    .collect()
            })
            .unwrap_or_default();
        let face_values = all
            .get(FACE_VALUES)
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(model::lenient::number).collect())
            .unwrap_or_default();
        ShopRules { hidden, face_values }
    }

    pub fn hides(&self, ids: &[Option<&str>]) -> bool {
        ids.iter()
            .flatten()
            .any(|id| self.hidden.contains(&id.to_ascii_lowercase()))
    }

    fn offers(&self, price: f64) -> bool {
        self.face_values.is_empty() || self.face_values.iter().any(|v| (v - price).abs() < 0.005)
    }
}

/// The counter's gift-card items from Amilon's products and retailers. A
/// product is left out when its retailer is hidden or inactive, or its face
/// value is not one the shop offers; one without a code or a price is
/// skipped (never guessed).
pub fn catalog_items(
    products: &[Value],
    retailers: &[Value],
    categories: &[Value],
    culture: &str,
    rules: &ShopRules,
    logos: &HashMap<String, String>,
) -> Vec<(CatalogItem, Value)> {
    let retailers: Vec<Retailer> = retailers
        .iter()
        .filter_map(|r| serde_json::from_value(r.clone()).ok())
        .collect();
    // A product names its category, or only gives its id: then the
    // categories endpoint names it.
    let category_names: HashMap<String, String> = categories
        .iter()
        .filter_map(|c| serde_json::from_value::<model::Category>(c.clone()).ok())
        .filter_map(|c| Some((c.category_id?, c.category_name?)))
        .collect();
    let country = culture_country(culture).unwrap_or_default().to_string();
    let mut items = Vec::new();
    for raw in products {
        let Ok(p) = serde_json::from_value::<Product>(raw.clone()) else {
            continue;
        };
        let (Some(code), Some(price)) = (p.product_code.clone(), p.price) else {
            continue;
        };
        let retailer = retailers.iter().find(|r| {
            let merchant = p.merchant_id.as_deref();
            merchant.is_some() && (r.key() == merchant || r.id.as_deref() == merchant)
        });
        let ids = [
            p.merchant_id.as_deref(),
            p.merchant_code.as_deref(),
            retailer.and_then(|r| r.id.as_deref()),
            retailer.and_then(|r| r.retailer_id.as_deref()),
        ];
        let retailer_inactive = retailer.is_some_and(|r| r.active == Some(false));
        if rules.hides(&ids) || retailer_inactive || !rules.offers(price) {
            continue;
        }
        let orderable = p.orderable();
        let logo = retailer
            .and_then(|r| r.logo_url.as_deref())
            .or(p.image_url.as_deref())
            .and_then(|url| logos.get(url).cloned());
        let item = CatalogItem {
            country_names: vec![],
            provider: ProviderId::Amilon,
            id: code,
            item_type: "giftcard".into(),
            name: p
                .name
                .clone()
                .unwrap_or_else(|| p.product_code.clone().unwrap_or_default()),
            price_cents: to_cents(price),
            cost_cents: p.net_price.map(to_cents),
            currency: p.currency.clone().unwrap_or_else(|| "EUR".into()),
            stock: None,
            available: orderable,
            unavailable_reason: (!orderable).then(|| "out_of_stock".to_string()),
            supplier: retailer.and_then(|r| r.name.clone()).or(p.merchant_code.clone()),
            countries: vec![country.clone()],
            data_gb: None,
            validity_days: None,
            tags: p
                .category
                .clone()
                .or_else(|| p.category_id.as_ref().and_then(|id| category_names.get(id).cloned()))
                .into_iter()
                .collect(),
            recipient: None,
            logo,
            min_quantity: Some(p.min_quantity.unwrap_or(1).max(1)),
            max_quantity: p.max_quantity,
            synced_at: String::new(),
        };
        items.push((item, raw.clone()));
    }
    items
}

/// Whether the contract allows a sale of `total` euros in `currency` today,
/// in the shop's culture. Checked before anything is written or sent.
pub fn check_contract(
    contract: &Contract,
    culture: &str,
    total: f64,
    currency: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let status = contract.status.as_deref().unwrap_or("");
    if !status.eq_ignore_ascii_case("active") {
        return Err(Error::new(
            ErrorKind::Refused,
            "amilon.contract_inactive",
            format!("the Amilon contract is not active ({status}); gift cards cannot be sold — call Amilon"),
        )
        .with("status", status));
    }
    let date = |d: &Option<String>| d.as_deref().and_then(parse_date);
    if let Some(end) = date(&contract.end_date).filter(|end| *end < now) {
        return Err(Error::new(
            ErrorKind::Refused,
            "amilon.contract_expired",
            format!(
                "the Amilon contract ended on {}; gift cards cannot be sold — renew it with Amilon",
                end.format("%Y-%m-%d")
            ),
        )
        .with("date", end.format("%Y-%m-%d").to_string()));
    }
    if let Some(start) = date(&contract.start_date).filter(|start| *start > now) {
        return Err(Error::new(
            ErrorKind::Refused,
            "amilon.contract_not_started",
            format!("the Amilon contract starts on {}", start.format("%Y-%m-%d")),
        )
        .with("date", start.format("%Y-%m-%d").to_string()));
    }
    let country = culture_country(culture).unwrap_or("");
    let allowed = &contract.allowed_countries;
    if !allowed.is_empty() && !allowed.iter().any(|c| c.eq_ignore_ascii_case(country)) {
        return Err(Error::new(
            ErrorKind::Refused,
            "amilon.country_not_allowed",
            format!(
                "the Amilon contract does not cover {country} (only {}); change the catalog's culture in Settings",
                allowed.join(", ")
            ),
        )
        .with("country", country)
        .with("allowed", allowed.join(", ")));
    }
    if let Some(c) = contract
        .currency
        .as_deref()
        .filter(|c| !c.eq_ignore_ascii_case(currency))
    {
        return Err(Error::invalid(
            "amilon.currency_mismatch",
            format!("the contract is in {c}, the gift card in {currency}"),
        ));
    }
    if let Some(max) = contract.max_order_amount.filter(|max| total > *max + 1e-9) {
        return Err(Error::invalid(
            "amilon.above_max_order",
            format!("{total:.2} is above the contract's limit per order ({max:.2}); sell fewer cards at once"),
        )
        .with("max", format!("{max:.2}"))
        .with("total", format!("{total:.2}")));
    }
    Ok(())
}

/// Amilon writes dates with or without a zone (`2025-12-31T23:59:59Z`,
/// `2025-12-31T23:59:59`, `2025-12-31`); without one, UTC is assumed.
fn parse_date(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(Utc.from_utc_datetime(&d));
    }
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
        .ok()
        .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(23, 59, 59).expect("valid time")))
}

/// A culture as Amilon takes it: `fr-FR`, `it-IT` (language, then country).
pub fn is_culture(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 5
        && b[..2].iter().all(u8::is_ascii_lowercase)
        && b[2] == b'-'
        && b[3..].iter().all(u8::is_ascii_uppercase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn contract(status: &str, end: &str) -> Contract {
        serde_json::from_value(
            json!({"Status": status, "StartDate": "2024-01-01T00:00:00Z", "EndDate": end,
            "AllowedCountries": ["PT", "FR"], "MaxOrderAmount": "500.00", "Currency": "EUR"}),
        )
        .unwrap()
    }

    #[test]
    fn the_contract_decides_before_anything_is_sent() {
        let now = chrono::Utc::now();
        let ok = contract("Active", "2999-12-31T23:59:59Z");
        assert!(check_contract(&ok, "fr-FR", 50.0, "EUR", now).is_ok());
        let code =
            |c: &Contract, culture: &str, total: f64| check_contract(c, culture, total, "EUR", now).unwrap_err().code;
        assert_eq!(
            code(&contract("Inactive", "2999-12-31"), "fr-FR", 5.0),
            "amilon.contract_inactive"
        );
        // The report's own example contract ended in 2025.
        assert_eq!(
            code(&contract("Active", "2025-12-31T23:59:59Z"), "fr-FR", 5.0),
            "amilon.contract_expired"
        );
        assert_eq!(code(&ok, "it-IT", 5.0), "amilon.country_not_allowed");
        assert_eq!(code(&ok, "fr-FR", 500.01), "amilon.above_max_order");
        assert!(check_contract(&ok, "fr-FR", 500.0, "EUR", now).is_ok());
        assert_eq!(
            check_contract(&ok, "fr-FR", 5.0, "GBP", now).unwrap_err().code,
            "amilon.currency_mismatch"
        );
    }

    #[test]
    fn shop_rules_hide_retailers_and_keep_face_values() {
        let products = vec![
            json!({"ProductCode": "AMAZON_25_EUR", "MerchantId": "a1", "MerchantCode": "AMAZON", "Name": "Amazon 25", "Price": "25.00", "NetPrice": "23.75", "Active": 1, "Category": "e-commerce", "MaxQuantity": "10"}),
            json!({"ProductCode": "AMAZON_50_EUR", "MerchantId": "a1", "Name": "Amazon 50", "Price": "50.00", "NetPrice": "47.50", "Active": 1, "CategoryId": "cat-9"}),
            json!({"ProductCode": "TWITCH_10_EUR", "MerchantId": "tw-merchant", "Name": "Twitch", "Price": "10.00", "Active": 1}),
            json!({"ProductCode": "FNAC_10_EUR", "MerchantId": "f1", "Name": "Fnac", "Price": 10, "Active": 0}),
            json!({"Name": "no code", "Price": 10}),
        ];
        let retailers = vec![
            json!({"id": "a1", "RetailerId": "a1", "Name": "Amazon", "LogoUrl": "http://cdn/amazon.png", "Active": 1}),
            json!({"id": "tw-id", "RetailerId": "tw-merchant", "Name": "Twitch", "Active": 1}),
            json!({"id": "f1", "RetailerId": "f1", "Name": "Fnac", "Active": "1"}),
        ];
        let logos = [("http://cdn/amazon.png".to_string(), "0123456789abcdef.png".to_string())].into();
        let categories = vec![json!({"CategoryId": "cat-9", "CategoryName": "e-books"})];
        let all = catalog_items(
            &products,
            &retailers,
            &categories,
            "fr-FR",
            &ShopRules::default(),
            &logos,
        );
        assert_eq!(all.len(), 4, "the product without a code is skipped");
        let amazon = &all[0].0;
        assert_eq!((amazon.price_cents, amazon.cost_cents), (2500, Some(2375)));
        assert_eq!(amazon.supplier.as_deref(), Some("Amazon"));
        assert_eq!(amazon.logo.as_deref(), Some("0123456789abcdef.png"));
        assert_eq!((amazon.min_quantity, amazon.max_quantity), (Some(1), Some(10)));
        assert_eq!(amazon.countries, vec!["FR"]);
        assert_eq!(all[1].0.tags, vec!["e-books"], "named by the categories endpoint");
        let fnac = all.iter().find(|(i, _)| i.id == "FNAC_10_EUR").unwrap();
        assert_eq!(fnac.0.unavailable_reason.as_deref(), Some("out_of_stock"));

        // Twitch hidden by its retailer id (the report's way), face values 25 only.
        let rules = ShopRules {
            hidden: ["TW-ID".to_ascii_lowercase()].into(),
            face_values: vec![25.0, 10.0],
        };
        let kept: Vec<String> = catalog_items(&products, &retailers, &[], "fr-FR", &rules, &logos)
            .into_iter()
            .map(|(i, _)| i.id)
            .collect();
        assert_eq!(kept, vec!["AMAZON_25_EUR", "FNAC_10_EUR"]);
    }
}
