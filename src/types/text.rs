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
