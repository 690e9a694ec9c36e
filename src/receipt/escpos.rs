//! The ticket for a thermal printer, as ESC/POS bytes, and sending them to
//! a network printer (`host:9100`) or a device.

use super::charsets::{CP858_HIGH, NEAREST};
use super::Ticket;
use crate::error::{Error, Result};
use std::io::Write;

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
        for f in &s.facts {
            line(&mut b, &t.fact_line(f));
        }
        b.push(b'\n');
    }
    b.extend([0x1B, b'a', 0]); // left
    for f in &t.facts {
        line(&mut b, &t.fact_line(f));
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
/// Text in code page 858: every letter it has (accents, « », °, ½, €), the
/// nearest letters for the others (’ → ', œ → oe, … → ...), `?` only for
/// what has no letter at all.
pub(super) fn cp858(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        encode(c, &mut out);
    }
    out
}

fn encode(c: char, out: &mut Vec<u8>) {
    if c.is_ascii() {
        out.push(c as u8);
    } else if let Some(i) = CP858_HIGH.iter().position(|&x| x == c) {
        out.push(0x80 + i as u8);
    } else if let Some((_, near)) = NEAREST.iter().find(|(x, _)| *x == c) {
        near.chars().for_each(|n| encode(n, out));
    } else {
        out.push(b'?');
    }
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
