//! The simulator's catalog: Orange's suppliers (one in outage) and offers
//! of every kind the document shows.

use super::super::model::{
    Country, Currency, FeesType, Offer, Product, ProductMetadata, Supplier, SUPPLIER_B2B, SUPPLIER_FRANCE,
    SUPPLIER_SPAIN, SUPPLIER_WELCOME,
};

/// The countries of the simulator's offers (`GET /countries`), in English
/// as the OpenAPI's examples are.
pub(super) const COUNTRIES: &[(&str, &str, u32)] = &[
    ("AU", "Australia", 61),
    ("BE", "Belgium", 32),
    ("CA", "Canada", 1),
    ("DE", "Germany", 49),
    ("ES", "Spain", 34),
    ("FR", "France", 33),
    ("GB", "United Kingdom", 44),
    ("IT", "Italy", 39),
    ("JP", "Japan", 81),
    ("MA", "Morocco", 212),
    ("NL", "Netherlands", 31),
    ("PT", "Portugal", 351),
    ("TH", "Thailand", 66),
    ("US", "United States", 1),
];

pub(super) fn country(code: &str) -> Country {
    let known = COUNTRIES.iter().find(|(c, _, _)| *c == code);
    Country {
        iso_code: code.to_string(),
        name: known.map(|(_, n, _)| n.to_string()),
        phone_prefix: known.map(|(_, _, p)| serde_json::json!(p)),
        flag: Some(format!("https://flagcdn.com/w160/{}.png", code.to_ascii_lowercase())),
    }
}

pub(super) fn countries() -> Vec<Country> {
    COUNTRIES.iter().map(|(c, _, _)| country(c)).collect()
}

pub(super) fn currencies() -> Vec<Currency> {
    let c = |iso: &str, name: &str, eur: f64, usd: f64| Currency {
        iso_code: iso.into(),
        name: Some(name.into()),
        euro_exchange_rate: Some(eur),
        us_dollar_exchange_rate: Some(usd),
        last_change: Some("2026-11-30T00:00:00Z".into()),
    };
    vec![
        c("EUR", "Euro", 1.0, 1.08),
        c("USD", "US Dollar", 0.93, 1.0),
        c("GBP", "Pound Sterling", 1.17, 1.26),
    ]
}

pub(super) fn seed_suppliers() -> Vec<Supplier> {
    let s = |id: &str, name: &str, up: bool, outage: Option<&str>| Supplier {
        id: id.into(),
        name: name.into(),
        connector_status: up,
        last_outage_date: outage.map(str::to_string),
    };
    vec![
        s(SUPPLIER_FRANCE, "Orange France", true, None),
        s(SUPPLIER_WELCOME, "Welcome Travelers", true, None),
        s(SUPPLIER_SPAIN, "Orange Spain", false, Some("2025-03-06T19:07:34Z")),
        s(SUPPLIER_B2B, "Orange Travel B2B", true, None),
    ]
}

/// The product's own uuid, derived from its offer's id so that it stays the
/// same from one run to the next.
pub(crate) fn product_id(offer_id: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("product:{offer_id}"));
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

/// Orange Travel's internal reference, `OT` and nine digits.
pub(crate) fn orange_travel_id(offer_id: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("ot:{offer_id}"));
    let n = u64::from_be_bytes(digest[..8].try_into().expect("eight bytes"));
    format!("OT{:09}", n % 1_000_000_000)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn offer_of(
    id: &str,
    name: &str,
    kind: &str,
    supplier: &str,
    zone: &[&str],
    data_gb: f64,
    days: f64,
    resell: f64,
    fees: f64,
    bucket: i64,
) -> Offer {
    Offer {
        id: id.into(),
        name: name.into(),
        product: Product {
            id: product_id(id),
            orange_travel_id: Some(orange_travel_id(id)),
            name: name.into(),
            description: Some(format!("{name}: {data_gb} GB, {days} days")),
            product_type: kind.into(),
            status: "available".into(),
            delivery: vec!["api".into()],
            reference_currency: Some("EUR".into()),
            bonus_value: Some(0.0),
            bonus_activation_date: None,
            bonus_expiration_date: None,
            supplier_id: supplier.into(),
            metadata: Some(ProductMetadata {
                validity_duration: Some(days),
                validity_unit: Some("days".into()),
                sms: Some(serde_json::json!("0")),
                airtime_duration: Some(0.0),
                airtime_unit: Some("hours".into()),
                data_amount: Some(data_gb),
                data_unit: Some("Gb".into()),
                ..Default::default()
            }),
            coverage_zone: zone.iter().map(|z| country(z)).collect(),
            tags: vec![],
        },
        distributor_id: Some("e80797d1-e182-4079-a757-194d67998d2f".into()),
        bucket_update_date: None,
        tags: if kind == "eSim" {
            vec!["esim".into(), "travel".into()]
        } else {
            vec!["topup".into()]
        },
        creation_date: Some("2024-07-16T12:52:11Z".into()),
        expiration_date: None,
        bucket,
        resell_value: resell,
        distributor_fees: fees,
        distributor_fees_type: FeesType::Value,
        metadata: None,
    }
}

/// A catalog that exercises the counter: several zones, low and empty
/// stock, a supplier in outage, both top-up parameters. Priced in whole
/// euros, as the OpenAPI declares `resell_value` and the fees integers
/// (the client reads the prose's decimals too: `model` tests).
pub(super) fn seed_offers() -> Vec<Offer> {
    vec![
        offer_of(
            "07966928-d3a3-453e-9944-b7ff1081794d",
            "Orange Holiday Europe 30 Go",
            "eSim",
            SUPPLIER_FRANCE,
            &["FR", "ES", "IT", "DE", "PT", "BE", "NL"],
            30.0,
            14.0,
            27.0,
            3.0,
            120,
        ),
        offer_of(
            "1b2c3d4e-0000-4000-8000-000000000002",
            "Orange Holiday Zen 12 Go",
            "eSim",
            SUPPLIER_FRANCE,
            &["FR", "ES", "IT", "DE", "GB"],
            12.0,
            14.0,
            18.0,
            2.0,
            4,
        ),
        offer_of(
            "1b2c3d4e-0000-4000-8000-000000000003",
            "Travel World 10 Go",
            "eSim",
            SUPPLIER_WELCOME,
            &["US", "CA", "JP", "TH", "AU", "MA"],
            10.0,
            30.0,
            34.0,
            5.0,
            35,
        ),
        offer_of(
            "1b2c3d4e-0000-4000-8000-000000000004",
            "Travel USA 5 Go",
            "eSim",
            SUPPLIER_WELCOME,
            &["US"],
            5.0,
            15.0,
            19.0,
            3.0,
            0,
        ),
        offer_of(
            "7b977bd5-c7dc-4681-bf33-c4bd2eadc266",
            "Recharge Orange France 10 €",
            "topup",
            SUPPLIER_FRANCE,
            &["FR"],
            5.0,
            30.0,
            8.0,
            2.0,
            101,
        ),
        offer_of(
            "1b2c3d4e-0000-4000-8000-000000000006",
            "Recharge Orange France 20 €",
            "topup",
            SUPPLIER_FRANCE,
            &["FR"],
            20.0,
            30.0,
            16.0,
            4.0,
            80,
        ),
        offer_of(
            "1b2c3d4e-0000-4000-8000-000000000007",
            "Recarga Orange España 15 €",
            "topup",
            SUPPLIER_SPAIN,
            &["ES"],
            8.0,
            30.0,
            12.0,
            3.0,
            50,
        ),
        offer_of(
            "44f9d3b6-242e-47c6-b978-88d5e2e041ce",
            "Recharge Welcome Travelers 15 €",
            "topup",
            SUPPLIER_WELCOME,
            &["FR"],
            10.0,
            30.0,
            12.0,
            3.0,
            60,
        ),
    ]
}
