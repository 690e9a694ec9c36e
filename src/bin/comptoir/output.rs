//! How the command line prints: one JSON document with `--json`, else
//! lines for a person; and the one-line form of an order.

use comptoir::journal::{cents, Order};
use comptoir::Result;
use std::io::Write;

pub struct Output {
    pub json: bool,
}

/// The shop's language for amounts in the text output (`locale`: `fr`
/// writes `10,00 €`); JSON keeps plain numbers.
static LANG: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();

pub fn set_lang(locale: Option<&str>) {
    let _ = LANG.set(if locale.is_some_and(|l| l.starts_with("fr")) {
        "fr"
    } else {
        "en"
    });
}

/// The shop's language for the text output: `fr` or `en` (the system's
/// until the journal says the shop's, and for failures before it does).
pub fn lang() -> &'static str {
    LANG.get()
        .copied()
        .or_else(comptoir::settings::system_language)
        .unwrap_or("en")
}

/// A sentence of the shared table (`types::words`) in the shop's language.
pub fn say(key: &str) -> String {
    comptoir::types::words::say(lang(), key, &[])
}

/// A label of the shared table and its colon, as the language writes it
/// (`Client : `, `Customer: `).
pub fn label(key: &str) -> String {
    label_of(&say(key))
}

/// Any text as a label, with the language's colon (`expired : `).
pub fn label_of(text: &str) -> String {
    let colon = if lang() == "fr" { " : " } else { ": " };
    format!("{text}{colon}")
}

/// The same, with its `{name}`s filled.
pub fn say_with(key: &str, vars: &[(&str, String)]) -> String {
    comptoir::types::words::say(lang(), key, vars)
}

/// A `{n}` sentence of the shared table, in its one or several form.
pub fn count(key: &str, n: u64, vars: &[(&str, String)]) -> String {
    comptoir::types::words::count(lang(), key, n, vars)
}

/// A calendar day (`2026-12-05`) as the shop writes it (`05/12/2026` in
/// French); anything else as it is.
pub fn day(iso: &str) -> String {
    match chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
        Ok(d) if lang() == "fr" => d.format("%d/%m/%Y").to_string(),
        _ => iso.to_string(),
    }
}

/// An amount in the shop's language.
pub fn money(c: i64, currency: &str) -> String {
    cents::display(c, currency, lang())
}

impl Output {
    /// One JSON document with `--json`, else the human lines. A reader
    /// that stopped reading (`comptoir orders | head -1`) is a clean end:
    /// what was asked is done (a sale made stays made), only the rest of
    /// its printout is not wanted.
    pub fn print<T: serde::Serialize>(&self, value: &T, human: impl FnOnce() -> Vec<String>) -> Result<()> {
        let mut stdout = std::io::stdout().lock();
        let written = if self.json {
            let text = serde_json::to_string_pretty(value).expect("JSON");
            writeln!(stdout, "{text}").and_then(|_| stdout.flush())
        } else {
            let lines = human();
            let lines = if lines.is_empty() {
                vec![say("cli.nothing")]
            } else {
                lines
            };
            // Text from a provider (a ticket's note, a retailer's name) may
            // hold terminal escapes: shown as `\u{1b}`, never obeyed.
            lines
                .iter()
                .try_for_each(|line| writeln!(stdout, "{}", comptoir::types::text::printable(line)))
                .and_then(|_| stdout.flush())
        };
        match written {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => Ok(other?),
        }
    }
}

/// A moment as a person at the counter reads it: in this computer's time
/// zone, `05/12/2026 15:43` (the tickets' form; `--json` keeps RFC 3339).
/// Text that is not a moment (a provider's own date form) stays as it is.
pub fn when(rfc3339: &str) -> String {
    comptoir::receipt::local_time(rfc3339)
}

pub fn order_line(o: &Order) -> String {
    format!(
        "{}  {}  {:<14} {:<12} {:<10} {:>10}  {}{}",
        o.id,
        when(&o.created_at),
        o.provider,
        say(&format!("kind.{}", o.kind.as_str())),
        comptoir::types::words::status(lang(), o.status.as_str()),
        money(o.amount_cents, &o.currency),
        o.product_name,
        if o.training {
            format!("  {}", say("cli.training"))
        } else {
            String::new()
        }
    )
}
