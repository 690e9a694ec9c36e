//! Amilon's wire types. The real service answers in PascalCase with numbers
//! as strings and booleans as 0/1; the integrator's report shows camelCase
//! with plain numbers. Every type here reads both (aliases, and the lenient
//! readers below), tolerates missing fields, and never panics.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The ten cultures the document lists, with the country each sells in.
pub const CULTURES: &[(&str, &str)] = &[
    ("pt-PT", "PT"),
    ("it-IT", "IT"),
    ("da-DK", "DK"),
    ("en-GB", "GB"),
    ("fr-FR", "FR"),
    ("es-ES", "ES"),
    ("de-DE", "DE"),
    ("nl-NL", "NL"),
    ("nn-NO", "NO"),
    ("pl-PL", "PL"),
];

/// The country (ISO 3166 alpha-2) of a documented culture.
pub fn culture_country(culture: &str) -> Option<&'static str> {
    CULTURES
        .iter()
        .find(|(c, _)| *c == culture)
        .map(|(_, country)| *country)
}

/// Readers that take what Amilon actually sends.
pub mod lenient {
    use super::*;

    /// A number, a numeric string (`"12.50"`, `"12,50"`), or nothing.
    pub fn f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(number(&Value::deserialize(d)?))
    }

    pub fn number(v: &Value) -> Option<f64> {
        match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().replace(',', ".").parse().ok(),
            _ => None,
        }
    }

    /// A whole number in any of the same forms.
    pub fn i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(number(&Value::deserialize(d)?).map(|n| n.round() as i64))
    }

    /// `true`/`false`, `0`/`1`, or those as strings.
    pub fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Bool(b) => Some(b),
            Value::Number(n) => n.as_f64().map(|n| n != 0.0),
            Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => Some(true),
                "0" | "false" | "no" => Some(false),
                _ => None,
            },
            _ => None,
        })
    }

    /// A string, or a number written as one; empty strings are nothing.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) if !s.trim().is_empty() => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        })
    }

    /// A list of strings; anything else is an empty list.
    pub fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Array(items) => items
                .into_iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect(),
            Value::String(s) => s
                .split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect(),
            _ => Vec::new(),
        })
    }

    /// A list of `T`; a null or a single broken item does not lose the rest.
    pub fn list<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Array(items) => items
                .into_iter()
                .filter_map(|v| serde_json::from_value(v).ok())
                .collect(),
            _ => Vec::new(),
        })
    }
}

/// `GET /contracts/{contract_id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Contract {
    #[serde(alias = "Id", alias = "ContractId", deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(alias = "Name", deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(alias = "Status", deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(alias = "startDate", alias = "StartDate", deserialize_with = "lenient::string")]
    pub start_date: Option<String>,
    #[serde(alias = "endDate", alias = "EndDate", deserialize_with = "lenient::string")]
    pub end_date: Option<String>,
    #[serde(
        alias = "allowedCountries",
        alias = "AllowedCountries",
        deserialize_with = "lenient::strings"
    )]
    pub allowed_countries: Vec<String>,
    #[serde(
        alias = "maxOrderAmount",
        alias = "MaxOrderAmount",
        deserialize_with = "lenient::f64"
    )]
    pub max_order_amount: Option<f64>,
    #[serde(alias = "Currency", deserialize_with = "lenient::string")]
    pub currency: Option<String>,
}

/// One product of `GET /contracts/{id}/{culture}/products/complete`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Product {
    #[serde(rename = "ProductCode", alias = "productCode", deserialize_with = "lenient::string")]
    pub product_code: Option<String>,
    #[serde(
        rename = "MerchantCode",
        alias = "merchantCode",
        deserialize_with = "lenient::string"
    )]
    pub merchant_code: Option<String>,
    #[serde(rename = "MerchantId", alias = "merchantId", deserialize_with = "lenient::string")]
    pub merchant_id: Option<String>,
    #[serde(rename = "Name", alias = "name", deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(rename = "Description", alias = "description", deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(rename = "Price", alias = "price", deserialize_with = "lenient::f64")]
    pub price: Option<f64>,
    #[serde(rename = "NetPrice", alias = "netPrice", deserialize_with = "lenient::f64")]
    pub net_price: Option<f64>,
    #[serde(rename = "Currency", alias = "currency", deserialize_with = "lenient::string")]
    pub currency: Option<String>,
    #[serde(rename = "Discount", alias = "discount", deserialize_with = "lenient::f64")]
    pub discount: Option<f64>,
    #[serde(rename = "Category", alias = "category", deserialize_with = "lenient::string")]
    pub category: Option<String>,
    #[serde(rename = "CategoryId", alias = "categoryId", deserialize_with = "lenient::string")]
    pub category_id: Option<String>,
    #[serde(rename = "ImageUrl", alias = "imageUrl", deserialize_with = "lenient::string")]
    pub image_url: Option<String>,
    #[serde(rename = "Active", alias = "active", deserialize_with = "lenient::bool")]
    pub active: Option<bool>,
    #[serde(rename = "Stock", alias = "stock", deserialize_with = "lenient::string")]
    pub stock: Option<String>,
    #[serde(rename = "MinQuantity", alias = "minQuantity", deserialize_with = "lenient::i64")]
    pub min_quantity: Option<i64>,
    #[serde(rename = "MaxQuantity", alias = "maxQuantity", deserialize_with = "lenient::i64")]
    pub max_quantity: Option<i64>,
    #[serde(rename = "Terms", alias = "terms", deserialize_with = "lenient::string")]
    pub terms: Option<String>,
    #[serde(
        rename = "DeliveryMethod",
        alias = "deliveryMethod",
        deserialize_with = "lenient::string"
    )]
    pub delivery_method: Option<String>,
    #[serde(
        rename = "DeliveryTime",
        alias = "deliveryTime",
        deserialize_with = "lenient::string"
    )]
    pub delivery_time: Option<String>,
}

impl Product {
    /// Whether Amilon says it can be ordered now: active, and a stock that
    /// does not say otherwise (the document shows `"Available"`).
    pub fn orderable(&self) -> bool {
        let stock_ok = self.stock.as_deref().is_none_or(|s| {
            let s = s.to_ascii_lowercase();
            !(s.contains("out") || s.contains("unavailable") || s == "0" || s == "none")
        });
        self.active.unwrap_or(true) && stock_ok
    }
}

/// One retailer of `GET /contracts/{id}/{culture}/retailers`. The document
/// shows both `id` and `RetailerId`, with the same value.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Retailer {
    #[serde(rename = "id", alias = "Id", deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(rename = "RetailerId", alias = "retailerId", deserialize_with = "lenient::string")]
    pub retailer_id: Option<String>,
    #[serde(rename = "Name", alias = "name", deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(rename = "Description", alias = "description", deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(rename = "LogoUrl", alias = "logoUrl", deserialize_with = "lenient::string")]
    pub logo_url: Option<String>,
    #[serde(rename = "WebsiteUrl", alias = "websiteUrl", deserialize_with = "lenient::string")]
    pub website_url: Option<String>,
    #[serde(rename = "Category", alias = "category", deserialize_with = "lenient::string")]
    pub category: Option<String>,
    #[serde(rename = "Country", alias = "country", deserialize_with = "lenient::string")]
    pub country: Option<String>,
    #[serde(rename = "Active", alias = "active", deserialize_with = "lenient::bool")]
    pub active: Option<bool>,
}

impl Retailer {
    /// The id products refer to it by (`MerchantId`).
    pub fn key(&self) -> Option<&str> {
        self.retailer_id.as_deref().or(self.id.as_deref())
    }
}

/// `GET /retailers/categories`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Category {
    #[serde(rename = "CategoryId", alias = "categoryId", deserialize_with = "lenient::string")]
    pub category_id: Option<String>,
    #[serde(
        rename = "CategoryName",
        alias = "categoryName",
        deserialize_with = "lenient::string"
    )]
    pub category_name: Option<String>,
}

/// The body of `POST /Orders/create/{contract_id}`, as the document writes it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OrderCreation {
    #[serde(alias = "ExternalOrderId")]
    pub external_order_id: String,
    #[serde(alias = "OrderRows")]
    pub order_rows: Vec<OrderRowRequest>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OrderRowRequest {
    #[serde(alias = "ProductId", alias = "ProductCode")]
    pub product_id: String,
    #[serde(alias = "Quantity")]
    pub quantity: u32,
}

/// An order as `Orders/create` and `Orders/{id}/complete` answer it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct AmilonOrder {
    #[serde(
        alias = "Id",
        alias = "OrderId",
        alias = "orderId",
        deserialize_with = "lenient::string"
    )]
    pub id: Option<String>,
    #[serde(
        rename = "ExternalOrderId",
        alias = "externalOrderId",
        deserialize_with = "lenient::string"
    )]
    pub external_order_id: Option<String>,
    /// The report's simplified status (`Pending`, `Completed`, ...).
    #[serde(alias = "Status", deserialize_with = "lenient::string")]
    pub status: Option<String>,
    /// The detailed status; the only one the real service sends.
    #[serde(rename = "OrderStatus", alias = "orderStatus", deserialize_with = "lenient::string")]
    pub order_status: Option<String>,
    #[serde(
        rename = "OrderDate",
        alias = "createdAt",
        alias = "orderDate",
        deserialize_with = "lenient::string"
    )]
    pub order_date: Option<String>,
    #[serde(
        rename = "GrossAmount",
        alias = "totalAmount",
        alias = "grossAmount",
        deserialize_with = "lenient::f64"
    )]
    pub gross_amount: Option<f64>,
    #[serde(rename = "NetAmount", alias = "netAmount", deserialize_with = "lenient::f64")]
    pub net_amount: Option<f64>,
    #[serde(rename = "Currency", alias = "currency", deserialize_with = "lenient::string")]
    pub currency: Option<String>,
    #[serde(rename = "OrderRows", alias = "orderRows", deserialize_with = "lenient::list")]
    pub order_rows: Vec<OrderRow>,
    /// Where the real service puts vouchers: at the top level.
    #[serde(rename = "Vouchers", alias = "vouchers", deserialize_with = "lenient::list")]
    pub vouchers: Vec<Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct OrderRow {
    #[serde(rename = "ProductId", alias = "productId", deserialize_with = "lenient::string")]
    pub product_id: Option<String>,
    #[serde(rename = "Quantity", alias = "quantity", deserialize_with = "lenient::i64")]
    pub quantity: Option<i64>,
    /// Where the report puts vouchers: in each row.
    #[serde(rename = "Vouchers", alias = "vouchers", deserialize_with = "lenient::list")]
    pub vouchers: Vec<Value>,
}

/// Where an Amilon order stands, read from whichever status it sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Created or being processed; vouchers not there yet.
    Waiting,
    Completed,
    Failed,
    Cancelled,
}

impl AmilonOrder {
    /// Every voucher, wherever the answer put it, as sent.
    pub fn all_vouchers(&self) -> Vec<Value> {
        let mut all = self.vouchers.clone();
        for row in &self.order_rows {
            all.extend(row.vouchers.iter().cloned());
        }
        all
    }

    /// The order's state. Completed only once vouchers are there: a
    /// "completed" answer without them is still waiting for them.
    pub fn progress(&self) -> Progress {
        let words = format!(
            "{} {}",
            self.status.as_deref().unwrap_or(""),
            self.order_status.as_deref().unwrap_or("")
        )
        .to_ascii_lowercase();
        if words.contains("cancel") {
            Progress::Cancelled
        } else if words.contains("fail") || words.contains("error") || words.contains("reject") {
            Progress::Failed
        } else if self.all_vouchers().is_empty() {
            Progress::Waiting
        } else if words.contains("complete") || words.contains("deliver") || words.trim().is_empty() {
            Progress::Completed
        } else {
            Progress::Waiting
        }
    }
}

/// A voucher as the counter shows it.
#[derive(ts_rs::TS, Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Voucher {
    #[serde(
        alias = "CardCode",
        alias = "Code",
        alias = "cardCode",
        deserialize_with = "lenient::string"
    )]
    pub code: Option<String>,
    #[serde(alias = "Pin", deserialize_with = "lenient::string")]
    pub pin: Option<String>,
    #[serde(
        alias = "VoucherLink",
        alias = "Url",
        alias = "voucherLink",
        deserialize_with = "lenient::string"
    )]
    pub url: Option<String>,
    #[serde(
        alias = "ValidityEndDate",
        alias = "expiryDate",
        alias = "ExpiryDate",
        alias = "validityEndDate",
        deserialize_with = "lenient::string"
    )]
    pub expiry: Option<String>,
    #[serde(
        alias = "Amount",
        alias = "Value",
        alias = "amount",
        deserialize_with = "lenient::f64"
    )]
    pub value: Option<f64>,
    #[serde(alias = "Currency", deserialize_with = "lenient::string")]
    pub currency: Option<String>,
    #[serde(alias = "Status", deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(alias = "Instructions", deserialize_with = "lenient::string")]
    pub instructions: Option<String>,
    #[serde(alias = "ProductId", alias = "productId", deserialize_with = "lenient::string")]
    pub product_id: Option<String>,
}

impl Voucher {
    pub fn from_raw(v: &Value) -> Voucher {
        serde_json::from_value(v.clone()).unwrap_or_default()
    }

    /// What the customer's QR code holds: the redemption link when there is
    /// one (a phone opens it), else the code itself (a till scans it).
    pub fn qr_payload(&self) -> Option<&str> {
        self.url.as_deref().or(self.code.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_reports_camel_case_order() {
        let o: AmilonOrder = serde_json::from_value(json!({
            "id": "amilon-order-12345", "externalOrderId": "ENGAGE-2025-x", "status": "Completed",
            "orderStatus": "VouchersDelivered", "createdAt": "2025-11-12T10:30:00Z", "totalAmount": 50.00,
            "currency": "EUR",
            "orderRows": [{"productId": "AMAZON_50_EUR", "quantity": 1, "vouchers": [
                {"code": "AMZN-1234", "pin": null, "url": "https://www.amazon.com/x?code=AMZN-1234",
                 "expiryDate": "2026-11-12T23:59:59Z", "value": 50.00, "currency": "EUR",
                 "status": "Active", "instructions": "Redeemable on Amazon.com"}]}]
        }))
        .unwrap();
        assert_eq!(o.id.as_deref(), Some("amilon-order-12345"));
        assert_eq!(o.gross_amount, Some(50.0));
        assert_eq!(o.progress(), Progress::Completed);
        let v = Voucher::from_raw(&o.all_vouchers()[0]);
        assert_eq!(v.code.as_deref(), Some("AMZN-1234"));
        assert_eq!(v.pin, None);
        assert_eq!(v.qr_payload(), Some("https://www.amazon.com/x?code=AMZN-1234"));
        assert_eq!(v.instructions.as_deref(), Some("Redeemable on Amazon.com"));
    }

    #[test]
    fn reads_the_real_services_pascal_case_with_strings() {
        let o: AmilonOrder = serde_json::from_value(json!({
            "ExternalOrderId": "CPT-1", "OrderDate": "2026-01-01T10:00:00", "OrderStatus": "Completed",
            "GrossAmount": "50.00", "NetAmount": "47,50", "Vouchers": [
                {"ProductId": "FNAC_25_EUR", "RetailerId": "r", "VoucherLink": "", "CardCode": "FN-9",
                 "Pin": "1234", "ValidityStartDate": "2026-01-01", "ValidityEndDate": "2027-01-01", "Amount": "25.00"}]
        }))
        .unwrap();
        assert_eq!(o.net_amount, Some(47.5));
        assert_eq!(o.progress(), Progress::Completed);
        let v = Voucher::from_raw(&o.all_vouchers()[0]);
        assert_eq!((v.code.as_deref(), v.pin.as_deref()), (Some("FN-9"), Some("1234")));
        assert_eq!(v.url, None, "an empty link is no link");
        assert_eq!(v.qr_payload(), Some("FN-9"));
        assert_eq!(v.value, Some(25.0));
    }

    #[test]
    fn status_words_and_missing_vouchers() {
        let with = |status: &str, vouchers: Value| -> Progress {
            serde_json::from_value::<AmilonOrder>(json!({"OrderStatus": status, "Vouchers": vouchers}))
                .unwrap()
                .progress()
        };
        assert_eq!(with("Pending", json!([])), Progress::Waiting);
        assert_eq!(with("Completed", json!([])), Progress::Waiting, "no vouchers yet");
        assert_eq!(with("Failed", json!([])), Progress::Failed);
        assert_eq!(with("Cancelled", json!([])), Progress::Cancelled);
        assert_eq!(
            with("ProcessingVouchers", json!([{"CardCode": "x"}])),
            Progress::Waiting
        );
        // Garbage never panics.
        let o: AmilonOrder =
            serde_json::from_value(json!({"Vouchers": "x", "OrderRows": [1, {"Quantity": "2"}]})).unwrap();
        assert_eq!(o.order_rows.len(), 1);
        assert_eq!(o.order_rows[0].quantity, Some(2));
    }

    #[test]
    fn products_with_strings_and_zero_one_booleans() {
        let p: Product = serde_json::from_value(json!({
            "ProductCode": "X", "Price": "25.00", "NetPrice": "23.75", "Active": 0, "MinQuantity": "1", "MaxQuantity": "10"
        }))
        .unwrap();
        assert_eq!((p.price, p.net_price, p.active), (Some(25.0), Some(23.75), Some(false)));
        assert!(!p.orderable());
        let doc: Product =
            serde_json::from_value(json!({"productCode": "Y", "price": 50.0, "active": true, "stock": "Available"}))
                .unwrap();
        assert!(doc.orderable());
        let out: Product =
            serde_json::from_value(json!({"ProductCode": "Z", "Active": "1", "Stock": "OutOfStock"})).unwrap();
        assert!(!out.orderable());
        let c: Contract = serde_json::from_value(
            json!({"Status": "Active", "MaxOrderAmount": "5000.00", "AllowedCountries": ["FR"]}),
        )
        .unwrap();
        assert_eq!(c.max_order_amount, Some(5000.0));
        assert_eq!(culture_country("fr-FR"), Some("FR"));
        assert_eq!(culture_country("xx"), None);
    }
}
