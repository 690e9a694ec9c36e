//! A till receipt as the customer's one ticket: every line with what its
//! own ticket would hand over (QR codes, vouchers), the payments, the
//! change, what was given back and what is still to settle.

use super::till::{LineState, Receipt};
use crate::context::Comptoir;
use crate::error::Result;
use crate::receipt::{self, Section, Ticket, Words};
use crate::types::Tender;

/// The means as the ticket names it.
pub fn tender_word(t: Tender, w: &Words) -> &'static str {
    match t {
        Tender::Cash => w.cash,
        Tender::Card => w.card,
        Tender::InternetPlus => w.internet_plus,
    }
}

/// Builds the receipt's ticket; its delivered lines' secrets are opened
/// (their orders' histories record the print, as an order's ticket does).
pub async fn ticket(app: &Comptoir, r: &Receipt) -> Result<Ticket> {
    let settings = app.settings()?;
    let w = receipt::words(&settings);
    let money = |c: i64| receipt::money(c, &r.currency, w);
    let mut t = head(&settings, format!("{} {}", w.receipt, r.number), &r.created_at);
    t.price = format!("{} {}", w.total, money(r.total_cents));
    // A receipt of one line reads as that sale's own ticket always did.
    let single = r.lines.len() == 1;
    if let (true, Some(l)) = (single, r.lines.first()) {
        t.product = if l.line.quantity > 1 {
            format!("{} × {}", l.line.quantity, l.line.name)
        } else {
            l.line.name.clone()
        };
        t.price = money(r.total_cents);
    } else {
        t.product = w
            .items
            .replace("{n}", &r.lines.iter().map(|l| l.line.quantity).sum::<u32>().to_string());
    }
    for l in &r.lines {
        let mut head = line_section(l, money(l.line.amount_cents), w);
        match l.state {
            LineState::Refunded => {
                let means: Vec<&str> = r
                    .refunds
                    .iter()
                    .filter(|f| f.line == l.line.line)
                    .map(|f| tender_word(f.tender, w))
                    .collect();
                head.facts
                    .push((w.refunded.replace("{tender}", &means.join(", ")), String::new()));
            }
            LineState::ToSettle | LineState::Buying => head.facts.push((w.to_settle.into(), String::new())),
            LineState::Delivered => {}
        }
        if single {
            t.facts.append(&mut head.facts);
        } else {
            t.sections.push(head);
        }
        if let Some(o) = l.order.as_ref().filter(|_| l.state == LineState::Delivered) {
            // What the order's own ticket hands over (a payment's carries
            // the product it paid for).
            let own = super::print::ticket(app, &o.id).await?;
            t.sections.extend(own.sections);
            t.notes.extend(own.notes.into_iter().filter(|n| n != w.training));
            match t.sections.last_mut().filter(|_| !single) {
                Some(s) => s.facts.extend(own.facts),
                None => t.facts.extend(own.facts),
            }
        }
    }
    for p in &r.payments {
        t.facts.push((tender_word(p.tender, w).into(), money(p.amount_cents)));
        if let Some(given) = p.given_cents.filter(|g| *g != p.amount_cents) {
            t.facts.push((w.given.into(), money(given)));
        }
        if let Some(a) = &p.authorisation {
            t.facts.push((w.authorisation.into(), a.clone()));
        }
    }
    if r.change_cents > 0 {
        t.facts.push((w.change.into(), money(r.change_cents)));
    }
    for f in &r.refunds {
        t.facts.push((
            w.refunded.replace("{tender}", tender_word(f.tender, w)),
            format!("-{}", money(f.amount_cents)),
        ));
    }
    for c in &r.corrections {
        let label = if c.whole { w.cancelled_by } else { w.corrected_by };
        t.facts.push((label.into(), c.number.clone()));
    }
    if let Some(c) = &r.cashier {
        t.facts.push((w.cashier.into(), c.clone()));
    }
    register_facts(app, r, &mut t).await?;
    if r.training {
        t.notes.retain(|n| n != w.training);
        mark_training(&mut t, w);
    }
    Ok(t)
}

/// A till document's head: the shop, its title and its time; the rest
/// is filled in by the document.
pub fn head(settings: &crate::settings::Settings, title: String, at: &str) -> Ticket {
    let w = receipt::words(settings);
    Ticket {
        shop: settings
            .get_str(crate::settings::SHOP_NAME)
            .unwrap_or("Comptoir")
            .to_string(),
        address: settings.get_str(crate::settings::SHOP_ADDRESS).map(str::to_string),
        order_id: title,
        date: receipt::local_time(at),
        product: String::new(),
        price: String::new(),
        sections: Vec::new(),
        facts: Vec::new(),
        notes: Vec::new(),
        colon: w.colon,
    }
}

/// A receipt line as a ticket section: "2. 3 × name  amount" and the
/// order's reference.
pub fn line_section(l: &super::till::ReceiptLine, amount: String, w: &Words) -> Section {
    let quantity = if l.line.quantity > 1 {
        format!("{} × ", l.line.quantity)
    } else {
        String::new()
    };
    let mut s = Section {
        heading: Some(format!("{}. {quantity}{}  {amount}", l.line.line, l.line.name)),
        ..Default::default()
    };
    if let Some(o) = &l.order {
        s.facts.push((w.reference.into(), o.id.clone()));
    }
    s
}

/// Training across the ticket: its heading and its first note.
pub fn mark_training(t: &mut Ticket, w: &Words) {
    t.notes.insert(0, w.training.into());
    t.order_id = format!("{} — {}", w.dummy, t.order_id);
}

/// The register's footer every till document prints: the counter, the
/// software's version and an extract of its record's signature.
pub fn register_footer(t: &mut Ticket, w: &Words, counter: &str, signature: Option<&str>) {
    t.facts.push((w.counter.into(), counter.to_string()));
    t.facts
        .push((w.software.into(), format!("Comptoir {}", env!("CARGO_PKG_VERSION"))));
    if let Some(sig) = signature {
        t.facts.push((w.seal.into(), seal_extract(sig)));
    }
}

/// What French receipts show from the register: the tax lines, the
/// SIRET, the counter, the software's version and an extract of the
/// record's signature.
async fn register_facts(app: &Comptoir, r: &Receipt, t: &mut Ticket) -> Result<()> {
    let settings = app.settings()?;
    let w = receipt::words(&settings);
    let money = |c: i64| receipt::money(c, &r.currency, w);
    let record = app.journal.receipt_record(&r.number).await?;
    if let Some(v) = record.as_ref().map(|rec| &rec.values) {
        for tax in v["taxes"].as_array().into_iter().flatten() {
            let n = |k: &str| tax[k].as_i64().unwrap_or(0);
            t.facts.push((
                w.vat.replace("{rate}", &crate::types::tax::rate_text(n("rate"))),
                format!("{} {} · {} {}", w.excl_tax, money(n("base")), w.tax, money(n("tax"))),
            ));
        }
        if let Some(o) = v["out_of_scope"].as_i64().filter(|o| *o != 0) {
            t.facts.push((w.outside_vat.into(), money(o)));
        }
        if let Some(siret) = v["siret"].as_str() {
            t.facts.push(("SIRET".into(), siret.to_string()));
        }
    }
    let signature = record.as_ref().and_then(|rec| rec.signature.as_deref());
    register_footer(t, w, &r.counter, signature);
    Ok(())
}

/// The four characters of a record's signature a ticket prints.
pub fn seal_extract(signature: &str) -> String {
    signature
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(4)
        .collect()
}

/// The close's words (and the X report's), in the shop's language.
struct ShiftWords {
    x_report: &'static str,
    close: &'static str,
    counter: &'static str,
    opened: &'static str,
    closed: &'static str,
    float: &'static str,
    not_counted: &'static str,
    taken: &'static str,
    refunds: &'static str,
    cash_in: &'static str,
    cash_out: &'static str,
    expected: &'static str,
    counted: &'static str,
    difference: &'static str,
    receipts: &'static str,
    by_product: &'static str,
    by_cashier: &'static str,
    abandoned: &'static str,
    to_settle: &'static str,
}

const SHIFT_FR: ShiftWords = ShiftWords {
    x_report: "Rapport X (caisse ouverte)",
    close: "Clôture de caisse",
    counter: "Caisse",
    opened: "Ouverte",
    closed: "Fermée",
    float: "Fond de caisse",
    not_counted: "non compté",
    taken: "Encaissé",
    refunds: "Rendu aux clients",
    cash_in: "Entrées d'espèces",
    cash_out: "Sorties d'espèces",
    expected: "Espèces attendues",
    counted: "Espèces comptées",
    difference: "Écart",
    receipts: "Tickets",
    by_product: "Ventes livrées",
    by_cashier: "Par vendeur",
    abandoned: "Paniers abandonnés",
    to_settle: "À régulariser",
};

const SHIFT_EN: ShiftWords = ShiftWords {
    x_report: "X report (till open)",
    close: "Till close",
    counter: "Counter",
    opened: "Opened",
    closed: "Closed",
    float: "Float",
    not_counted: "not counted",
    taken: "Taken",
    refunds: "Given back",
    cash_in: "Cash in",
    cash_out: "Cash out",
    expected: "Expected cash",
    counted: "Counted cash",
    difference: "Difference",
    receipts: "Receipts",
    by_product: "Delivered sales",
    by_cashier: "By cashier",
    abandoned: "Abandoned baskets",
    to_settle: "To settle",
};

/// A shift's report as a ticket: the X report, or the close's.
pub fn shift_ticket(app: &Comptoir, r: &crate::till::shift::ShiftReport) -> Result<Ticket> {
    let settings = app.settings()?;
    let w = receipt::words(&settings);
    let s = if w.lang == "fr" { &SHIFT_FR } else { &SHIFT_EN };
    let money = |c: i64| receipt::money(c, &r.currency, w);
    let units = |v: f64| money((v * 100.0).round() as i64);
    let mut t = Ticket {
        shop: settings
            .get_str(crate::settings::SHOP_NAME)
            .unwrap_or("Comptoir")
            .to_string(),
        address: settings.get_str(crate::settings::SHOP_ADDRESS).map(str::to_string),
        order_id: format!("{} {}", s.counter, r.counter),
        date: receipt::local_time(r.closed_at.as_deref().unwrap_or(&crate::journal::now_rfc3339())),
        product: if r.closed_at.is_some() { s.close } else { s.x_report }.to_string(),
        price: r.shift.clone(),
        sections: Vec::new(),
        facts: Vec::new(),
        notes: Vec::new(),
        colon: w.colon,
    };
    let mut head = vec![(
        s.opened.to_string(),
        format!(
            "{} {}",
            receipt::local_time(&r.opened_at),
            r.opened_by.as_deref().unwrap_or("")
        ),
    )];
    if let Some(c) = &r.closed_at {
        head.push((
            s.closed.into(),
            format!("{} {}", receipt::local_time(c), r.closed_by.as_deref().unwrap_or("")),
        ));
    }
    let float = if r.float_counted {
        money(r.float_cents)
    } else {
        format!("{} ({})", money(r.float_cents), s.not_counted)
    };
    head.push((s.float.into(), float));
    head.push((s.receipts.into(), r.receipts.to_string()));
    t.sections.push(Section {
        heading: None,
        qr: None,
        facts: head,
    });
    let tenders = r
        .tenders
        .iter()
        .map(|(k, v)| (format!("{} {}", s.taken, tender_label(k, w)), units(*v)))
        .chain(r.refunds_by_tender.iter().map(|(k, v)| {
            (
                format!("{} ({})", s.refunds, tender_label(k, w)),
                format!("-{}", units(*v)),
            )
        }))
        .collect();
    t.sections.push(Section {
        heading: None,
        qr: None,
        facts: tenders,
    });
    let mut drawer = vec![
        (s.cash_in.to_string(), money(r.cash_in_cents)),
        (s.cash_out.to_string(), format!("-{}", money(r.cash_out_cents))),
        (s.expected.to_string(), money(r.expected_cents)),
    ];
    if let (Some(c), Some(d)) = (r.counted_cents, r.difference_cents) {
        drawer.push((s.counted.into(), money(c)));
        drawer.push((s.difference.into(), money(d)));
    }
    t.sections.push(Section {
        heading: None,
        qr: None,
        facts: drawer,
    });
    let listed = |heading: &str, rows: &[crate::till::shift::Takings]| Section {
        heading: Some(heading.to_string()),
        qr: None,
        facts: rows
            .iter()
            .map(|row| {
                let name = if row.label.is_empty() {
                    "—"
                } else {
                    row.label.as_str()
                };
                let label = if row.count > 0 {
                    format!("{} × {name}", row.count)
                } else {
                    name.to_string()
                };
                (label, money(row.amount_cents))
            })
            .collect(),
    };
    if !r.by_product.is_empty() {
        t.sections.push(listed(s.by_product, &r.by_product));
    }
    if !r.by_cashier.is_empty() {
        t.sections.push(listed(s.by_cashier, &r.by_cashier));
    }
    t.facts.push((
        s.abandoned.into(),
        format!("{} ({})", r.abandoned_baskets, money(r.abandoned_cents)),
    ));
    for u in &r.unsettled {
        t.facts.push((
            format!("{} {} {}", s.to_settle, u.receipt, u.product),
            money(u.amount_cents),
        ));
    }
    Ok(t)
}

fn tender_label(key: &str, w: &Words) -> &'static str {
    match key.parse::<Tender>() {
        Ok(t) => tender_word(t, w),
        Err(_) => "?",
    }
}
