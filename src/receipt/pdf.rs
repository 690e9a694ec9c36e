//! The ticket as PDF, written by Comptoir: Helvetica in WinAnsi, QR codes
//! as vector squares.

use super::charsets::{NEAREST, WINANSI_80_9F};
use super::metrics::HELVETICA;
use super::{Layout, Ticket};
use crate::error::{Error, Result};

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

pub(super) const MM: f64 = 72.0 / 25.4;

/// The ticket's blocks: the shop and the sale, then each section (heading,
/// QR, its lines), then the order's lines and the notes, wrapped to the paper.
fn blocks(t: &Ticket, paper: &Paper) -> Vec<Block> {
    let room = (paper.width - 2.0 * paper.margin) * MM;
    // Every line is wrapped by its measured width, so nothing runs past
    // the paper's edge, whatever the shop's name or the product's.
    let text = |size: f64, s: &str| -> Vec<Block> {
        wrap(s, size, room)
            .into_iter()
            .map(|line| Block::Text { size, text: line })
            .collect()
    };
    let mut out = text(paper.title, &t.shop);
    out.extend(t.address.iter().flat_map(|a| text(paper.body, a)));
    out.extend(text(paper.body, &format!("{}  -  {}", t.date, t.order_id)));
    out.extend(text(paper.title, &t.product));
    out.extend(text(paper.title, &t.price));
    let facts = |facts: &[(String, String)]| -> Vec<Block> {
        facts.iter().flat_map(|f| text(paper.body, &t.fact_line(f))).collect()
    };
    for s in &t.sections {
        out.extend(s.heading.iter().flat_map(|h| text(paper.body * 1.2, h)));
        out.extend(s.qr.iter().map(|q| Block::Qr(q.clone())));
        out.extend(facts(&s.facts));
    }
    out.extend(facts(&t.facts));
    for n in &t.notes {
        out.extend(text(paper.body, n));
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

/// The width of `text` in points at `size`, by Helvetica's metrics.
pub(super) fn width(text: &str, size: f64) -> f64 {
    let units: u32 = text
        .chars()
        .map(|c| match HELVETICA.binary_search_by_key(&c, |(ch, _)| *ch) {
            Ok(i) => u32::from(HELVETICA[i].1),
            Err(_) if c == '\u{a0}' => 278,
            // What the table has not (a nearest letter may be longer): the
            // widest common letter, so a line is never underestimated.
            Err(_) => 1000,
        })
        .sum();
    f64::from(units) * size / 1000.0
}

/// `text` in lines no wider than `room` points at `size`: broken between
/// words, and inside a word only when the word alone is wider.
pub(super) fn wrap(text: &str, size: f64, room: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let last = lines.last_mut().expect("one line");
        let joined = if last.is_empty() {
            word.to_string()
        } else {
            format!("{last} {word}")
        };
        if width(&joined, size) <= room {
            *last = joined;
            continue;
        }
        if !last.is_empty() {
            lines.push(String::new());
        }
        for c in word.chars() {
            let last = lines.last_mut().expect("one line");
            if !last.is_empty() && width(&format!("{last}{c}"), size) > room {
                lines.push(c.to_string());
            } else {
                last.push(c);
            }
        }
    }
    lines
}

/// A PDF string literal in WinAnsiEncoding (Latin-1 plus €), escaped.
pub(super) fn pdf_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        winansi(c, &mut out);
    }
    out
}

/// One character in WinAnsi, escaped for a PDF string: Latin-1, the
/// 0x80–0x9F range (’ “ ” – — … œ Œ Ÿ €), the nearest letters for the rest.
fn winansi(c: char, out: &mut String) {
    let code = c as u32;
    match c {
        '(' | ')' | '\\' => {
            out.push('\\');
            out.push(c);
        }
        _ if code < 0x80 => out.push(c),
        _ if (0xA0..=0xFF).contains(&code) => out.push_str(&format!("\\{code:03o}")),
        _ => {
            if let Some((byte, _)) = WINANSI_80_9F.iter().find(|(_, x)| *x == c) {
                out.push_str(&format!("\\{byte:03o}"));
            } else if let Some((_, near)) = NEAREST.iter().find(|(x, _)| *x == c) {
                near.chars().for_each(|n| winansi(n, out));
            } else {
                out.push('?');
            }
        }
    }
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
