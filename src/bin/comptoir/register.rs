//! `comptoir register`: the register a tax office trusts: verify it,
//! print its public key.

use crate::output::Output;
use clap::Subcommand;
use comptoir::register::archive::{self, Archived};
use comptoir::register::closing::{self, Closing};
use comptoir::{Comptoir, Result};

fn money(cents: i64, currency: &str) -> String {
    comptoir::types::cents::display(cents, currency, "en")
}

fn archived_lines(what: &str, a: &Archived) -> Vec<String> {
    let mut lines = vec![format!("{what} of {} to {} written to {}", a.from, a.to, a.path)];
    lines.extend(a.records.iter().map(|(c, n)| format!("  {c:<10} {n} records")));
    lines
}

fn closing_lines(c: &Closing) -> Vec<String> {
    let mut lines = vec![format!(
        "{} closing {} ({} to {}){}",
        c.kind,
        c.period,
        c.from,
        c.to,
        if c.made { ", made now" } else { "" }
    )];
    lines.push(format!("  receipts {}  refunds {}", c.receipts, c.refunds));
    for r in &c.by_rate {
        lines.push(format!(
            "  VAT {:>5} %  excl. {:>12}  VAT {:>10}  incl. {:>12}",
            comptoir::types::tax::rate_text(r.rate),
            money(r.base, &c.currency),
            money(r.tax, &c.currency),
            money(r.total, &c.currency)
        ));
    }
    lines.push(format!("  outside VAT  {}", money(c.out_of_scope, &c.currency)));
    for t in &c.tenders {
        lines.push(format!("  {:<14} {}", t.tender, money(t.amount, &c.currency)));
    }
    lines.push(format!("  period total        {}", money(c.period_total, &c.currency)));
    lines.push(format!(
        "  perpetual total     {}",
        money(c.perpetual_total, &c.currency)
    ));
    lines.push(format!(
        "  perpetual absolute  {}",
        money(c.perpetual_absolute, &c.currency)
    ));
    lines.push(format!(
        "  signed record {} ({})",
        c.seq,
        &c.hash[..16.min(c.hash.len())]
    ));
    lines
}

/// `05/12/2026 06:40:12  #3  software_version  {"from":"0.1.0","to":"0.2.0"}`
fn event_line(r: &comptoir::journal::Record) -> String {
    let at = chrono::DateTime::parse_from_rfc3339(&r.at)
        .map(|t| t.format("%d/%m/%Y %H:%M:%S").to_string())
        .unwrap_or_else(|_| r.at.clone());
    let what = r.values["event"].as_str().unwrap_or("?");
    let who = r.values["cashier"]
        .as_str()
        .map(|c| format!("  {c}"))
        .unwrap_or_default();
    let details = match &r.values["details"] {
        serde_json::Value::Null => String::new(),
        d => format!("  {d}"),
    };
    format!("{at}  #{}  {what}{who}{details}", r.seq)
}

#[derive(Subcommand)]
pub enum RegisterCommand {
    /// Recompute every chain, signature and the head record, and check the journal's receipts, payments,
    /// refunds and orders against their records: exit 0, or 6 naming the first defect
    Verify {
        /// Every counter's register as the shop's database holds it (chains and signatures, by the key each
        /// counter pushed)
        #[arg(long)]
        everywhere: bool,
    },
    /// The installation's public signing key (PEM): `openssl pkey -pubin` reads it
    Key,
    /// The technical events the register holds (logins, software versions...), newest first
    Events {
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Make that closing now if it is due and not made (closings are also made by themselves at the first
    /// operation after the period ends); prints it
    Close {
        #[arg(value_parser = ["day", "month", "year"])]
        kind: String,
        /// A day inside the period (default: the last period over)
        #[arg(long, value_name = "DAY")]
        date: Option<chrono::NaiveDate>,
        #[command(flatten)]
        paper: crate::till::PaperArgs,
    },
    /// The closings made, newest first
    Closings {
        #[arg(long, value_parser = ["day", "month", "year"])]
        kind: Option<String>,
    },
    /// A signed archive of a period (at most one fiscal year; its days are closed first)
    Archive {
        #[arg(long, value_name = "DAY")]
        from: chrono::NaiveDate,
        #[arg(long, value_name = "DAY")]
        to: chrono::NaiveDate,
        #[arg(long, value_name = "FILE.zip")]
        out: std::path::PathBuf,
    },
    /// Check an archive with nothing but the file: exit 0, or 6 naming what changed
    VerifyArchive { file: std::path::PathBuf },
    /// Everything the tax office may ask for a period, with the auditor's guide (in French)
    Export {
        #[arg(long, value_name = "DAY")]
        from: chrono::NaiveDate,
        #[arg(long, value_name = "DAY")]
        to: chrono::NaiveDate,
        #[arg(long, value_name = "DIR")]
        out: std::path::PathBuf,
    },
}

pub async fn register(app: &Comptoir, out: &Output, command: RegisterCommand) -> Result<()> {
    match command {
        RegisterCommand::Verify { everywhere: true } => {
            let v = comptoir::app::share::verify_everywhere(app).await?;
            out.print(&v, || {
                let mut lines = vec![format!(
                    "the shop's register is intact: {} records from {} counters",
                    v.records,
                    v.counters.len()
                )];
                for c in &v.counters {
                    let chains: Vec<String> = c.chains.iter().map(|(k, n)| format!("{k} {n}")).collect();
                    lines.push(format!(
                        "  {:<8} {} records, chained and signed ({})",
                        c.counter,
                        c.records,
                        chains.join(", ")
                    ));
                }
                lines
            })
        }
        RegisterCommand::Verify { everywhere: false } => {
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
        RegisterCommand::Close { kind, date, paper } => {
            let c = closing::close(app, kind.parse()?, date).await?;
            if let Some(path) = paper.pdf {
                let layout = paper.layout.map(|l| l.parse()).transpose()?;
                let to = comptoir::app::print::Destination::Pdf(path);
                comptoir::app::print::print_closing(app, &c, to, layout).await?;
            }
            out.print(&c, || closing_lines(&c))
        }
        RegisterCommand::Closings { kind } => {
            let all = closing::list(app, kind.map(|k| k.parse()).transpose()?).await?;
            out.print(&all, || {
                if all.is_empty() {
                    return vec!["no closing yet: a day closes itself at the first operation after it ends".into()];
                }
                all.iter()
                    .map(|c| {
                        format!(
                            "{:<6} {:<22} {:>4} receipts  period {:>12}  perpetual {:>12}",
                            c.kind,
                            c.period,
                            c.receipts,
                            money(c.period_total, &c.currency),
                            money(c.perpetual_total, &c.currency)
                        )
                    })
                    .collect()
            })
        }
        RegisterCommand::Archive { from, to, out: file } => {
            let a = archive::archive(app, from, to, &file).await?;
            out.print(&a, || archived_lines("archive", &a))
        }
        RegisterCommand::Export { from, to, out: dir } => {
            let a = archive::export(app, from, to, &dir).await?;
            out.print(&a, || archived_lines("export", &a))
        }
        RegisterCommand::VerifyArchive { file } => {
            let v = archive::verify_archive(&file)?;
            out.print(&v, || {
                let mut lines = vec![format!(
                    "archive intact: {} to {}, {} files, sealed and signed",
                    v.from, v.to, v.files
                )];
                lines.extend(
                    v.records
                        .iter()
                        .map(|(c, n)| format!("  {c:<10} {n} records, chained and signed")),
                );
                lines
            })
        }
        RegisterCommand::Events { limit } => {
            let events = app.journal.register_events(limit).await?;
            out.print(&events, || events.iter().map(event_line).collect())
        }
        RegisterCommand::Key => {
            let pem = comptoir::register::public_key(app)?;
            out.print(&serde_json::json!({ "public_key": pem }), || {
                vec![pem.trim_end().to_string()]
            })
        }
    }
}
