//! How the command line prints: one JSON document with `--json`, else
//! lines for a person; and the one-line form of an order.

use comptoir::journal::{cents, Order};
use comptoir::Result;
use std::io::Write;

pub struct Output {
    pub json: bool,
}

impl Output {
    /// One JSON document with `--json`, else the human lines.
    pub fn print<T: serde::Serialize>(&self, value: &T, human: impl FnOnce() -> Vec<String>) -> Result<()> {
        let mut stdout = std::io::stdout().lock();
        if self.json {
            let text = serde_json::to_string_pretty(value).expect("JSON");
            writeln!(stdout, "{text}")?;
        } else {
            let lines = human();
            if lines.is_empty() {
                writeln!(stdout, "(nothing)")?;
            }
            for line in lines {
                writeln!(stdout, "{line}")?;
            }
        }
        Ok(())
    }
}

pub fn order_line(o: &Order) -> String {
    format!(
        "{}  {}  {:<14} {:<9} {:<10} {:>8} {}  {}{}",
        o.id,
        &o.created_at[..16.min(o.created_at.len())],
        o.provider,
        o.kind.as_str(),
        o.status,
        cents::format(o.amount_cents),
        o.currency,
        o.product_name,
        if o.training { "  [training]" } else { "" }
    )
}
