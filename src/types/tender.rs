//! Means of payment at the till, and amounts typed by a person.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// How the customer pays (part of) a basket.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tender {
    /// Notes and coins into the drawer; change comes back in cash.
    Cash,
    /// The shop's own card terminal: keyed there, confirmed here.
    Card,
    /// W-HA Internet+ Box, carrier billing on the customer's line.
    InternetPlus,
}

impl Tender {
    pub const ALL: [Tender; 3] = [Tender::Cash, Tender::Card, Tender::InternetPlus];

    pub fn as_str(self) -> &'static str {
        match self {
            Tender::Cash => "cash",
            Tender::Card => "card",
            Tender::InternetPlus => "internet-plus",
        }
    }

    /// Which means a refund goes back through first: cash, then the rest
    /// (the customer is at the counter; the drawer pays at once).
    pub fn refund_rank(self) -> u8 {
        match self {
            Tender::Cash => 0,
            Tender::Card => 1,
            Tender::InternetPlus => 2,
        }
    }
}

impl std::fmt::Display for Tender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Tender {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Tender::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            Error::invalid(
                "till.bad_tender",
                format!(
                    "`{}` is not a means of payment: cash, card or internet-plus",
                    super::text::printable(s)
                ),
            )
            .with("value", s)
        })
    }
}

/// An amount as a person types it, in cents: `50`, `50,00`, `50.00`,
/// `1 234,50`, with or without `€`. Never negative, at most two decimals,
/// at most a million.
pub fn parse_amount(text: &str) -> Result<i64> {
    let bad = || {
        Error::invalid(
            "till.bad_amount",
            format!(
                "`{}` is not an amount: write it as 50, 50,00 or 50.00",
                super::text::printable(text)
            ),
        )
        .with("value", text)
    };
    let cleaned: String = text
        .trim()
        .trim_end_matches('€')
        .trim_start_matches('€')
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    let (units, fraction) = match cleaned.split_once([',', '.']) {
        Some((u, f)) => (u, f),
        None => (cleaned.as_str(), ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(units) || (!fraction.is_empty() && !digits(fraction)) || fraction.len() > 2 || units.len() > 7 {
        return Err(bad());
    }
    let units: i64 = units.parse().map_err(|_| bad())?;
    let hundredths: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let cents = units * 100 + hundredths;
    if cents > 100_000_000 {
        return Err(bad());
    }
    Ok(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_the_shop_types_them() {
        for (text, cents) in [
            ("50", 5000),
            ("50,00", 5000),
            ("50.00", 5000),
            ("50,5", 5050),
            (" 1 234,56 € ", 123_456),
            ("0,07", 7),
            ("€12", 1200),
        ] {
            assert_eq!(parse_amount(text).unwrap(), cents, "{text}");
        }
        for text in ["", "-5", "5,123", "abc", "5,,0", "1.234,56", "12e3", ",5", "99999999"] {
            assert_eq!(parse_amount(text).unwrap_err().code, "till.bad_amount", "{text}");
        }
    }

    #[test]
    fn tenders_read_back_as_written() {
        for t in Tender::ALL {
            assert_eq!(t.as_str().parse::<Tender>().unwrap(), t);
        }
        assert_eq!("cheque".parse::<Tender>().unwrap_err().code, "till.bad_tender");
    }
}
