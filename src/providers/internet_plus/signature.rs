//! The signed return: W-HA redirects the customer to the shop's return URL
//! with `trxId`, `requestMerchantId`, `sid`, `subId`, `action` and `h`, and
//! `h` says that W-HA wrote the rest.
//!
//! The document says only that `h` is "HMAC-256 computed by W-HA with the
//! parameters above (URL-encoded)", "in hexadecimal", keyed with "the
//! merchant's encrypted secret" shown in the console. Comptoir's reading,
//! kept in this one function pair and used by the simulator too:
//! - HMAC-SHA256, written in lowercase hexadecimal;
//! - the key is the encrypted secret exactly as the console shows it
//!   (`COMPTOIR_INTERNET_PLUS_HMAC_SECRET`), as UTF-8 bytes;
//! - the message is the return URL's query string as received, with the
//!   `h` parameter removed: the other parameters in their order, their
//!   values as they were encoded (`key=value` joined by `&`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// What `h` signs in a query string: every parameter but `h`, as received.
pub fn signed_part(query: &str) -> String {
    query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some("h"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `h` for a signed part: HMAC-SHA256 under the secret, lowercase hex.
pub fn sign(secret: &str, signed_part: &str) -> String {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(signed_part.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `h` (as received, hex) signs `query` under `secret`; compared in
/// constant time, so a forger learns nothing from how long a refusal takes.
pub fn verify(secret: &str, query: &str, h: &str) -> bool {
    let Some(tag) = hex(h) else { return false };
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(signed_part(query).as_bytes());
    mac.verify_slice(&tag).is_ok()
}

fn hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUERY: &str = "trxId=34e4b387&requestMerchantId=CPT-1&sid=14d71196&action=purchaseSuccess";

    #[test]
    fn a_signed_query_verifies_and_nothing_else_does() {
        let h = sign("$2a$10$secret", QUERY);
        assert_eq!(h.len(), 64);
        assert!(h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        let received = format!("{QUERY}&h={h}");
        assert!(verify("$2a$10$secret", &received, &h));
        assert!(!verify("another secret", &received, &h), "wrong key");
        let tampered = received.replace("CPT-1", "CPT-2");
        assert!(!verify("$2a$10$secret", &tampered, &h), "tampered parameter");
        assert!(!verify("$2a$10$secret", &received, "zz"), "not hex");
        assert!(!verify("$2a$10$secret", &received, ""), "missing");
    }

    #[test]
    fn h_may_stand_anywhere_and_values_stay_as_encoded() {
        let q = "trxId=a%2Bb&action=purchaseSuccess";
        let h = sign("k", q);
        assert!(verify("k", &format!("h={h}&{q}"), &h));
        assert_eq!(signed_part(&format!("trxId=a%2Bb&h={h}&action=purchaseSuccess")), q);
    }
}
