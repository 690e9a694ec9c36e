//! The customer's ticket: what they bought, for how much, and what they need
//! to use it (the eSIM's QR code, number, PIN, PUK, the identity duty), in
//! two paper sizes, as PDF (for the system's printing or to keep) and as
//! ESC/POS bytes for a thermal printer (network `host:9100` or a device).

//!
//! This module holds the ticket's words and its parts; `pdf` and `escpos`
//! lay it out; each provider's domain module adds its sections
//! (`esim::receipt`, `giftcard::receipt`); `app::print` assembles and sends.

mod charsets;
mod escpos;
mod metrics;
mod pdf;

pub use crate::printer::Layout;
pub use escpos::{escpos, send};
pub use pdf::pdf;

use crate::journal::Order;
use crate::settings::{Settings, PAPER, SHOP_ADDRESS, SHOP_NAME};
use serde::Serialize;

/// Everything printed, already in words.
#[derive(Debug, Clone, Serialize)]
pub struct Ticket {
    pub shop: String,
    pub address: Option<String>,
    pub order_id: String,
    pub date: String,
    pub product: String,
    pub price: String,
    /// What the customer takes away: an eSIM, or each gift card voucher.
    pub sections: Vec<Section>,
    /// Label and value lines about the whole order (reference, topped-up line).
    pub facts: Vec<(String, String)>,
    pub notes: Vec<String>,
    /// Between a label and its value, as the language writes it: French
    /// puts a no-break space before the colon (`Rechargé : 06…`).
    #[serde(skip)]
    pub colon: &'static str,
}

impl Ticket {
    /// A label and its value on one line; a label without a value is a
    /// statement of its own ("Non délivré : remboursé (Espèces)"), printed
    /// without a colon left hanging after it.
    pub fn fact_line(&self, (label, value): &(String, String)) -> String {
        if value.is_empty() {
            return label.clone();
        }
        format!("{label}{}{value}", self.colon)
    }
}

/// One thing handed over: its QR code and the lines printed under it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Section {
    /// "Gift card 1/2" when the order holds several.
    pub heading: Option<String>,
    /// QR payload (an eSIM's activation code, a voucher's link or code).
    pub qr: Option<String>,
    /// Label and value lines under the QR (number, PIN, PUK, code...).
    pub facts: Vec<(String, String)>,
}

/// The ticket's words, in the shop's language.
pub struct Words {
    /// `fr` or `en`: how amounts and numbers are written.
    pub lang: &'static str,
    /// Between a label and its value (`Numéro : `, `Number: `).
    pub colon: &'static str,
    pub training: &'static str,
    pub topped_up: &'static str,
    pub reference: &'static str,
    pub number: &'static str,
    pub data: &'static str,
    pub valid: &'static str,
    pub days: &'static str,
    pub install: &'static str,
    pub kyc: &'static str,
    pub gift_card: &'static str,
    pub code: &'static str,
    pub value: &'static str,
    pub valid_until: &'static str,
    pub link: &'static str,
    pub paid_on_bill: &'static str,
    pub subscription: &'static str,
    pub transaction: &'static str,
    /// Beside the order an Internet+ payment paid for.
    pub paid_for: &'static str,
    /// Beside the payment that paid for a product.
    pub paid_by: &'static str,
    /// A duplicate printed at another counter than the one that sold it.
    pub sold_at: &'static str,
    /// The till's receipt: its number, lines and payments.
    pub receipt: &'static str,
    /// "{n} articles".
    pub items: &'static str,
    pub total: &'static str,
    pub cash: &'static str,
    pub card: &'static str,
    pub internet_plus: &'static str,
    pub given: &'static str,
    pub change: &'static str,
    pub authorisation: &'static str,
    /// "{tender}" is replaced by the means.
    pub refunded: &'static str,
    pub to_settle: &'static str,
    pub cashier: &'static str,
    /// "{rate}" is replaced by the rate.
    pub vat: &'static str,
    pub excl_tax: &'static str,
    pub tax: &'static str,
    /// A training receipt's heading.
    pub dummy: &'static str,
    pub outside_vat: &'static str,
    pub counter: &'static str,
    pub software: &'static str,
    pub seal: &'static str,
    /// A correcting receipt's heading, before its number.
    pub correction: &'static str,
    /// "{receipt}" is replaced by the number of the receipt it cancels.
    pub cancels: &'static str,
    pub cancels_part: &'static str,
    /// On a corrected receipt's reprint, before its correction's number.
    pub cancelled_by: &'static str,
    pub corrected_by: &'static str,
}

const FR: Words = Words {
    lang: "fr",
    training: "FACTICE — MODE FORMATION : rien n'a été vendu",
    colon: "\u{a0}: ",
    topped_up: "Rechargé",
    reference: "Référence",
    number: "Numéro",
    data: "Données",
    valid: "Validité",
    days: "jours",
    install: "Installation : Réglages du téléphone > Réseau mobile > Ajouter une eSIM > scanner ce code.",
    kyc: "Enregistrez une pièce d'identité avant le {date}, sinon la ligne est coupée :",
    gift_card: "Carte cadeau",
    code: "Code",
    value: "Valeur",
    valid_until: "Valable jusqu'au",
    link: "Le code QR ouvre la carte sur le téléphone.",
    paid_on_bill: "Payé sur la facture Internet {operator} (Internet+ Box)",
    subscription: "Abonnement",
    transaction: "Transaction",
    paid_for: "Commande payée",
    paid_by: "Payé par le paiement Internet+",
    sold_at: "Vendu au comptoir",
    receipt: "Ticket n°",
    items: "{n} article(s)",
    total: "Total",
    cash: "Espèces",
    card: "Carte bancaire",
    internet_plus: "Internet+ Box",
    given: "Reçu",
    change: "Rendu",
    authorisation: "Autorisation",
    refunded: "Non délivré : remboursé ({tender})",
    to_settle: "À régulariser : Comptoir le livrera ou le remboursera",
    cashier: "Vendeur",
    vat: "TVA {rate} %",
    excl_tax: "HT",
    tax: "TVA",
    dummy: "FACTICE",
    outside_vat: "Hors champ de TVA (mandat, bon polyvalent)",
    counter: "Caisse",
    software: "Logiciel",
    seal: "Signature",
    correction: "Ticket d'annulation n°",
    cancels: "Ce ticket annule le ticket n° {receipt}",
    cancels_part: "Ce ticket annule en partie le ticket n° {receipt}",
    cancelled_by: "Annulé par le ticket",
    corrected_by: "Corrigé par le ticket",
};

const EN: Words = Words {
    lang: "en",
    training: "DUMMY — TRAINING MODE: nothing was sold",
    colon: ": ",
    topped_up: "Topped up",
    reference: "Reference",
    number: "Number",
    data: "Data",
    valid: "Valid",
    days: "days",
    install: "Install: phone Settings > Mobile network > Add eSIM > scan this code.",
    kyc: "Register an identity document before {date} or the line is cut:",
    gift_card: "Gift card",
    code: "Code",
    value: "Value",
    valid_until: "Valid until",
    link: "The QR code opens the card on a phone.",
    paid_on_bill: "Paid on the {operator} Internet bill (Internet+ Box)",
    subscription: "Subscription",
    transaction: "Transaction",
    paid_for: "Order paid for",
    paid_by: "Paid by Internet+ payment",
    sold_at: "Sold at counter",
    receipt: "Receipt no.",
    items: "{n} item(s)",
    total: "Total",
    cash: "Cash",
    card: "Card",
    internet_plus: "Internet+ Box",
    given: "Tendered",
    change: "Change",
    authorisation: "Authorisation",
    refunded: "Not delivered: refunded ({tender})",
    to_settle: "To settle: Comptoir will deliver or refund it",
    cashier: "Cashier",
    vat: "VAT {rate} %",
    excl_tax: "excl.",
    tax: "VAT",
    dummy: "DUMMY",
    outside_vat: "Outside VAT (agent sale, multi-purpose voucher)",
    counter: "Counter",
    software: "Software",
    seal: "Signature",
    correction: "Cancellation receipt no.",
    cancels: "This receipt cancels receipt no. {receipt}",
    cancels_part: "This receipt cancels part of receipt no. {receipt}",
    cancelled_by: "Cancelled by receipt",
    corrected_by: "Corrected by receipt",
};

/// The language chosen in Settings, else the system's (`LANG`), French by default.
pub fn words(settings: &Settings) -> &'static Words {
    let chosen = settings.get_str(crate::settings::LOCALE);
    let english = match chosen {
        Some(l) => l.starts_with("en"),
        None => crate::settings::system_language() == Some("en"),
    };
    if english {
        &EN
    } else {
        &FR
    }
}

/// The paper chosen in Settings for PDF and system printing; receipts by default.
pub fn paper(settings: &Settings) -> Layout {
    settings
        .get_str(PAPER)
        .and_then(|p| p.parse().ok())
        .unwrap_or(Layout::Receipt)
}

/// Pushes `label: value` when there is a value.
pub fn fact(facts: &mut Vec<(String, String)>, label: &str, value: Option<String>) {
    if let Some(v) = value {
        facts.push((label.to_string(), v));
    }
}

/// `2027-11-22T00:00:00` (or a plain date) as the shop reads it: 22/11/2027.
pub fn day(text: &str) -> String {
    chrono::NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| text.to_string())
}

pub fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// An amount as the shop's language writes it (`types::cents::display`).
pub fn money(cents: i64, currency: &str, w: &Words) -> String {
    crate::types::cents::display(cents, currency, w.lang)
}

/// The ticket's head for an order: the shop, the date, the product and its
/// price, and the training notice; no sections yet.
pub fn base(order: &Order, settings: &Settings) -> Ticket {
    let mut t = Ticket {
        shop: settings.get_str(SHOP_NAME).unwrap_or("Comptoir").to_string(),
        address: settings.get_str(SHOP_ADDRESS).map(str::to_string),
        order_id: order.id.clone(),
        date: local_time(&order.created_at),
        product: order.product_name.clone(),
        price: money(order.amount_cents, &order.currency, words(settings)),
        sections: Vec::new(),
        facts: Vec::new(),
        notes: Vec::new(),
        colon: words(settings).colon,
    };
    if order.training {
        t.notes.push(words(settings).training.into());
    }
    t
}

#[cfg(test)]
mod tests {
    use super::charsets::{CP858_HIGH, NEAREST, WINANSI_80_9F};

    #[test]
    fn a_fact_without_a_value_is_printed_without_a_colon() {
        let t = Ticket {
            shop: String::new(),
            address: None,
            order_id: String::new(),
            date: String::new(),
            product: String::new(),
            price: String::new(),
            sections: vec![],
            facts: vec![],
            notes: vec![],
            colon: FR.colon,
        };
        assert_eq!(
            t.fact_line(&("Rechargé".into(), "06 84".into())),
            "Rechargé\u{a0}: 06 84"
        );
        assert_eq!(
            t.fact_line(&("Non délivré : remboursé (Espèces)".into(), String::new())),
            "Non délivré : remboursé (Espèces)"
        );
    }

    #[test]
    fn amounts_are_written_in_the_shops_language() {
        assert_eq!(money(1000, "EUR", &FR), "10,00\u{a0}€");
        assert_eq!(money(1000, "EUR", &EN), "€10.00");
        assert_eq!(money(-250, "GBP", &FR), "-2,50\u{a0}£");
        assert_eq!(money(1999, "CHF", &EN), "19.99 CHF");
    }
    use super::pdf::{pdf_text, wrap, MM};
    use super::*;

    #[test]
    fn the_code_page_tables_hold_the_known_points() {
        let cp = |b: u8| CP858_HIGH[usize::from(b - 0x80)];
        assert_eq!(
            (cp(0xD5), cp(0x82), cp(0x93), cp(0xAE), cp(0xF8), cp(0xAB)),
            ('€', 'é', 'ô', '«', '°', '½')
        );
        assert!(WINANSI_80_9F.contains(&(0x92, '’')) && WINANSI_80_9F.contains(&(0x80, '€')));
        assert!(NEAREST.contains(&('œ', "oe")) && NEAREST.contains(&('ō', "o")));
        assert_eq!(
            super::escpos::cp858("Noël «½» ’œ…"),
            b"No\x89l \xae\xab\xaf 'oe...".to_vec()
        );
        assert_eq!(pdf_text("’—œ Ÿ"), "\\222\\227\\234 \\237");
    }

    fn sample() -> Ticket {
        Ticket {
            shop: "Bazar (du) Coin".into(),
            address: Some("12 rue de la Gare, Évry".into()),
            order_id: "CPT-1".into(),
            date: "22/11/2026 10:00".into(),
            product: "Recharge été 10 €".into(),
            price: "10.00 EUR".into(),
            sections: vec![Section {
                heading: None,
                qr: Some("LPA:1$smdp.io$K2-ABC".into()),
                facts: vec![("PIN".into(), "0000".into())],
            }],
            facts: vec![("Référence".into(), "TX-1".into())],
            notes: vec!["a long note ".repeat(20)],
            colon: FR.colon,
        }
    }

    #[test]
    fn a_french_ticket_puts_a_no_break_space_before_its_colons() {
        let b = escpos(&sample());
        let nbsp = CP858_HIGH.iter().position(|c| *c == '\u{a0}').unwrap() as u8 + 0x80;
        let pin = [b"PIN".as_slice(), &[nbsp], b": 0000"].concat();
        assert!(b.windows(pin.len()).any(|w| w == pin), "PIN\u{a0}: 0000 on the roll");
        let english = Ticket {
            colon: EN.colon,
            ..sample()
        };
        assert!(escpos(&english).windows(9).any(|w| w == b"PIN: 0000"));
    }

    #[test]
    fn pdf_text_is_winansi_and_escaped() {
        assert_eq!(pdf_text("(a) \\ é €"), "\\(a\\) \\\\ \\351 \\200");
        assert!(pdf(&sample(), Layout::Receipt).unwrap().starts_with(b"%PDF-1.4"));
    }

    #[test]
    fn escpos_holds_the_qr_and_ends_with_a_cut() {
        let b = escpos(&sample());
        let store = [0x1D, b'(', b'k', 23, 0, 49, 80, 48];
        let at = b
            .windows(store.len())
            .position(|w| w == store)
            .expect("QR store command");
        assert_eq!(&b[at + 8..at + 8 + 20], b"LPA:1$smdp.io$K2-ABC");
        assert!(b.ends_with(&[0x1D, b'V', 66, 0]));
        let product = b"Recharge \x82t\x82 10 \xD5\n";
        assert!(
            b.windows(product.len()).any(|w| w == product),
            "product in code page 858"
        );
        assert!(b.windows(10).any(|w| w == b"10.00 EUR\n"));
    }

    fn pages(pdf: &[u8]) -> usize {
        String::from_utf8_lossy(pdf).matches("/Type /Page ").count()
    }

    #[test]
    fn many_vouchers_go_on_to_new_a4_pages_and_lengthen_the_receipt() {
        let mut t = sample();
        t.sections = (1..=5)
            .map(|i| Section {
                heading: Some(format!("Gift card {i}/5")),
                qr: Some(format!("https://cards.example/v/{i}")),
                facts: vec![("Code".into(), format!("CODE-{i}"))],
            })
            .collect();
        let a4 = pdf(&t, Layout::A4).unwrap();
        assert!(pages(&a4) >= 3, "five 70 mm QR codes need three A4 pages");
        assert_eq!(pages(&pdf(&sample(), Layout::A4).unwrap()), 1);
        let receipt = pdf(&t, Layout::Receipt).unwrap();
        assert_eq!(pages(&receipt), 1, "a roll is one long page");
        let height = |p: &[u8]| {
            let s = String::from_utf8_lossy(p);
            let at = s.find("/MediaBox [0 0 ").unwrap() + 15;
            s[at..]
                .split(' ')
                .nth(1)
                .unwrap()
                .trim_end_matches(']')
                .parse::<f64>()
                .unwrap()
        };
        assert!(height(&receipt) > 5.0 * 50.0 * MM, "the roll holds five QR codes");
    }

    #[test]
    fn escpos_prints_each_sections_qr_and_heading() {
        let mut t = sample();
        t.sections.push(Section {
            heading: Some("Carte cadeau 2/2".into()),
            qr: Some("CODE-2".into()),
            facts: vec![],
        });
        let b = escpos(&t);
        let prints = b
            .windows(8)
            .filter(|w| *w == [0x1D, b'(', b'k', 3, 0, 49, 81, 48])
            .count();
        assert_eq!(prints, 2, "one QR print command a section");
        assert!(b.windows(17).any(|w| w == b"Carte cadeau 2/2\n"));
        assert!(
            b.windows(16).any(|w| w == b"R\x82f\x82rence\xff: TX-1"),
            "the order's lines after the sections"
        );
    }

    #[test]
    fn long_notes_wrap() {
        let room = 204.0;
        assert!(wrap(&"word ".repeat(40), 8.5, room)
            .iter()
            .all(|l| super::pdf::width(l, 8.5) <= room));
        // The case: 41 characters at 11 pt are wider than the 80 mm roll.
        let name = "Orange Holiday Zen Europe 30 Go 30 jours ";
        assert!(super::pdf::width(name.trim_end(), 11.0) > 190.0);
        let lines = wrap(&name.repeat(2), 11.0, room);
        assert!(
            lines.len() >= 2 && lines.iter().all(|l| super::pdf::width(l, 11.0) <= room),
            "{lines:?}"
        );
        // A word wider than the line is cut, never left to overflow.
        let long = wrap(&"W".repeat(40), 11.0, room);
        assert!(long.len() > 1 && long.iter().all(|l| super::pdf::width(l, 11.0) <= room));
    }
}
