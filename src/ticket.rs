//! The customer's ticket: what they bought, for how much, and what they need
//! to use it (the eSIM's QR code, number, PIN, PUK, the identity duty), in
//! two paper sizes, as PDF (for the system's printing or to keep) and as
//! ESC/POS bytes for a thermal printer (network `host:9100` or a device).

use crate::app::Comptoir;
use crate::error::{Error, Result};
use crate::journal::{cents, Order, OrderKind};
use crate::settings::{SHOP_ADDRESS, SHOP_NAME};
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
    /// QR payload (an eSIM's activation code), if any.
    pub qr: Option<String>,
    /// Label and value lines under the QR (number, PIN, PUK, ...).
    pub facts: Vec<(String, String)>,
    pub notes: Vec<String>,
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

/// Builds the ticket of an order; for an eSIM this decrypts its code, which
/// the order's history records.
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
        qr: None,
        facts: Vec::new(),
        notes: Vec::new(),
    };
    if order.training {
        t.notes.push(w.training.into());
    }
    match order.kind {
        OrderKind::Esim => add_esim(app, &order, &mut t, w).await?,
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
    app.journal.note(order_id, "print", "ticket printed").await?;
    Ok(t)
}

async fn add_esim(app: &Comptoir, order: &Order, t: &mut Ticket, w: &Words) -> Result<()> {
    let card = crate::esim::card(app, &order.id).await?;
    t.qr = Some(card.activation_code.clone());
    let mut fact = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            t.facts.push((k.to_string(), v));
        }
    };
    fact(w.number, card.phone.clone());
    fact("PIN", card.pin.clone());
    fact("PUK", card.puk.clone());
    fact(w.data, card.data_gb.map(|d| format!("{d} GB")));
    fact(w.valid, card.validity_days.map(|d| format!("{d} {}", w.days)));
    t.notes.push(w.install.into());
    t.notes.push(w.kyc.replace("{date}", &card.kyc_deadline));
    if let Some(url) = card.kyc_url {
        t.notes.push(url.to_string());
    }
    Ok(())
}

fn local_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

// ---------------------------------------------------------------- PDF

/// The ticket as a one-page PDF: Helvetica text (WinAnsi, so accents and €
/// print), the QR code as vector squares, sharp at any printer resolution.
pub fn pdf(t: &Ticket, layout: Layout) -> Result<Vec<u8>> {
    let (width, margin, body, title, qr_mm) = match layout {
        Layout::Receipt => (80.0, 4.0, 8.5, 11.0, 50.0),
        Layout::A4 => (210.0, 20.0, 11.0, 18.0, 70.0),
    };
    let mm = 72.0 / 25.4;
    let mut lines: Vec<(f64, String)> = vec![(title, t.shop.clone())];
    lines.extend(t.address.iter().map(|a| (body, a.clone())));
    lines.push((body, format!("{}  -  {}", t.date, t.order_id)));
    lines.push((title, t.product.clone()));
    lines.push((title, t.price.clone()));
    let mut after: Vec<(f64, String)> = t.facts.iter().map(|(k, v)| (body, format!("{k}: {v}"))).collect();
    let max_chars = ((width - 2.0 * margin) * mm / (body * 0.5)) as usize;
    for n in &t.notes {
        after.extend(wrap(n, max_chars).into_iter().map(|l| (body, l)));
    }
    let height_mm = match layout {
        Layout::A4 => 297.0,
        Layout::Receipt => {
            let text: f64 = lines.iter().chain(after.iter()).map(|(s, _)| s * 1.4).sum::<f64>() / mm;
            2.0 * margin + text + if t.qr.is_some() { qr_mm + 6.0 } else { 0.0 }
        }
    };
    let (w, h) = (width * mm, height_mm * mm);
    let mut ops = String::new();
    let mut y = h - margin * mm;
    let text = |ops: &mut String, y: &mut f64, size: f64, s: &str| {
        *y -= size * 1.4;
        ops.push_str(&format!(
            "BT /F1 {size:.1} Tf {:.2} {:.2} Td ({}) Tj ET\n",
            margin * mm,
            *y,
            pdf_text(s)
        ));
    };
    for (size, s) in &lines {
        text(&mut ops, &mut y, *size, s);
    }
    if let Some(payload) = &t.qr {
        let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
            .map_err(|e| Error::invalid("qr.too_long", e.to_string()))?;
        let n = code.width();
        let quiet = 4;
        let side = qr_mm * mm;
        let module = side / (n + 2 * quiet) as f64;
        let x0 = (w - side) / 2.0;
        let y0 = y - 3.0 * mm - side;
        ops.push_str("0 g\n");
        for (i, c) in code.to_colors().iter().enumerate() {
            if *c == qrcode::Color::Dark {
                let (cx, cy) = (i % n + quiet, i / n + quiet);
                let x = x0 + cx as f64 * module;
                let yy = y0 + side - (cy + 1) as f64 * module;
                ops.push_str(&format!("{x:.3} {yy:.3} {module:.3} {module:.3} re\n"));
            }
        }
        ops.push_str("f\n");
        y = y0 - 3.0 * mm;
    }
    for (size, s) in &after {
        text(&mut ops, &mut y, *size, s);
    }
    Ok(pdf_document(w, h, &ops))
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

fn pdf_document(w: f64, h: f64, content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.2} {h:.2}] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
    ];
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
    if let Some(payload) = &t.qr {
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
    b.extend([0x1B, b'a', 0]);
    for (k, v) in &t.facts {
        line(&mut b, &format!("{k}: {v}"));
    }
    for n in &t.notes {
        line(&mut b, n);
    }
    b.extend([b'\n', b'\n', b'\n', 0x1D, b'V', 66, 0]); // feed and cut
    b
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
            qr: Some("LPA:1$smdp.io$K2-ABC".into()),
            facts: vec![("PIN".into(), "0000".into())],
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

    #[test]
    fn long_notes_wrap() {
        assert!(wrap(&"word ".repeat(40), 20).iter().all(|l| l.chars().count() <= 20));
    }
}
