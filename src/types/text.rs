//! What text from the counter (or a file) may hold, and counted words.

/// `1 voucher`, `2 vouchers`: English's plural (the core's messages are
/// English; the window translates by code and uses the language's rules).
pub fn count(n: usize, one: &str, other: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { other })
}

/// Unicode's format characters (category Cf): invisible, and some reorder
/// what is around them (U+202E shows `Dupont` as `tnopuD`), so a name
/// holding one can read differently on the screen, the ticket and the CSV.
pub fn is_format(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x0600..=0x0605 | 0x061C | 0x06DD | 0x070F | 0x0890..=0x0891 | 0x08E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F)
}

/// Characters no name or note typed at the counter may hold: control
/// characters (NUL, escapes that drive a terminal), format characters, and
/// the line and paragraph separators U+2028/U+2029 (a line break that
/// `char::is_control` does not see). `multiline` allows `\n` (a note).
pub fn forbidden(c: char, multiline: bool) -> bool {
    if multiline && c == '\n' {
        return false;
    }
    c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The one rule for text that can reach the journal, a provider or a
/// ticket (offer and shop names, customer references, ticket fields,
/// notes, reasons, configuration values): at most `max` characters, none
/// `forbidden`. The journal's import applies it too, so whatever a command
/// wrote, the shop's own export imports back. The reason, in English, for
/// the caller's error.
pub fn check(label: &str, v: &str, max: usize, multiline: bool) -> std::result::Result<(), String> {
    if v.chars().count() > max {
        return Err(format!("{label} is longer than {max} characters"));
    }
    if v.chars().any(|c| forbidden(c, multiline)) {
        return Err(format!("{label} holds a control or invisible character"));
    }
    Ok(())
}

/// `check` as the core's error (`invalid_input`, exit 2), the value trimmed.
pub fn field(code: &str, label: &str, v: &str, max: usize) -> crate::error::Result<String> {
    let v = v.trim();
    check(label, v, max, false).map_err(|why| {
        crate::error::Error::invalid(code, why)
            .with("field", label)
            .with("max", max)
    })?;
    Ok(v.to_string())
}

/// Text that came from a provider, made safe to print to a terminal:
/// control and format characters shown as `\u{…}` escapes (a note holding
/// `ESC [ 2 J` would clear the cashier's screen), line breaks kept.
pub fn printable(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        if c != '\t' && forbidden(c, true) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// The longest product name (offer names become orders' product names).
pub const NAME_MAX: usize = 200;
/// The longest customer reference.
pub const CUSTOMER_MAX: usize = 80;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_rule_refuses_what_a_backup_cannot_restore() {
        assert!(check("name", "Carte Fnac 25 €", NAME_MAX, false).is_ok());
        assert!(check("name", "Dupont\u{202E}", NAME_MAX, false).is_err());
        assert!(check("name", "a\u{2028}b", NAME_MAX, false).is_err());
        assert!(check("name", "a\0b", NAME_MAX, false).is_err());
        assert!(check("name", &"x".repeat(10_000), NAME_MAX, false).is_err());
        assert!(check("note", "line 1\nline 2", 2000, true).is_ok());
        assert!(check("note", "line 1\nline 2", 2000, false).is_err());
        assert_eq!(printable("a\u{1b}[2Jb\nc"), "a\\u{1b}[2Jb\nc");
    }
}
