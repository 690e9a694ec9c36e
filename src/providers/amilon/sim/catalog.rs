//! The simulator's catalogue: the retailers, their face values and
//! discounts, the categories, and the names and terms per culture.

use super::{TWITCH_ID, TWITCH_MERCHANT_ID};
/// A retailer of the simulated catalogue.
pub(super) struct Shop {
    pub(super) id: &'static str,
    pub(super) merchant_id: &'static str,
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) category: &'static str,
    pub(super) discount: f64,
    pub(super) values: &'static [u32],
    pub(super) max_quantity: u32,
    /// Vouchers carry a PIN.
    pub(super) pin: bool,
    /// Vouchers carry a redemption link.
    pub(super) link: Option<&'static str>,
    pub(super) color: [u8; 3],
}

pub(super) const SHOPS: &[Shop] = &[
    Shop {
        id: "a1234567-89ab-cdef-0123-456789abcdef",
        merchant_id: "a1234567-89ab-cdef-0123-456789abcdef",
        code: "AMAZON",
        name: "Amazon",
        category: "cat-001",
        discount: 5.0,
        values: &[10, 25, 50, 100],
        max_quantity: 10,
        pin: false,
        link: Some("https://www.amazon.fr/gc/redeem?claimCode="),
        color: [255, 153, 0],
    },
    Shop {
        id: "b2345678-90ab-cdef-1234-56789abcdef0",
        merchant_id: "b2345678-90ab-cdef-1234-56789abcdef0",
        code: "FNAC",
        name: "Fnac",
        category: "cat-002",
        discount: 5.0,
        values: &[10, 25, 50, 100],
        max_quantity: 20,
        pin: true,
        link: None,
        color: [226, 170, 0],
    },
    Shop {
        id: "c3456789-01bc-4def-8234-56789abcdef1",
        merchant_id: "c3456789-01bc-4def-8234-56789abcdef1",
        code: "DECATHLON",
        name: "Decathlon",
        category: "cat-002",
        discount: 6.0,
        values: &[20, 50, 100],
        max_quantity: 10,
        pin: true,
        link: None,
        color: [0, 130, 195],
    },
    Shop {
        id: "d4567890-12cd-4ef0-9345-6789abcdef12",
        merchant_id: "d4567890-12cd-4ef0-9345-6789abcdef12",
        code: "ZALANDO",
        name: "Zalando",
        category: "cat-001",
        discount: 7.0,
        values: &[25, 50, 100],
        max_quantity: 10,
        pin: false,
        link: Some("https://www.zalando.fr/gift-card?code="),
        color: [255, 105, 0],
    },
    Shop {
        id: "e5678901-23de-4f01-a456-789abcdef123",
        merchant_id: "e5678901-23de-4f01-a456-789abcdef123",
        code: "SPOTIFY",
        name: "Spotify",
        category: "cat-003",
        discount: 3.0,
        values: &[10, 30, 60],
        max_quantity: 5,
        pin: false,
        link: None,
        color: [30, 215, 96],
    },
    Shop {
        id: "f6789012-34ef-4012-b567-89abcdef1234",
        merchant_id: "f6789012-34ef-4012-b567-89abcdef1234",
        code: "UBEREATS",
        name: "Uber Eats",
        category: "cat-004",
        discount: 8.0,
        values: &[15, 25, 50],
        max_quantity: 10,
        pin: false,
        link: Some("https://www.ubereats.com/gift?code="),
        color: [6, 193, 103],
    },
    Shop {
        id: "07890123-45f0-4123-8678-9abcdef12345",
        merchant_id: "07890123-45f0-4123-8678-9abcdef12345",
        code: "AIRBNB",
        name: "Airbnb",
        category: "cat-005",
        discount: 4.0,
        values: &[50, 100, 250],
        max_quantity: 2,
        pin: false,
        link: Some("https://www.airbnb.fr/giftcards/redeem?code="),
        color: [255, 90, 95],
    },
    Shop {
        id: "08901234-5601-4234-9789-abcdef123456",
        merchant_id: "08901234-5601-4234-9789-abcdef123456",
        code: "STEAM",
        name: "Steam",
        category: "cat-006",
        discount: 3.0,
        values: &[20, 50, 100],
        max_quantity: 5,
        pin: false,
        link: None,
        color: [23, 26, 33],
    },
    Shop {
        id: TWITCH_ID,
        merchant_id: TWITCH_MERCHANT_ID,
        code: "TWITCH",
        name: "Twitch",
        category: "cat-006",
        discount: 5.0,
        values: &[10, 25],
        max_quantity: 5,
        pin: false,
        link: None,
        color: [145, 70, 255],
    },
];

pub(super) const CATEGORIES: &[(&str, &str)] = &[
    ("cat-001", "e-commerce"),
    ("cat-002", "retail"),
    ("cat-003", "entertainment"),
    ("cat-004", "food-delivery"),
    ("cat-005", "travel"),
    ("cat-006", "gaming"),
];

/// Out of stock in the catalogue itself (`Active` 0).
pub(super) const INACTIVE_PRODUCT: &str = "DECATHLON_100_EUR";

pub(super) fn product_code(shop: &Shop, value: u32) -> String {
    format!("{}_{value}_EUR", shop.code)
}

/// A product's name in the culture's language.
pub(super) fn card_name(culture: &str, retailer: &str, value: u32) -> String {
    match culture {
        "fr-FR" => format!("Carte cadeau {retailer} {value} €"),
        "it-IT" => format!("Buono regalo {retailer} {value} €"),
        "pt-PT" => format!("Cartão presente {retailer} {value} €"),
        "es-ES" => format!("Tarjeta regalo {retailer} {value} €"),
        "de-DE" => format!("{retailer} Geschenkkarte {value} €"),
        "nl-NL" => format!("{retailer} cadeaukaart € {value}"),
        "da-DK" => format!("{retailer} gavekort {value} €"),
        "nn-NO" => format!("{retailer} gåvekort {value} €"),
        "pl-PL" => format!("Karta podarunkowa {retailer} {value} €"),
        _ => format!("{retailer} Gift Card €{value}"),
    }
}

pub(super) fn terms(culture: &str) -> &'static str {
    match culture {
        "fr-FR" => "Valable 12 mois à compter de l'achat. Non remboursable.",
        "it-IT" => "Valido 12 mesi dall'acquisto. Non rimborsabile.",
        "es-ES" => "Válida durante 12 meses desde la compra. No reembolsable.",
        "pt-PT" => "Válido 12 meses após a compra. Não reembolsável.",
        _ => "Valid for 12 months from purchase. Not refundable.",
    }
}
