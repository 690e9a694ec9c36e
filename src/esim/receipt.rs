//! What an Orange Travel order puts on the customer's ticket.

use crate::context::Comptoir;
use crate::error::Result;
use crate::journal::{Order, OrderKind};
use crate::receipt::{fact, Section, Ticket, Words};

/// An eSIM's section (its QR, number, PIN, PUK, plan) and the install and
/// identity notes; a top-up names the line it topped up. Opening an eSIM's
/// code is recorded in its history.
pub async fn add_sections(app: &Comptoir, order: &Order, t: &mut Ticket, w: &Words) -> Result<()> {
    if order.kind == OrderKind::Topup {
        if let Some(p) = order.phone_for_people().or(order.sim_id.clone()) {
            t.facts.push((w.topped_up.into(), p));
        }
        return Ok(());
    }
    if order.kind != OrderKind::Esim {
        return Ok(());
    }
    let card = super::card::card_for_ticket(app, &order.id).await?;
    let mut s = Section {
        qr: Some(card.activation_code.clone()),
        ..Section::default()
    };
    fact(&mut s.facts, w.number, card.phone.clone());
    fact(&mut s.facts, "PIN", card.pin.clone());
    fact(&mut s.facts, "PUK", card.puk.clone());
    fact(
        &mut s.facts,
        w.data,
        card.data_gb.map(|d| crate::types::units::data(d, Some("GB"), w.lang)),
    );
    fact(
        &mut s.facts,
        w.valid,
        card.validity_days.map(|d| format!("{d} {}", w.days)),
    );
    t.sections.push(s);
    t.notes.push(w.install.into());
    t.notes.push(w.kyc.replace("{date}", &card.kyc_deadline));
    if let Some(url) = card.kyc_url {
        t.notes.push(url.to_string());
    }
    Ok(())
}
