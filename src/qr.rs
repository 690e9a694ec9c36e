//! eSIM QR codes: the GSMA SGP.22 activation code `LPA:1$<SM-DP+>$<matching
//! id>`, drawn at error correction M with a 4-module quiet zone.

use crate::error::{Error, Result};
use image::Luma;
use qrcode::{EcLevel, QrCode};

/// The QR payload for an eSIM: the decrypted code when it already is an LPA
/// activation code; built from `smdp_url` and the code (a matching id) when
/// not; refused otherwise, rather than print a QR that no phone can use.
pub fn lpa_payload(decrypted: &str, smdp_url: Option<&str>) -> Result<String> {
    let code = decrypted.trim();
    if let Some(rest) = code.strip_prefix("LPA:1$") {
        let mut parts = rest.split('$');
        let address = parts.next().unwrap_or("");
        let matching = parts.next();
        if is_host(address) && matching.is_some() {
            return Ok(code.to_string());
        }
        return Err(not_an_activation_code());
    }
    let smdp = smdp_url
        .map(|u| {
            u.trim()
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches('/')
        })
        .filter(|u| is_host(u));
    match smdp {
        Some(host) if is_matching_id(code) => Ok(format!("LPA:1${host}${code}")),
        _ => Err(not_an_activation_code()),
    }
}

fn not_an_activation_code() -> Error {
    Error::invalid(
        "qr.not_an_activation_code",
        "Orange's answer holds no usable eSIM activation code (neither LPA:1$... nor an SM-DP+ address and matching id)",
    )
}

fn is_host(s: &str) -> bool {
    !s.is_empty()
        && s.contains('.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b':')
}

fn is_matching_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 255 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn code(payload: &str) -> Result<QrCode> {
    QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| Error::invalid("qr.too_long", format!("cannot draw this QR code: {e}")))
}

/// PNG, `module_px` pixels a module (8 gives a 30-40 mm code at 300 dpi).
pub fn png(payload: &str, module_px: u32) -> Result<Vec<u8>> {
    let img = code(payload)?
        .render::<Luma<u8>>()
        .quiet_zone(true)
        .module_dimensions(module_px, module_px)
        .build();
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageLuma8(img)
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| Error::internal("qr.encode", format!("cannot write the PNG: {e}")))?;
    Ok(out.into_inner())
}

/// SVG: sharp at any size, for the screen and for printing.
pub fn svg(payload: &str) -> Result<String> {
    Ok(code(payload)?
        .render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(256, 256)
        .build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_rules() {
        assert_eq!(
            lpa_payload("LPA:1$smdp.io$K2-ABC", None).unwrap(),
            "LPA:1$smdp.io$K2-ABC"
        );
        assert_eq!(
            lpa_payload("K2-ABC", Some("https://smdp.io/")).unwrap(),
            "LPA:1$smdp.io$K2-ABC"
        );
        for (bad, smdp) in [
            ("K2-ABC", None),
            ("K2-ABC", Some("")),
            ("LPA:1$$K2", None),
            ("hello world", Some("smdp.io")),
            ("", Some("smdp.io")),
        ] {
            assert_eq!(
                lpa_payload(bad, smdp).unwrap_err().code,
                "qr.not_an_activation_code",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn png_decodes_back_with_an_independent_decoder() {
        let payload = "LPA:1$smdp.io$K2-1W2XQ4-1OR8GUH";
        let png = png(payload, 8).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(img);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        let (meta, content) = grids[0].decode().unwrap();
        assert_eq!(content, payload);
        // rqrr reports the raw format bits: M is 0b00 (L 1, H 2, Q 3).
        assert_eq!(meta.ecc_level, 0, "error correction level M");
    }

    #[test]
    fn svg_is_a_scalable_picture() {
        let svg = svg("LPA:1$smdp.io$K2-1").unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
