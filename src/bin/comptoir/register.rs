//! `comptoir register`: the register a tax office trusts: verify it,
//! print its public key.

use crate::output::Output;
use clap::Subcommand;
use comptoir::{Comptoir, Result};

#[derive(Subcommand)]
pub enum RegisterCommand {
    /// Recompute every chain, signature and the head record, and check the journal's receipts, payments,
    /// refunds and orders against their records: exit 0, or 6 naming the first defect
    Verify,
    /// The installation's public signing key (PEM): `openssl pkey -pubin` reads it
    Key,
}

pub async fn register(app: &Comptoir, out: &Output, command: RegisterCommand) -> Result<()> {
    match command {
        RegisterCommand::Verify => {
            let started = std::time::Instant::now();
            let last = std::sync::Mutex::new(std::time::Instant::now());
            let progress = |done: i64, total: i64| {
                // Long runs say where they are, twice a second at most.
                let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                if started.elapsed().as_secs() >= 1 && last.elapsed().as_millis() >= 500 {
                    *last = std::time::Instant::now();
                    eprintln!("verifying the register: {done} of {total} records…");
                }
            };
            let v = comptoir::register::verify::verify(app, &progress).await?;
            out.print(&v, || {
                let mut lines = vec![format!("register intact: {} records", v.records)];
                lines.extend(
                    v.chains
                        .iter()
                        .map(|(c, n)| format!("  {c:<10} {n} records, chained and signed")),
                );
                lines.push(format!(
                    "  {} receipts, refunds and orders match their records",
                    v.cross_checked
                ));
                lines
            })
        }
        RegisterCommand::Key => {
            let pem = comptoir::register::public_key(app)?;
            out.print(&serde_json::json!({ "public_key": pem }), || {
                vec![pem.trim_end().to_string()]
            })
        }
    }
}
