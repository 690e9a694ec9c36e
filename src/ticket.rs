//! The customer's ticket: what they bought, for how much, and what they need
//! to use it (the eSIM's QR code, number, PIN, PUK, the identity duty), in
//! two paper sizes, as PDF (for the system's printing or to keep) and as
//! ESC/POS bytes for a thermal printer (network `host:9100` or a device).

use crate::app::Comptoir;
use crate::error::{Error, Result};
use crate::journal::{cents, Order, OrderKind};
use crate::settings::{PAPER, PRINTER, SHOP_ADDRESS, SHOP_NAME, SYSTEM_PRINTER};
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// 80 mm thermal roll.
    Receipt,
    A4,
}

impl std::str::FromStr for Layout {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "receipt" => Ok(Layout::Receipt),
            "a4" => Ok(Layout::A4),
            _ => Err(Error::invalid("ticket.bad_layout", "the layout is `receipt` or `a4`")),
        }
    }
}

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
struct Words {
    training: &'static str,
    topped_up: &'static str,
    reference: &'static str,
    number: &'static str,
    data: &'static str,
    valid: &'static str,
    days: &'static str,
    install: &'static str,
    kyc: &'static str,
    gift_card: &'static str,
    code: &'static str,
    value: &'static str,
    valid_until: &'static str,
    link: &'static str,
}

const FR: Words = Words {
    training: "FORMATION - rien n'a été vendu",
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
};

const EN: Words = Words {
    training: "TRAINING - nothing was sold",
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
};

/// The language chosen in Settings, else the system's (`LANG`), French by default.
fn words(settings: &crate::settings::Settings) -> &'static Words {
    let chosen = settings.get_str(crate::settings::LOCALE).map(str::to_string);
    let lang = chosen.or_else(|| std::env::var("LANG").ok()).unwrap_or_default();
    if lang.starts_with("en") {
        &EN
    } else {
        &FR
    }
}

/// Builds the ticket of an order; for an eSIM or gift cards this opens
/// their secrets, which the order's history records.
pub async fn ticket(app: &Comptoir, order_id: &str) -> Result<Ticket> {
    let order = app.journal.get(order_id).await?;
    let settings = app.settings()?;
    let w = words(&settings);
    let mut t = Ticket {
        shop: settings.get_str(SHOP_NAME).unwrap_or("Comptoir").to_string(),
        address: settings.get_str(SHOP_ADDRESS).map(str::to_string),
        order_id: order.id.clone(),
        date: local_time(&order.created_at),
        product: order.product_name.clone(),
        price: format!("{} {}", cents::format(order.amount_cents), order.currency),
        sections: Vec::new(),
        facts: Vec::new(),
        notes: Vec::new(),
    };
    if order.training {
        t.notes.push(w.training.into());
    }
    match order.kind {
        OrderKind::Esim => add_esim(app, &order, &mut t, w).await?,
        OrderKind::Giftcard => add_vouchers(app, &order, &mut t, w).await?,
        OrderKind::Topup => {
            if let Some(p) = order.phone.as_deref().or(order.sim_id.as_deref()) {
                t.facts.push((w.topped_up.into(), p.to_string()));
            }
        }
        _ => {}
    }
    if let Some(r) = &order.provider_ref {
        t.facts.push((w.reference.into(), r.clone()));
    }
    Ok(t)
}

/// Where a ticket goes.
#[derive(Debug, Clone)]
pub enum Destination {
    /// A PDF file, to keep or send.
    Pdf(std::path::PathBuf),
    /// A thermal printer speaking ESC/POS: `tcp://host:9100` or a device;
    /// `None`: the one set in Settings.
    Escpos(Option<String>),
    /// A printer of the computer's (CUPS), by name; `None`: the one chosen
    /// in Settings, else the system's default.
    System(Option<String>),
}

#[derive(Debug, Clone, Serialize)]
pub struct Printed {
    pub order: String,
    /// The file, the thermal printer or the system printer it went to.
    pub to: String,
    /// The system's print job.
    pub job: Option<String>,
}

/// Makes the order's ticket and sends it to `to` in `layout` (Settings'
/// paper when `None`); the order's history records it once it is done.
pub async fn print(app: &Comptoir, order_id: &str, to: Destination, layout: Option<Layout>) -> Result<Printed> {
    let settings = app.settings()?;
    let layout = layout.unwrap_or_else(|| paper(&settings));
    // Where it goes is settled first: a printer missing from Settings must
    // not open (and record the reveal of) the order's secrets for nothing.
    let to = with_settings(to, &settings)?;
    let t = ticket(app, order_id).await?;
    let (to, job) = match to {
        Target::Pdf(path) => {
            std::fs::write(&path, pdf(&t, layout)?).map_err(|e| {
                Error::invalid("ticket.cannot_write", format!("cannot write {}: {e}", path.display()))
                    .with("path", path.display().to_string())
            })?;
            (path.display().to_string(), None)
        }
        Target::Escpos(target) => {
            send(&target, &escpos(&t))?;
            (target, None)
        }
        Target::System(name) => {
            let job = crate::printer::print_pdf(name.as_deref(), &format!("Comptoir {order_id}"), &pdf(&t, layout)?)?;
            (name.unwrap_or_else(|| "default".into()), Some(job))
        }
    };
    app.journal
        .note(order_id, "print", &format!("ticket printed: {to}"))
        .await?;
    Ok(Printed {
        order: order_id.to_string(),
        to,
        job,
    })
}

/// A destination with Settings' printers filled in.
enum Target {
    Pdf(std::path::PathBuf),
    Escpos(String),
    /// `None`: the system's default printer.
    System(Option<String>),
}

/// Fills in the printer Settings name when none was given: the thermal
/// printer must be set; the system printer falls back to the system's default.
fn with_settings(to: Destination, settings: &crate::settings::Settings) -> Result<Target> {
    let set = |key: &str| settings.get_str(key).map(str::to_string);
    Ok(match to {
        Destination::Pdf(path) => Target::Pdf(path),
        Destination::Escpos(given) => Target::Escpos(given.or_else(|| set(PRINTER)).ok_or_else(|| {
            Error::config(
                "printer.not_set",
                "no thermal printer is set: give its address in Settings",
            )
        })?),
        Destination::System(given) => Target::System(given.or_else(|| set(SYSTEM_PRINTER))),
    })
}

/// The paper chosen in Settings for PDF and system printing; receipts by default.
pub fn paper(settings: &crate::settings::Settings) -> Layout {
    settings
        .get_str(PAPER)
        .and_then(|p| p.parse().ok())
        .unwrap_or(Layout::Receipt)
}

/// Pushes `label: value` when there is a value.
fn fact(facts: &mut Vec<(String, String)>, label: &str, value: Option<String>) {
    if let Some(v) = value {
        facts.push((label.to_string(), v));
    }
}

async fn add_esim(app: &Comptoir, order: &Order, t: &mut Ticket, w: &Words) -> Result<()> {
    let card = crate::esim::card(app, &order.id).await?;
    let mut s = Section {
        qr: Some(card.activation_code.clone()),
        ..Section::default()
    };
    fact(&mut s.facts, w.number, card.phone.clone());
    fact(&mut s.facts, "PIN", card.pin.clone());
    fact(&mut s.facts, "PUK", card.puk.clone());
    fact(&mut s.facts, w.data, card.data_gb.map(|d| format!("{d} GB")));
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

/// One section a voucher: its QR (the link, else the code), code, PIN,
/// value and end of validity; the terms once each under them all.
async fn add_vouchers(app: &Comptoir, order: &Order, t: &mut Ticket, w: &Words) -> Result<()> {
    let cards = crate::giftcard::vouchers(app, &order.id).await?;
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
        fact(&mut s.facts, w.value, v.value.map(|x| format!("{x:.2} {currency}")));
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

/// `2027-11-22T00:00:00` (or a plain date) as the shop reads it: 22/11/2027.
fn day(text: &str) -> String {
    chrono::NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_else(|_| text.to_string())
}

fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

// ---------------------------------------------------------------- PDF

/// What goes down the paper, in order.
enum Block {
    Text { size: f64, text: String },
    Qr(String),
}

/// Paper sizes in mm and type sizes in points for a layout.
struct Paper {
    width: f64,
    /// `None`: a roll, as long as the ticket.
    height: Option<f64>,
    margin: f64,
    body: f64,
    title: f64,
    qr: f64,
}

impl Paper {
    fn of(layout: Layout) -> Paper {
        match layout {
            Layout::Receipt => Paper {
                width: 80.0,
                height: None,
                margin: 4.0,
                body: 8.5,
                title: 11.0,
                qr: 50.0,
            },
            Layout::A4 => Paper {
                width: 210.0,
                height: Some(297.0),
                margin: 20.0,
                body: 11.0,
                title: 18.0,
                qr: 70.0,
            },
        }
    }

    /// Height of a block in points: a line is 1.4 times its type size; a QR
    /// has 3 mm of white above and below.
    fn height(&self, b: &Block) -> f64 {
        match b {
            Block::Text { size, .. } => size * 1.4,
            Block::Qr(_) => (self.qr + 6.0) * MM,
        }
    }
}

const MM: f64 = 72.0 / 25.4;

/// The ticket's blocks: the shop and the sale, then each section (heading,
/// QR, its lines), then the order's lines and the notes, wrapped to the paper.
fn blocks(t: &Ticket, paper: &Paper) -> Vec<Block> {
    let text = |size: f64, s: &str| Block::Text {
        size,
        text: s.to_string(),
    };
    let mut out = vec![text(paper.title, &t.shop)];
    out.extend(t.address.iter().map(|a| text(paper.body, a)));
    out.push(text(paper.body, &format!("{}  -  {}", t.date, t.order_id)));
    out.push(text(paper.title, &t.product));
    out.push(text(paper.title, &t.price));
    let facts = |facts: &[(String, String)]| -> Vec<Block> {
        facts
            .iter()
            .map(|(k, v)| text(paper.body, &format!("{k}: {v}")))
            .collect()
    };
    for s in &t.sections {
        out.extend(s.heading.iter().map(|h| text(paper.body * 1.2, h)));
        out.extend(s.qr.iter().map(|q| Block::Qr(q.clone())));
        out.extend(facts(&s.facts));
    }
    out.extend(facts(&t.facts));
    let max_chars = ((paper.width - 2.0 * paper.margin) * MM / (paper.body * 0.5)) as usize;
    for n in &t.notes {
        out.extend(wrap(n, max_chars).into_iter().map(|l| text(paper.body, &l)));
    }
    out
}

/// The ticket as PDF: Helvetica text (WinAnsi, so accents and € print), QR
/// codes as vector squares, sharp at any printer resolution. A receipt is
/// one page as long as the ticket; A4 goes on to a new page rather than cut
/// a QR code in two.
pub fn pdf(t: &Ticket, layout: Layout) -> Result<Vec<u8>> {
    let paper = Paper::of(layout);
    let blocks = blocks(t, &paper);
    let width = paper.width * MM;
    let height = match paper.height {
        Some(h) => h * MM,
        None => 2.0 * paper.margin * MM + blocks.iter().map(|b| paper.height(b)).sum::<f64>(),
    };
    let top = height - paper.margin * MM;
    let mut pages = vec![String::new()];
    let mut y = top;
    for b in &blocks {
        let h = paper.height(b);
        if paper.height.is_some() && y - h < paper.margin * MM && y < top {
            pages.push(String::new());
            y = top;
        }
        let ops = pages.last_mut().expect("a page");
        y -= h;
        match b {
            Block::Text { size, text } => ops.push_str(&format!(
                "BT /F1 {size:.1} Tf {:.2} {y:.2} Td ({}) Tj ET\n",
                paper.margin * MM,
                pdf_text(text)
            )),
            Block::Qr(payload) => {
                let side = paper.qr * MM;
                pdf_qr(ops, payload, (width - side) / 2.0, y + 3.0 * MM, side)?;
            }
        }
    }
    Ok(pdf_document(width, height, &pages))
}

/// Draws a QR code (4 modules of quiet zone) as filled squares in a
/// `side`-point square whose bottom-left corner is (x0, y0).
fn pdf_qr(ops: &mut String, payload: &str, x0: f64, y0: f64, side: f64) -> Result<()> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| Error::invalid("qr.too_long", e.to_string()))?;
    let n = code.width();
    let quiet = 4;
    let module = side / (n + 2 * quiet) as f64;
    ops.push_str("0 g\n");
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (cx, cy) = (i % n + quiet, i / n + quiet);
            let x = x0 + cx as f64 * module;
            let y = y0 + side - (cy + 1) as f64 * module;
            ops.push_str(&format!("{x:.3} {y:.3} {module:.3} {module:.3} re\n"));
        }
    }
    ops.push_str("f\n");
    Ok(())
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// A PDF string literal in WinAnsiEncoding (Latin-1 plus €), escaped.
fn pdf_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '(' | ')' | '\\' => format!("\\{c}"),
            '€' => "\\200".to_string(),
            c if (c as u32) < 0x80 => c.to_string(),
            c if (0xA0..=0xFF).contains(&(c as u32)) => format!("\\{:03o}", c as u32),
            _ => "?".to_string(),
        })
        .collect()
}

/// A PDF of `pages` (content streams) of w x h points sharing one font.
fn pdf_document(w: f64, h: f64, pages: &[String]) -> Vec<u8> {
    // Objects 1-3: catalog, page tree, font; then a page and its content each.
    let page_ids: Vec<usize> = (0..pages.len()).map(|i| 4 + 2 * i).collect();
    let kids: Vec<String> = page_ids.iter().map(|id| format!("{id} 0 R")).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
    ];
    for (content, id) in pages.iter().zip(&page_ids) {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.2} {h:.2}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            id + 1
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{content}endstream", content.len()));
    }
    let mut out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

// ---------------------------------------------------------------- ESC/POS

/// The ticket for a thermal printer: text in code page 858 (€ and accents),
/// the QR with the printer's own QR command (model 2, level M), then a cut.
pub fn escpos(t: &Ticket) -> Vec<u8> {
    let mut b: Vec<u8> = vec![0x1B, b'@', 0x1B, b't', 19]; // initialise; code page 858
    let line = |b: &mut Vec<u8>, s: &str| {
        b.extend(cp858(s));
        b.push(b'\n');
    };
    b.extend([0x1B, b'a', 1, 0x1B, b'E', 1]); // centred, bold
    line(&mut b, &t.shop);
    b.extend([0x1B, b'E', 0]);
    if let Some(a) = &t.address {
        line(&mut b, a);
    }
    line(&mut b, &format!("{}  {}", t.date, t.order_id));
    b.extend([0x1D, b'!', 0x11]); // double size
    line(&mut b, &t.product);
    line(&mut b, &t.price);
    b.extend([0x1D, b'!', 0x00]);
    for s in &t.sections {
        b.extend([0x1B, b'a', 1]); // centred
        if let Some(h) = &s.heading {
            b.extend([0x1B, b'E', 1]);
            line(&mut b, h);
            b.extend([0x1B, b'E', 0]);
        }
        if let Some(payload) = &s.qr {
            escpos_qr(&mut b, payload);
        }
        b.extend([0x1B, b'a', 0]);
        for (k, v) in &s.facts {
            line(&mut b, &format!("{k}: {v}"));
        }
        b.push(b'\n');
    }
    b.extend([0x1B, b'a', 0]); // left
    for (k, v) in &t.facts {
        line(&mut b, &format!("{k}: {v}"));
    }
    for n in &t.notes {
        line(&mut b, n);
    }
    b.extend([b'\n', b'\n', b'\n', 0x1D, b'V', 66, 0]); // feed and cut
    b
}

/// The printer's own QR command: model 2, 6-dot modules, level M, then print.
fn escpos_qr(b: &mut Vec<u8>, payload: &str) {
    let data = payload.as_bytes();
    let len = data.len() + 3;
    b.extend([0x1D, b'(', b'k', 4, 0, 49, 65, 50, 0]); // model 2
    b.extend([0x1D, b'(', b'k', 3, 0, 49, 67, 6]); // module size 6 dots
    b.extend([0x1D, b'(', b'k', 3, 0, 49, 69, 49]); // error correction M
    b.extend([0x1D, b'(', b'k', (len % 256) as u8, (len / 256) as u8, 49, 80, 48]);
    b.extend(data);
    b.extend([0x1D, b'(', b'k', 3, 0, 49, 81, 48]); // print it
    b.push(b'\n');
}

/// Text in code page 858 (Latin-1 layout of the accents used here, € at 0xD5).
fn cp858(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '€' => 0xD5,
            'é' => 0x82,
            'è' => 0x8A,
            'ê' => 0x88,
            'à' => 0x85,
            'ç' => 0x87,
            'ô' => 0x93,
            'ù' => 0x97,
            'É' => 0x90,
            'ñ' => 0xA4,
            c if c.is_ascii() => c as u8,
            _ => b'?',
        })
        .collect()
}

/// Sends ESC/POS bytes to `tcp://host:port` (or `host:port`) or to a device
/// file such as `/dev/usb/lp0`.
pub fn send(target: &str, bytes: &[u8]) -> Result<()> {
    let fail = |e: std::io::Error| {
        Error::unavailable(
            "printer.unreachable",
            format!("the printer {target} cannot be reached: {e}"),
        )
        .with("printer", target)
    };
    let address = target.strip_prefix("tcp://").unwrap_or(target);
    if address.starts_with('/') {
        let mut f = std::fs::OpenOptions::new().write(true).open(address).map_err(fail)?;
        return f.write_all(bytes).map_err(fail);
    }
    let addr = std::net::ToSocketAddrs::to_socket_addrs(address)
        .map_err(fail)?
        .next()
        .ok_or_else(|| {
            Error::invalid(
                "printer.bad_target",
                format!("`{target}` is not host:port or a device path"),
            )
        })?;
    let mut stream = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(5)).map_err(fail)?;
    stream
        .set_write_timeout(Some(std::time::Duration::from_secs(10)))
        .map_err(fail)?;
    stream.write_all(bytes).map_err(fail)?;
    stream.flush().map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        }
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
            b.windows(15).any(|w| w == b"R\x82f\x82rence: TX-1"),
            "the order's lines after the sections"
        );
    }

    #[test]
    fn long_notes_wrap() {
        assert!(wrap(&"word ".repeat(40), 20).iter().all(|l| l.chars().count() <= 20));
    }
}
