//! The shop's words, from the window's own tables: the core's errors by
//! code (`ui/src/i18n/errors.json`) and the statuses, failure kinds, the
//! report's and the command line's words (`ui/src/i18n/words.json`). One
//! table for both shells: a French shop reads `Livrée` and the same error
//! sentence in the window and in the terminal. `{name}` in a sentence is
//! filled from what is given (an error's details).

use crate::error::Error;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::OnceLock;

const ERRORS: &str = include_str!("../../ui/src/i18n/errors.json");
const WORDS: &str = include_str!("../../ui/src/i18n/words.json");

type Table = HashMap<String, String>;

fn tables() -> &'static (Table, Table) {
    static TABLES: OnceLock<(Table, Table)> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut fr = Table::new();
        let mut en = Table::new();
        for text in [ERRORS, WORDS] {
            let doc: HashMap<String, Table> = serde_json::from_str(text).expect("the words' JSON tables");
            fr.extend(doc.get("fr").cloned().unwrap_or_default());
            en.extend(doc.get("en").cloned().unwrap_or_default());
        }
        (fr, en)
    })
}

fn table(lang: &str) -> &'static Table {
    let (fr, en) = tables();
    if lang.starts_with("fr") {
        fr
    } else {
        en
    }
}

/// The sentence of `key` in `lang` (English when French lacks it, the key
/// itself when neither has it), its `{name}`s filled from `vars`.
pub fn say(lang: &str, key: &str, vars: &[(&str, String)]) -> String {
    let text = table(lang)
        .get(key)
        .or_else(|| table("en").get(key))
        .map(String::as_str)
        .unwrap_or(key);
    fill(text, |name| {
        vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone())
    })
}

/// `{n}` sentences with one and several forms (`key.one`, `key.other`).
pub fn count(lang: &str, key: &str, n: u64, vars: &[(&str, String)]) -> String {
    let form = if n == 1 { "one" } else { "other" };
    let mut all = vars.to_vec();
    all.push(("n", n.to_string()));
    say(lang, &format!("{key}.{form}"), &all)
}

/// An order status as the window names it (`delivered` → `Livrée`).
pub fn status(lang: &str, status: &str) -> String {
    say(lang, &format!("status.{status}"), &[])
}

/// A core error in the shop's language: its code's sentence, filled from
/// its details, as the window shows it; English keeps the core's own
/// message, which says more than the window's short sentence.
pub fn error(lang: &str, e: &Error) -> String {
    if !lang.starts_with("fr") {
        return e.message.clone();
    }
    let key = format!("code.{}", e.code);
    let Some(text) = table(lang).get(&key) else {
        // A code the window never meets: what kind of failure it is, in
        // French, and the core's own words for the rest.
        let kind = serde_json::to_value(e.kind).ok();
        let general = kind
            .as_ref()
            .and_then(Value::as_str)
            .and_then(|k| table(lang).get(&format!("kind.{k}")));
        return match general {
            Some(g) => format!("{g} ({})", e.message),
            None => e.message.clone(),
        };
    };
    fill(text, |name| {
        e.params.get(name).map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
    })
}

/// Fills `{name}`s; one with no value stays as written.
fn fill(text: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                let name = &after[..close];
                out.push_str(&value(name).unwrap_or_else(|| format!("{{{name}}}")));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every error sentence the window has is one the command line has:
    /// none is left in the window's own tables, out of the CLI's reach.
    #[test]
    fn every_error_sentence_lives_in_the_shared_table() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/i18n");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "ts") {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !text.contains("\"code."),
                    "{} holds error sentences: move them to errors.json",
                    path.display()
                );
            }
        }
        for lang in ["fr", "en"] {
            for code in [
                "till.not_open",
                "cashier.unknown",
                "share.unreachable",
                "order.not_found_anywhere",
            ] {
                assert!(table(lang).contains_key(&format!("code.{code}")), "{lang}: {code}");
            }
        }
    }

    /// The codes the core raises (`Error::kind("code", ...)` in `src/`),
    /// read from the source: each has its sentence in French and English,
    /// or a new failure would reach a French shop half in English.
    fn raised_codes() -> std::collections::BTreeSet<String> {
        fn walk(dir: &std::path::Path, out: &mut std::collections::BTreeSet<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (at, _) in text.match_indices("Error::") {
                        let rest = &text[at + "Error::".len()..];
                        let ident = rest.len()
                            - rest
                                .trim_start_matches(|c: char| c.is_ascii_lowercase() || c == '_')
                                .len();
                        let Some(args) = rest[ident..].trim_start().strip_prefix('(') else {
                            continue;
                        };
                        let Some(quoted) = args.trim_start().strip_prefix('"') else {
                            continue;
                        };
                        let code = &quoted[..quoted.find('"').unwrap_or(0)];
                        let shaped = code.contains('.')
                            && code
                                .chars()
                                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
                        if shaped {
                            out.insert(code.to_string());
                        }
                    }
                }
            }
        }
        let mut codes = std::collections::BTreeSet::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut codes,
        );
        codes
    }

    #[test]
    fn every_error_code_raised_has_its_sentence_in_both_languages() {
        // Never said to a person: JSON only (clap's refusal is French by
        // the command line's own table), or made up by tests.
        let unsaid = [
            "cli.bad_arguments",
            "test.read",
            "x.unavailable",
            "no.such.code",
            "journal.order_not_found",
        ];
        let codes = raised_codes();
        assert!(codes.len() > 200, "the scan found only {} codes", codes.len());
        for lang in ["fr", "en"] {
            let missing: Vec<&String> = codes
                .iter()
                .filter(|c| !unsaid.contains(&c.as_str()) && !table(lang).contains_key(&format!("code.{c}")))
                .collect();
            assert!(missing.is_empty(), "{lang}: codes without a sentence: {missing:#?}");
        }
    }

    #[test]
    fn statuses_and_sentences_come_from_the_windows_table() {
        assert_eq!(status("fr", "delivered"), "Livrée");
        assert_eq!(status("en", "delivered"), "Delivered");
        assert_eq!(say("fr", "report.margin", &[]), "Marge");
        assert_eq!(
            count("fr", "report.training_left_out", 12, &[]),
            "12 commandes de formation ne sont pas comptées."
        );
        assert_eq!(say("fr", "no.such.key", &[]), "no.such.key");
    }

    #[test]
    fn errors_are_said_in_french_with_their_details() {
        let e = Error::invalid("import.bad_line", "line 3: amount")
            .with("line", 3)
            .with("reason", "montant illisible");
        assert_eq!(
            error("fr", &e),
            "Fichier refusé, rien n'a été importé : ligne 3, montant illisible."
        );
        assert_eq!(error("en", &e), "line 3: amount");
        let other = Error::invalid("no.such.code", "as the core says it");
        assert_eq!(
            error("fr", &other),
            "Saisie refusée : vérifiez-la et recommencez. (as the core says it)"
        );
    }

    /// What the cashier may meet at the worst moments is said in French,
    /// with what it names: a register found altered, a sale the journal
    /// could not record, a full disk.
    #[test]
    fn the_gravest_errors_are_said_in_french_with_what_they_name() {
        let tampered = Error::new(
            crate::error::ErrorKind::Tampered,
            "register.tampered",
            "receipt 3 differs",
        )
        .with("chain", "receipt")
        .with("seq", 3)
        .with("what", "journal_differs");
        let said = error("fr", &tampered);
        assert!(said.starts_with("Le registre n'est plus intact"), "{said}");
        assert!(
            said.contains("« receipt », enregistrement 3 (journal_differs)"),
            "{said}"
        );
        let unrecorded =
            Error::new(crate::error::ErrorKind::UnknownOutcome, "journal.unrecorded", "…").with("order", "CPT-1");
        let said = error("fr", &unrecorded);
        assert!(
            said.contains("(commande CPT-1)") && said.contains("ne vendez pas une seconde fois"),
            "{said}"
        );
        let full = Error::invalid("file.disk_full", "…").with("path", "/tmp/x.pdf");
        assert_eq!(
            error("fr", &full),
            "Le disque est plein : /tmp/x.pdf n'a pas été écrit. Libérez de la place puis réessayez."
        );
    }

    #[test]
    fn every_french_sentence_has_its_english_one() {
        let (fr, en) = tables();
        let missing: Vec<&String> = fr.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{missing:?}");
    }
}
