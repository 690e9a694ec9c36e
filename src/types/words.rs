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
            // Why a value was refused, written in English where it was
            // refused: read against the `reason.*` sentences.
            Value::String(s) if name == "reason" => read_as(lang, "reason.", s).unwrap_or_else(|| s.clone()),
            Value::String(s) => status_param(lang, name, s),
            other => other.to_string(),
        })
    })
}

/// An error's `status`, `from` or `to` that is an order status, named as
/// the window names it (`delivered` → `Livrée`); any other value as it is.
/// The window does the same (`ui/src/i18n/index.ts`, `errorText`).
fn status_param(lang: &str, name: &str, value: &str) -> String {
    matches!(name, "status" | "from" | "to")
        .then(|| table(lang).get(&format!("status.{value}")))
        .flatten()
        .cloned()
        .unwrap_or_else(|| value.to_string())
}

/// A technical event's name (`login`, `right:manage`, `software_version`),
/// as the register and the audit trail keep it, in `lang`; a name without
/// words as it is.
pub fn event_name(lang: &str, name: &str) -> String {
    table(lang)
        .get(&format!("register_event.{name}"))
        .cloned()
        .unwrap_or_else(|| name.to_string())
}

/// What a technical event's record says beyond its name, in `lang`: a
/// change as `key: before → after` (nothing before or after: `—`), the
/// other details as `name: value`, an audit entry's subject, its refusal
/// and who approved it. Never JSON: a person reads it.
pub fn event_details(lang: &str, values: &Value) -> String {
    let colon = if lang.starts_with("fr") { " : " } else { ": " };
    let shown = |v: &Value| match v {
        Value::Null => "—".to_string(),
        Value::String(s) if s.is_empty() => "—".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let label = |name: &str| {
        table(lang)
            .get(&format!("register_detail.{name}"))
            .cloned()
            .unwrap_or_else(|| name.to_string())
    };
    let mut parts = Vec::new();
    if let Some(d) = values.get("details").and_then(Value::as_object) {
        if d.contains_key("from") || d.contains_key("to") {
            let change = format!("{} → {}", shown(&d["from"]), shown(&d["to"]));
            parts.push(match d.get("key").and_then(Value::as_str) {
                Some(key) => format!("{key}{colon}{change}"),
                None => change,
            });
        }
        for (name, v) in d.iter().filter(|(n, _)| !matches!(n.as_str(), "key" | "from" | "to")) {
            parts.push(format!("{}{colon}{}", label(name), shown(v)));
        }
    } else if let Some(d) = values.get("details").filter(|d| !d.is_null()) {
        parts.push(shown(d));
    }
    for name in ["subject", "detail"] {
        if let Some(v) = values.get(name).and_then(Value::as_str).filter(|v| !v.is_empty()) {
            parts.push(v.to_string());
        }
    }
    if values.get("allowed") == Some(&Value::Bool(false)) {
        parts.push(say(lang, "register_detail.refused", &[]));
    }
    if let Some(by) = values.get("approved_by").and_then(Value::as_str) {
        parts.push(say(lang, "register_detail.approved_by", &[("name", by.to_string())]));
    }
    parts.join(", ")
}

/// A note of an order's history as the journal keeps it (the core's
/// English, written when it happened), in `lang`: matched against the
/// English of the `note.*` sentences (the most literal one wins), its
/// variable parts carried over; a failure's note (an error code) as its
/// sentence when that needs no detail; anything else (a provider's or a
/// cashier's own words) as written. The window does the same
/// (`ui/src/i18n/index.ts`, `noteText`).
pub fn note(lang: &str, message: &str) -> String {
    if let Some(said) = read_as(lang, "note.", message) {
        return said;
    }
    let code = message.contains('.')
        && message
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
    match table(lang).get(&format!("code.{message}")) {
        Some(sentence) if code && !sentence.contains('{') => sentence.clone(),
        _ => message.to_string(),
    }
}

/// `message`, the core's English, read against the English of the
/// sentences under `prefix` (the most literal reading wins) and said in
/// `lang` with its variable parts carried over; `None` when none reads so.
fn read_as(lang: &str, prefix: &str, message: &str) -> Option<String> {
    // (literal length, key, values) of the best reading so far.
    type Reading<'a> = (usize, &'a str, Vec<(&'a str, &'a str)>);
    let mut best: Option<Reading> = None;
    for (key, template) in table("en").iter().filter(|(k, _)| k.starts_with(prefix)) {
        let Some(vars) = matched(template, message) else {
            continue;
        };
        let literal = template.len() - vars.iter().map(|(n, _)| n.len() + 2).sum::<usize>();
        if best.as_ref().is_none_or(|(l, _, _)| literal > *l) {
            best = Some((literal, key, vars));
        }
    }
    let (_, key, vars) = best?;
    let text = table(lang).get(key).map(String::as_str).unwrap_or(message);
    Some(fill(text, |name| {
        vars.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
    }))
}

/// `message` read as `template` (`paid for order {order}`): the values of
/// its `{name}`s, or `None` when it does not read so.
fn matched<'a, 'm>(template: &'a str, message: &'m str) -> Option<Vec<(&'a str, &'m str)>> {
    let open = template.find('{').unwrap_or(template.len());
    let mut rest = message.strip_prefix(&template[..open])?;
    let mut t = &template[open..];
    let mut vars = Vec::new();
    while !t.is_empty() {
        let close = t.find('}')?;
        let name = &t[1..close];
        t = &t[close + 1..];
        let next = t.find('{').unwrap_or(t.len());
        let literal = &t[..next];
        t = &t[next..];
        let value = if t.is_empty() {
            rest.strip_suffix(literal)?
        } else if literal.is_empty() {
            return None;
        } else {
            &rest[..rest.find(literal)?]
        };
        vars.push((name, value));
        rest = &rest[value.len() + literal.len()..];
    }
    rest.is_empty().then_some(vars)
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
    fn history_notes_written_in_english_are_read_in_the_shops_language() {
        assert_eq!(note("fr", "Orange Travel answered"), "réponse d'Orange Travel");
        assert_eq!(note("fr", "paid for order CPT-1"), "payée pour la commande CPT-1");
        assert_eq!(
            note("fr", "refunded (EDITOR_NOT_DELIVERED): pas reçu, désolé"),
            "remboursé (EDITOR_NOT_DELIVERED) : pas reçu, désolé"
        );
        assert_eq!(
            note("fr", "ticket printed: /home/shop/t.pdf"),
            "ticket imprimé : /home/shop/t.pdf"
        );
        assert_eq!(note("fr", "1 voucher shown"), "1 code affiché");
        assert_eq!(note("fr", "3 vouchers shown"), "3 codes affichés");
        // The most literal reading wins over a looser one.
        assert_eq!(
            note(
                "fr",
                "late authorization T1 cancelled at W-HA: the customer is not billed"
            ),
            "autorisation tardive T1 annulée chez W-HA : le client n'est pas facturé"
        );
        assert_eq!(
            note("fr", "cancelled at W-HA: client parti"),
            "annulé chez W-HA : client parti"
        );
        // A failure's code is its sentence; anything else stays as written.
        assert_eq!(note("fr", "journal.read_only"), table("fr")["code.journal.read_only"]);
        assert_eq!(note("fr", "Orange a dit non"), "Orange a dit non");
        assert_eq!(note("en", "paid for order CPT-1"), "paid for order CPT-1");
        assert_eq!(note("fr", ""), "");
    }

    #[test]
    fn technical_events_are_named_in_the_shops_language() {
        assert_eq!(event_name("fr", "software_version"), "version du logiciel");
        assert_eq!(
            event_name("fr", "right:manage"),
            "droit : rembourser, annuler, vérifier"
        );
        assert_eq!(event_name("en", "wrong_pin"), "wrong PIN");
        assert_eq!(event_name("fr", "something_new"), "something_new");
    }

    #[test]
    fn an_orders_statuses_in_an_error_are_named_in_words() {
        let e = Error::invalid("order.bad_transition", "order X cannot go from delivered to failed")
            .with("id", "X")
            .with("from", "delivered")
            .with("to", "failed");
        let said = error("fr", &e);
        assert!(said.contains("« Livrée »") && said.contains("« Échouée »"), "{said}");
        assert!(!said.contains("delivered"), "{said}");
        // A value that is no status stays as it is.
        assert_eq!(status_param("fr", "to", "2026-12-31"), "2026-12-31");
        assert_eq!(status_param("fr", "id", "failed"), "failed");
    }

    #[test]
    fn an_events_details_read_as_words_not_json() {
        use serde_json::json;
        let setting = json!({"event": "setting", "details": {"key": "shop.siret", "from": null, "to": "732"}});
        assert_eq!(event_details("fr", &setting), "shop.siret : — → 732");
        assert_eq!(event_details("en", &setting), "shop.siret: — → 732");
        let key = json!({"event": "key_generated", "details": {"fingerprint": "ab:cd"}});
        assert_eq!(event_details("fr", &key), "empreinte : ab:cd");
        let start = json!({"details": {"shell": "window", "version": "0.2.0"}});
        assert_eq!(event_details("en", &start), "shell: window, version: 0.2.0");
        let refused = json!({"event": "right:administer", "cashier": "Léa", "allowed": false,
            "approved_by": null, "subject": "shop.name", "detail": ""});
        assert_eq!(event_details("fr", &refused), "shop.name, refusé");
        let approved = json!({"allowed": true, "approved_by": "Sophie", "subject": "CPT-1", "detail": ""});
        assert_eq!(event_details("en", &approved), "CPT-1, approved by Sophie");
        assert_eq!(event_details("en", &json!({"event": "login", "details": null})), "");
        for name in ["setting", "key_generated", "key_imported", "key_backup", "key_uploaded"] {
            assert_ne!(event_name("fr", name), name);
            assert_ne!(event_name("en", name), name);
        }
    }

    /// Every note the core writes into a history has its French: the
    /// literal ones are found in the source as they are written.
    #[test]
    fn every_history_note_the_core_writes_has_its_french() {
        for written in [
            "Orange Travel answered",
            "reconciled with Orange Travel",
            "reconciled: Orange Travel has no such transaction",
            "Amilon answered",
            "checked with Amilon",
            "Amilon has no such order",
            "subscription confirmed at W-HA",
            "confirmed at W-HA: the customer is billed",
            "consulted at W-HA",
            "reconciled: the payment session expired with no return",
            "the customer cancelled on the operator's page",
            "authorized by the customer on the operator's page",
            "eSIM activation code shown",
            "QR code written (SVG)",
            "QR code written (PNG)",
            "synthetic history",
        ] {
            let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
            assert!(
                source_has(&src, &format!("\"{written}\"")),
                "{written:?} is no longer written by the core"
            );
            assert_ne!(note("fr", written), written, "{written:?} has no French");
        }
    }

    fn source_has(dir: &std::path::Path, needle: &str) -> bool {
        std::fs::read_dir(dir).unwrap().any(|e| {
            let path = e.unwrap().path();
            if path.is_dir() {
                source_has(&path, needle)
            } else {
                path.extension().is_some_and(|x| x == "rs") && std::fs::read_to_string(&path).unwrap().contains(needle)
            }
        })
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
