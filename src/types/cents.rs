//! Money is kept in integer cents; JSON shows it in units (12.5 for
//! 12,50 EUR).

pub fn to_units(cents: i64) -> f64 {
    cents as f64 / 100.0
}
pub fn serialize<S: serde::Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(to_units(*v))
}
pub fn serialize_opt<S: serde::Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(c) => s.serialize_f64(to_units(*c)),
        None => s.serialize_none(),
    }
}
/// `12.50` as the CSV shows it: always two decimals, a dot.
pub fn format(cents: i64) -> String {
    format!(
        "{}{}.{:02}",
        if cents < 0 { "-" } else { "" },
        cents.abs() / 100,
        cents.abs() % 100
    )
}

/// An amount as a language writes it: `15 771,90 €` in French (`fr`),
/// `€15,771.90` in English; a currency without a sign keeps its code.
/// French groups thousands and sets the sign apart with a no-break space
/// (U+00A0, which every ticket font and printer code page has), so an
/// amount never breaks across lines.
pub fn display(cents: i64, currency: &str, lang: &str) -> String {
    let sign = match currency {
        "EUR" => Some('€'),
        "GBP" => Some('£'),
        "USD" => Some('$'),
        _ => None,
    };
    let (minus, abs) = (if cents < 0 { "-" } else { "" }, cents.unsigned_abs());
    let (units, hundredths) = (abs / 100, abs % 100);
    let units = grouped(units, if lang == "fr" { '\u{a0}' } else { ',' });
    match (lang, sign) {
        ("fr", Some(s)) => format!("{minus}{units},{hundredths:02}\u{a0}{s}"),
        ("fr", None) => format!("{minus}{units},{hundredths:02}\u{a0}{currency}"),
        (_, Some(s)) => format!("{minus}{s}{units}.{hundredths:02}"),
        (_, None) => format!("{minus}{units}.{hundredths:02} {currency}"),
    }
}

/// `15771` as `15 771` (or `15,771`): groups of three from the right.
fn grouped(units: u64, separator: char) -> String {
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(d);
    }
    out
}

/// The one rounding rule for money: half-up to the cent, as a French shop
/// prices (1.275 € → 1.28 €), on exact integers, never on floats.
fn round_half_up(numerator: i128, denominator: i128) -> i128 {
    debug_assert!(denominator > 0);
    if numerator >= 0 {
        (2 * numerator + denominator) / (2 * denominator)
    } else {
        -((2 * -numerator + denominator) / (2 * denominator))
    }
}

/// A provider's decimal number (`7.92`, `10.5`) as an exact fraction: the
/// digits and how many of them are decimals. Read from the number's shortest
/// text, which is the text the provider sent. Out of range: none.
fn decimal(x: f64) -> Option<(i128, u32)> {
    if !x.is_finite() || x.abs() >= 1e12 {
        return None;
    }
    let text = format!("{x}");
    let (negative, text) = match text.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, text.as_str()),
    };
    let (units, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 12 {
        return None;
    }
    let digits: i128 = format!("{units}{fraction}").parse().ok()?;
    Some((if negative { -digits } else { digits }, fraction.len() as u32))
}

/// Units (euros, as a provider sends them) in cents, exactly, half-up.
pub fn from_units(units: f64) -> Option<i64> {
    let (digits, scale) = decimal(units)?;
    i64::try_from(round_half_up(digits * 100, 10i128.pow(scale))).ok()
}

/// `cents` plus `percent` % of it (`percent` as the provider writes it,
/// `2` or `10.5`), rounded half-up to the cent.
pub fn plus_percent(cents: i64, percent: f64) -> Option<i64> {
    let (digits, scale) = decimal(percent)?;
    let base = 100 * 10i128.pow(scale);
    i64::try_from(round_half_up(i128::from(cents) * (base + digits), base)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_group_their_thousands_as_each_language_writes_them() {
        assert_eq!(display(1_577_190, "EUR", "fr"), "15\u{a0}771,90\u{a0}€");
        assert_eq!(display(1_577_190, "EUR", "en"), "€15,771.90");
        assert_eq!(display(-123_456_789, "EUR", "fr"), "-1\u{a0}234\u{a0}567,89\u{a0}€");
        assert_eq!(display(99_999, "GBP", "en"), "£999.99");
        assert_eq!(display(100_000, "CHF", "en"), "1,000.00 CHF");
        assert_eq!(display(5, "EUR", "fr"), "0,05\u{a0}€");
    }

    #[test]
    fn percent_fees_are_exact_and_rounded_half_up() {
        assert_eq!(plus_percent(125, 2.0), Some(128), "1.25 € + 2 % = 1.275 → 1.28");
        assert_eq!(plus_percent(792, 10.0), Some(871), "7.92 € + 10 % = 8.712 → 8.71");
        assert_eq!(plus_percent(1000, 12.5), Some(1125));
        assert_eq!(from_units(8.675), Some(868), "a float would give 867");
        assert_eq!(from_units(7.92), Some(792));
        assert_eq!(from_units(-1.005), Some(-101));
        assert_eq!(plus_percent(100, 1e308), None);
        assert_eq!(from_units(f64::NAN), None);
    }

    #[test]
    fn every_price_of_the_grid_matches_exact_half_up() {
        // Prices 1.00 € to 200.00 €, ten fee rates: the exact rational
        // price, rounded half-up in integers, is what the shop charges.
        let rates: [(f64, i128); 10] = [
            (0.5, 5),
            (1.0, 10),
            (2.0, 20),
            (2.5, 25),
            (3.0, 30),
            (5.0, 50),
            (7.5, 75),
            (10.0, 100),
            (12.5, 125),
            (20.0, 200),
        ];
        for cents in 100..=20_000i64 {
            for (rate, tenths) in rates {
                let exact = i128::from(cents) * (1000 + tenths);
                let want = (2 * exact + 1000) / 2000;
                assert_eq!(
                    plus_percent(cents, rate).map(i128::from),
                    Some(want),
                    "{cents} + {rate}%"
                );
            }
        }
    }
}
