//! Mobile numbers as people read them. Orange keeps a French or Spanish
//! number as its last nine digits (`684587587`); the customer knows it as
//! `06 84 58 75 87` in France and `612 34 56 78` in Spain. The journal keeps
//! Orange's form (searches and the provider's answers match on it); every
//! ticket, screen and export shows this one.

/// How a stored number is written for people: French pairs after the
/// trunk `0`, or Spain's 3-2-2-2; anything that is not nine digits as it is.
pub fn display(stored: &str, spanish: bool) -> String {
    let digits = stored.trim();
    // An eSIM's line comes from Orange already national (`0680655762`).
    let digits = match digits.strip_prefix('0') {
        Some(rest) if digits.len() == 10 && !spanish => rest,
        _ => digits,
    };
    if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return stored.to_string();
    }
    if spanish {
        format!("{} {} {} {}", &digits[..3], &digits[3..5], &digits[5..7], &digits[7..])
    } else {
        let national = format!("0{digits}");
        national
            .as_bytes()
            .chunks(2)
            .map(|pair| std::str::from_utf8(pair).expect("ASCII digits"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A number as a spreadsheet or a person wrote it back (`06 84 58 75 87`)
/// in the journal's form (`684587587`); anything else as it is.
pub fn stored(written: &str) -> String {
    let compact: String = written.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
    match compact.strip_prefix('0') {
        Some(rest) if compact.len() == 10 && rest.bytes().all(|b| b.is_ascii_digit()) => rest.to_string(),
        _ if compact.len() == 9 && compact.bytes().all(|b| b.is_ascii_digit()) => compact,
        _ => written.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_the_customer_knows_them() {
        assert_eq!(display("684587587", false), "06 84 58 75 87");
        assert_eq!(display("612345678", true), "612 34 56 78");
        assert_eq!(display("8933201234567890123", false), "8933201234567890123");
        assert_eq!(display("", false), "");
        // An eSIM's line, as Orange gives it.
        assert_eq!(display("0680655762", false), "06 80 65 57 62");
        assert_eq!(display("0680655762x", false), "0680655762x");
    }

    #[test]
    fn a_written_number_comes_back_to_the_journals_form() {
        assert_eq!(stored("06 84 58 75 87"), "684587587");
        assert_eq!(stored("612 34 56 78"), "612345678");
        assert_eq!(stored("684587587"), "684587587");
        assert_eq!(stored(&display("684587587", false)), "684587587");
        assert_eq!(stored("89332012345"), "89332012345");
    }
}
