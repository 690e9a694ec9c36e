//! Quantities as the shop's language writes them, one way everywhere (the
//! command line, tickets): data in Go/Mo in French and GB/MB in English,
//! airtime in minutes. Orange's answers say `Gb`, `Mb`, `seconds` or
//! `hours`; the amount is kept as sent, only its unit is said the shop's
//! way (airtime is turned into minutes).

/// `13.2` with `Gb` → `13,2 Go` (French) or `13.2 GB` (English). A unit
/// that is not a size (or none) keeps the amount with what was sent.
pub fn data(amount: f64, unit: Option<&str>, lang: &str) -> String {
    let fr = lang == "fr";
    let unit = unit.unwrap_or("").trim();
    let said = match unit.to_ascii_lowercase().as_str() {
        "gb" | "go" | "gib" | "g" => Some(if fr { "Go" } else { "GB" }),
        "mb" | "mo" | "mib" | "m" => Some(if fr { "Mo" } else { "MB" }),
        "kb" | "ko" | "kib" | "k" => Some(if fr { "ko" } else { "kB" }),
        "tb" | "to" | "tib" => Some(if fr { "To" } else { "TB" }),
        _ => None,
    };
    let number = decimal(amount, fr);
    match said {
        Some(u) => format!("{number}\u{a0}{u}"),
        None if unit.is_empty() => number,
        None => format!("{number} {unit}"),
    }
}

/// Airtime in minutes: `1800` `seconds` → `30 min`, `2` `hours` → `120 min`.
pub fn airtime(amount: f64, unit: Option<&str>, lang: &str) -> String {
    let fr = lang == "fr";
    let minutes = match unit.unwrap_or("").trim().to_ascii_lowercase().as_str() {
        "seconds" | "second" | "secondes" | "s" | "sec" => amount / 60.0,
        "hours" | "hour" | "heures" | "h" => amount * 60.0,
        _ => amount,
    };
    format!("{}\u{a0}min", decimal(minutes, fr))
}

/// At most one decimal, none when whole: `13,2` / `13.2`, `30`.
pub fn decimal(n: f64, fr: bool) -> String {
    let rounded = (n * 10.0).round() / 10.0;
    let text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    };
    if fr {
        text.replace('.', ",")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_said_in_go_and_mo_in_french_and_gb_and_mb_in_english() {
        assert_eq!(data(13.2, Some("Gb"), "fr"), "13,2\u{a0}Go");
        assert_eq!(data(13.2, Some("Gb"), "en"), "13.2\u{a0}GB");
        assert_eq!(data(800.0, Some("Mb"), "fr"), "800\u{a0}Mo");
        assert_eq!(data(30.0, Some("GB"), "en"), "30\u{a0}GB");
        assert_eq!(data(5.0, None, "fr"), "5");
        assert_eq!(data(5.0, Some("units"), "en"), "5 units");
    }

    #[test]
    fn airtime_is_said_in_minutes() {
        assert_eq!(airtime(1800.0, Some("seconds"), "en"), "30\u{a0}min");
        assert_eq!(airtime(2.0, Some("hours"), "fr"), "120\u{a0}min");
        assert_eq!(airtime(90.0, Some("seconds"), "fr"), "1,5\u{a0}min");
        assert_eq!(airtime(45.0, Some("minutes"), "en"), "45\u{a0}min");
    }
}
