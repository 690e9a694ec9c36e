//! W-HA Internet+ Box: carrier-billing payments and subscriptions
//! (`shared/apis/internet-plus-box-payments.md`, errors in
//! `internet-plus-box-errors.md`). `model` has the wire types, `client`
//! the calls, `signature` the signed return, `sim` the simulator of both
//! operators; here are the fields, the operators and the customer's IP.

pub mod client;
pub mod model;
pub mod signature;
pub mod sim;

pub use client::Client;

use crate::auth::{Grant, TokenSource};
use crate::config::ProviderConfig;
use crate::error::{Error, Result};
use crate::types::{Field, FieldRole, ProviderId};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

const P: ProviderId = ProviderId::InternetPlus;

/// Configuration fields, in the order of the CLI contract
/// (`shared/spec/cli.md`).
pub const FIELDS: &[Field] = &[
    Field::new(
        "auth_url",
        "COMPTOIR_INTERNET_PLUS_AUTH_URL",
        FieldRole::Url("https://dcb-internet.w-ha.com/authServices"),
    ),
    Field::new(
        "bytel_url",
        "COMPTOIR_INTERNET_PLUS_BYTEL_URL",
        FieldRole::Url("https://dcb-internet-bytel.w-ha.com/trxServices"),
    ),
    Field::new(
        "orange_url",
        "COMPTOIR_INTERNET_PLUS_ORANGE_URL",
        FieldRole::Url("https://dcb-internet-oge.w-ha.com/trxServices"),
    ),
    Field::new("client_id", "COMPTOIR_INTERNET_PLUS_CLIENT_ID", FieldRole::Credential),
    Field::new(
        "client_secret",
        "COMPTOIR_INTERNET_PLUS_CLIENT_SECRET",
        FieldRole::Secret,
    ),
    Field::new("hmac_secret", "COMPTOIR_INTERNET_PLUS_HMAC_SECRET", FieldRole::Secret),
    Field::new("return_url", "COMPTOIR_INTERNET_PLUS_RETURN_URL", FieldRole::Credential),
];

/// W-HA's token endpoint (`POST {auth_url}/oauth/v3/token`, the
/// document's "Authentification") and grant: client credentials with a
/// Basic header.
pub fn token_source(config: &ProviderConfig) -> Result<TokenSource> {
    Ok(TokenSource {
        token_url: format!(
            "{}/oauth/v3/token",
            config.require(P, "auth_url")?.trim_end_matches('/')
        ),
        grant: Grant::ClientCredentials {
            client_id: config.require(P, "client_id")?,
            client_secret: config.require_secret(P, "client_secret")?,
        },
        persist: true,
    })
}

/// The operator whose customer pays: each has its own base URL, and a
/// transaction of one is unknown to the other.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operator {
    Orange,
    Bytel,
}

impl Operator {
    /// The session's `operatorId` (`ByTel`, `Orange`), else its `operatorUrl`.
    pub fn from_session(operator_id: Option<&str>, operator_url: Option<&str>) -> Option<Operator> {
        let id = operator_id.unwrap_or("").to_ascii_lowercase();
        let url = operator_url.unwrap_or("").to_ascii_lowercase();
        if id.contains("bytel") || id.contains("bouygues") || url.contains("bytel") {
            Some(Operator::Bytel)
        } else if id.contains("orange") || url.contains("oge") || url.contains("orange") {
            Some(Operator::Orange)
        } else {
            None
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Operator::Orange => "Orange",
            Operator::Bytel => "Bouygues Telecom",
        }
    }
}

/// The customer's IP address, checked before anything is sent: a
/// malformed one is bad input; one that no operator could have given a
/// customer (private, loopback, link-local, reserved...) gets W-HA's own
/// 4042 remedy at once. W-HA decides for the rest (4043: neither operator).
pub fn check_client_ip(text: &str) -> Result<IpAddr> {
    let ip: IpAddr = text.trim().parse().map_err(|_| {
        Error::invalid(
            "internet_plus.bad_ip",
            format!(
                "`{}` is not an IP address (the customer's, as whatismyip.com shows it)",
                text.trim()
            ),
        )
        .with("value", text.trim())
    })?;
    // `::ffff:90.57.78.52` is the IPv4 address written as IPv6: W-HA knows
    // the customer's Box by its IPv4, so that is what is checked and sent.
    let ip = ip.to_canonical();
    if !is_public(ip) {
        return Err(Error::invalid(
            "internet_plus.4042",
            format!(
                "{ip} is not a public address: the customer must be on their Orange or Bouygues Telecom connection, without VPN or proxy"
            ),
        )
        .with("value", ip.to_string()));
    }
    Ok(ip)
}

/// Whether an address is one the Internet routes to a customer.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_unspecified()
                || v4.is_multicast()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (18..20).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first == 0x2001 && v6.segments()[1] == 0x0db8))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_customers_ip_is_checked_before_anything_is_sent() {
        let e = check_client_ip("257.234.340.55").unwrap_err();
        assert_eq!((e.code.as_str(), e.kind.exit_code()), ("internet_plus.bad_ip", 2));
        for private in [
            "192.168.1.10",
            "10.0.0.1",
            "127.0.0.1",
            "169.254.3.4",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "0.0.0.0",
            "240.0.0.1",
            "::ffff:192.168.1.1",
        ] {
            let e = check_client_ip(private).unwrap_err();
            assert_eq!(e.code, "internet_plus.4042", "{private}");
            assert_eq!(e.kind.exit_code(), 2);
        }
        for public in ["90.57.78.52", "176.150.1.2", "2a01:cb00::1"] {
            assert!(check_client_ip(public).is_ok(), "{public}");
        }
    }

    #[test]
    fn the_operator_is_read_from_the_session() {
        assert_eq!(Operator::from_session(Some("ByTel"), None), Some(Operator::Bytel));
        assert_eq!(Operator::from_session(Some("Orange"), None), Some(Operator::Orange));
        assert_eq!(
            Operator::from_session(None, Some("https://dcb-internet-oge.w-ha.com")),
            Some(Operator::Orange)
        );
        assert_eq!(Operator::from_session(Some("Free"), None), None);
    }
}
