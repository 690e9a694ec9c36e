//! How VAT applies to what the shop sells: a treatment per provider and
//! kind of product. The defaults are the integrator's reading of French
//! VAT, written in the README for the shop's accountant to confirm:
//! - a top-up is sold in the operator's name and on its behalf
//!   (`agent`): its face value is not the shop's turnover, only the
//!   commission the operator pays is (taxed at 20 % on the shop's
//!   invoice to the operator, not on the customer's receipt);
//! - a gift card usable at many retailers is a multi-purpose voucher
//!   (`mpv`): outside VAT when sold, taxed when spent;
//! - a travel eSIM is bought by the shop and resold in its own name
//!   (`vat:20`): VAT at 20 % on its price;
//! - an Internet+ payment is collected for the merchant by the carrier
//!   (`agent`).

use crate::error::{Error, Result};

/// Rates are in basis points: 2000 is 20 %, 550 is 5.5 %.
pub type Rate = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// In the operator's name and on its behalf: outside the shop's VAT.
    Agent,
    /// Multi-purpose voucher: outside VAT when sold.
    Mpv,
    /// Sold in the shop's own name (or a single-purpose voucher): VAT at this rate.
    Vat(Rate),
}

impl Treatment {
    /// The rate charged on the receipt, if any (out of scope: none).
    pub fn rate(self) -> Option<Rate> {
        match self {
            Treatment::Vat(r) => Some(r),
            _ => None,
        }
    }

    pub fn as_string(self) -> String {
        match self {
            Treatment::Agent => "agent".into(),
            Treatment::Mpv => "mpv".into(),
            Treatment::Vat(r) => format!("vat:{}", rate_text(r)),
        }
    }
}

/// `20`, `5.5`, `2.1`: a rate as a person writes it.
pub fn rate_text(r: Rate) -> String {
    if r % 100 == 0 {
        (r / 100).to_string()
    } else {
        format!("{}.{}", r / 100, format!("{:02}", r % 100).trim_end_matches('0'))
    }
}

impl std::str::FromStr for Treatment {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = || {
            Error::invalid(
                "tax.bad_treatment",
                format!("`{s}` is not a tax treatment: agent, mpv, or vat:RATE (vat:20, vat:5.5)"),
            )
        };
        match s.trim() {
            "agent" => Ok(Treatment::Agent),
            "mpv" => Ok(Treatment::Mpv),
            other => {
                let rate = other.strip_prefix("vat:").ok_or_else(bad)?;
                let (units, frac) = rate.split_once('.').unwrap_or((rate, ""));
                if units.is_empty()
                    || frac.len() > 2
                    || !(units.bytes().chain(frac.bytes())).all(|b| b.is_ascii_digit())
                {
                    return Err(bad());
                }
                let bp =
                    units.parse::<i64>().map_err(|_| bad())? * 100 + format!("{frac:0<2}").parse::<i64>().unwrap_or(0);
                if bp > 10_000 {
                    return Err(bad());
                }
                Ok(Treatment::Vat(bp))
            }
        }
    }
}

/// The setting that holds a provider's kind's treatment.
pub fn setting_key(provider: &str, kind: &str) -> String {
    format!("tax.{provider}.{kind}")
}

/// The products a basket can hold, and their default treatment.
pub const DEFAULTS: &[(&str, &str, Treatment)] = &[
    ("orange-travel", "esim", Treatment::Vat(2000)),
    ("orange-travel", "topup", Treatment::Agent),
    ("amilon", "giftcard", Treatment::Mpv),
    ("internet-plus", "payment", Treatment::Agent),
];

pub fn default_for(provider: &str, kind: &str) -> Treatment {
    DEFAULTS
        .iter()
        .find(|(p, k, _)| *p == provider && *k == kind)
        .map_or(Treatment::Vat(2000), |(_, _, t)| *t)
}

/// Splits an amount including tax into (excluding tax, tax), the tax
/// rounded to the cent, half away from zero (a refund splits as its sale).
pub fn split(total: i64, rate: Rate) -> (i64, i64) {
    let num = total as i128 * rate as i128;
    let den = 10_000 + rate as i128;
    let tax = (2 * num + den * num.signum()) / (2 * den);
    (total - tax as i64, tax as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn treatments_read_and_write_back() {
        for s in ["agent", "mpv", "vat:20", "vat:5.5", "vat:2.1", "vat:0"] {
            assert_eq!(s.parse::<Treatment>().unwrap().as_string(), s);
        }
        assert_eq!("vat:5.5".parse::<Treatment>().unwrap(), Treatment::Vat(550));
        for bad in ["vat", "vat:", "vat:x", "vat:5.555", "vat:101", "tva:20", ""] {
            assert!(bad.parse::<Treatment>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_total_splits_into_base_and_tax_to_the_cent() {
        assert_eq!(split(3000, 2000), (2500, 500));
        assert_eq!(split(1000, 2000), (833, 167));
        assert_eq!(split(-1000, 2000), (-833, -167));
        assert_eq!(split(1055, 550), (1000, 55));
        assert_eq!(split(0, 2000), (0, 0));
    }
}
