//! Countries by name in the shop's two languages (ISO 3166-1, English and
//! French names from Debian's iso-codes, in `countries.tsv`), and the
//! folding searches use so that neither case nor accents matter:
//! `espagne`, `Spain`, `etats-unis` and `États-Unis` find what they name.

use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

const TABLE: &str = include_str!("countries.tsv");

struct Country {
    code: &'static str,
    english: &'static str,
    french: &'static str,
    /// Both names folded, for searches.
    folded: String,
}

fn table() -> &'static [Country] {
    static TABLE_ROWS: OnceLock<Vec<Country>> = OnceLock::new();
    TABLE_ROWS.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|l| {
                let mut f = l.split('\t');
                let (code, english, french) = (f.next()?, f.next()?, f.next()?);
                Some(Country {
                    code,
                    english,
                    french,
                    folded: format!("{}|{}", fold(english), fold(french)),
                })
            })
            .collect()
    })
}

/// Lower case without accents (`États-Unis` → `etats-unis`, `Œ` → `oe`).
pub fn fold(s: &str) -> String {
    // The catalog's search folds every item's text on each keystroke: ASCII
    // (most of it) takes the short way, and nothing is allocated per
    // character (a String per character made the search ten times slower).
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .flat_map(char::to_lowercase)
    {
        match c {
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            'ß' => out.push_str("ss"),
            '’' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}

/// The codes of the countries whose English or French name holds `word`
/// (any case, any accents); none for a word of fewer than three letters,
/// which would name half the world.
pub fn named(word: &str) -> Vec<&'static str> {
    let word = fold(word.trim());
    if word.chars().count() < 3 {
        return vec![];
    }
    table()
        .iter()
        .filter(|c| c.folded.contains(&word))
        .map(|c| c.code)
        .collect()
}

/// A country's name in `lang` (`fr` or else English), by its code.
pub fn name(code: &str, lang: &str) -> Option<&'static str> {
    let c = table().iter().find(|c| c.code.eq_ignore_ascii_case(code))?;
    Some(if lang.starts_with("fr") { c.french } else { c.english })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_found_in_french_and_english_whatever_the_accents() {
        assert_eq!(named("Espagne"), vec!["ES"]);
        assert_eq!(named("spain"), vec!["ES"]);
        // The United States, and the islands whose names hold theirs.
        assert!(named("etats-unis").contains(&"US"));
        assert_eq!(named("ÉTATS-UNIS"), named("etats-unis"));
        assert!(named("maroc").contains(&"MA"));
        assert!(named("thailande").contains(&"TH"));
        assert!(named("es").is_empty(), "too short to be a name");
        assert!(named("Atlantide").is_empty());
    }

    #[test]
    fn the_table_is_whole_and_names_in_both_languages() {
        assert_eq!(table().len(), 249);
        assert_eq!(name("gb", "fr"), Some("Royaume-Uni"));
        assert_eq!(name("GB", "en"), Some("United Kingdom"));
        assert_eq!(fold("Œuvre España Côte"), "oeuvre espana cote");
        assert_eq!(fold("Holiday EUROPE 30 Go"), "holiday europe 30 go");
        assert_eq!(fold("ÉTATS-UNIS’s Straße"), "etats-unis's strasse");
    }
}
