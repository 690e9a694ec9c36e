//! What a gift-card order puts on the customer's ticket: opening the
//! vouchers is recorded in the order's history.

use crate::context::Comptoir;
use crate::error::Result;
use crate::journal::{Order, OrderKind};
use crate::receipt::{day, fact, money, Section, Ticket, Words};

/// One section a voucher: its QR (the link, else the code), code, PIN,
/// value and end of validity; the terms once each under them all.
pub async fn add_sections(app: &Comptoir, order: &Order, t: &mut Ticket, w: &Words) -> Result<()> {
    if order.kind != OrderKind::Giftcard {
        return Ok(());
    }
    let cards = super::vouchers_for_ticket(app, &order.id).await?;
    let count = cards.len();
    let mut links = false;
    for c in cards {
        let v = c.voucher;
        links |= v.url.is_some();
        let mut s = Section {
            heading: (count > 1).then(|| format!("{} {}/{count}", w.gift_card, c.item)),
            qr: c.qr_payload,
            facts: Vec::new(),
        };
        fact(&mut s.facts, w.code, v.code);
        fact(&mut s.facts, "PIN", v.pin);
        let currency = v.currency.unwrap_or_else(|| order.currency.clone());
        let value = v.value.and_then(crate::types::cents::from_units);
        fact(&mut s.facts, w.value, value.map(|c| money(c, &currency, w)));
        fact(&mut s.facts, w.valid_until, v.expiry.as_deref().map(day));
        t.sections.push(s);
        if let Some(i) = v.instructions.filter(|i| !t.notes.contains(i)) {
            t.notes.push(i);
        }
    }
    if links {
        t.notes.push(w.link.into());
    }
    Ok(())
}
