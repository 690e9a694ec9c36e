//! `comptoir register`: the register a tax office trusts: verify it,
//! print its public key.

use crate::output::{count, day, say, say_with, Output};
use clap::Subcommand;
use comptoir::register::archive::{self, Archived};
use comptoir::register::closing::{self, Closing};
use comptoir::{Comptoir, Result};

fn money(cents: i64, currency: &str) -> String {
    crate::output::money(cents, currency)
}

/// `  Tickets     12 records, chained and signed` in the shop's words.
fn chain_line(chain: &str, n: i64, chained: bool) -> String {
    let name = say(&format!("register.chain.{chain}"));
    let records = count("cli.register.records", n as u64, &[]);
    let signed = if chained {
        format!(", {}", say("cli.register.chained"))
    } else {
        String::new()
    };
    format!("  {name:<21} {records}{signed}")
}

fn archived_lines(what: &str, a: &Archived) -> Vec<String> {
    let vars = [
        ("what", say(&format!("cli.register.{what}"))),
        ("from", day(&a.from.to_string())),
        ("to", day(&a.to.to_string())),
        ("path", a.path.clone()),
    ];
    let mut lines = vec![say_with("cli.register.written", &vars)];
    lines.extend(a.records.iter().map(|(c, n)| chain_line(c, *n, false)));
    lines
}

fn closing_lines(c: &Closing) -> Vec<String> {
    let m = |cents: i64| money(cents, &c.currency);
    let head = [
        ("kind", say(&format!("register.closing.{}", c.kind))),
        ("period", c.period.clone()),
        ("from", day(&c.from.to_string())),
        ("to", day(&c.to.to_string())),
    ];
    let made = if c.made {
        say("cli.register.made_now")
    } else {
        String::new()
    };
    let mut lines = vec![say_with("cli.register.closing_head", &head) + &made];
    let counts = [("receipts", c.receipts.to_string()), ("refunds", c.refunds.to_string())];
    lines.push(format!("  {}", say_with("cli.register.receipts_refunds", &counts)));
    for r in &c.by_rate {
        let vars = [
            ("rate", format!("{:>5}", comptoir::types::tax::rate_text(r.rate))),
            ("base", format!("{:>12}", m(r.base))),
            ("tax", format!("{:>10}", m(r.tax))),
            ("total", format!("{:>12}", m(r.total))),
        ];
        lines.push(format!("  {}", say_with("cli.register.vat_line", &vars)));
    }
    let totals = [
        (say("cli.register.outside_vat"), c.out_of_scope),
        (say("cli.register.period_total"), c.period_total),
        (say("cli.register.perpetual_total"), c.perpetual_total),
        (say("cli.register.perpetual_absolute"), c.perpetual_absolute),
    ];
    lines.push(format!("  {:<24} {:>12}", totals[0].0, m(totals[0].1)));
    for t in &c.tenders {
        let tender = say(&format!("tender.{}", t.tender));
        lines.push(format!("  {tender:<24} {:>12}", m(t.amount)));
    }
    for (label, cents) in &totals[1..] {
        lines.push(format!("  {label:<24} {:>12}", m(*cents)));
    }
    let signed = [
        ("seq", c.seq.to_string()),
        ("hash", c.hash[..16.min(c.hash.len())].to_string()),
    ];
    lines.push(format!("  {}", say_with("cli.register.signed", &signed)));
    lines
}

/// `05/12/2026 06:40:12  #3  software_version  {"from":"0.1.0","to":"0.2.0"}`,
/// in this computer's time zone.
fn event_line(r: &comptoir::journal::Record) -> String {
    let at = chrono::DateTime::parse_from_rfc3339(&r.at)
        .map(|t| t.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M:%S").to_string())
        .unwrap_or_else(|_| r.at.clone());
    let what = comptoir::types::words::event_name(crate::output::lang(), r.values["event"].as_str().unwrap_or("?"));
    let who = r.values["cashier"]
        .as_str()
        .map(|c| format!("  {c}"))
        .unwrap_or_default();
    let details = match comptoir::types::words::event_details(crate::output::lang(), &r.values) {
        d if d.is_empty() => d,
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
                let vars = [
                    ("records", count("cli.register.records", v.records as u64, &[])),
                    ("counters", v.counters.len().to_string()),
                ];
                let mut lines = vec![say_with("cli.register.intact_everywhere", &vars)];
                for c in &v.counters {
                    let chains: Vec<String> = c
                        .chains
                        .iter()
                        .map(|(k, n)| format!("{} {n}", say(&format!("register.chain.{k}"))))
                        .collect();
                    lines.push(format!(
                        "  {:<8} {}, {} ({})",
                        c.counter,
                        count("cli.register.records", c.records as u64, &[]),
                        say("cli.register.chained"),
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
                    let vars = [("done", done.to_string()), ("total", total.to_string())];
                    eprintln!("{}", say_with("cli.register.verifying", &vars));
                }
            };
            let v = comptoir::register::verify::verify(app, &progress).await?;
            out.print(&v, || {
                let records = count("cli.register.records", v.records as u64, &[]);
                let mut lines = vec![say_with("cli.register.intact", &[("records", records)])];
                lines.extend(v.chains.iter().map(|(c, n)| chain_line(c, *n, true)));
                let n = [("n", v.cross_checked.to_string())];
                lines.push(format!("  {}", say_with("cli.register.cross_checked", &n)));
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
                    return vec![say("cli.register.no_closing")];
                }
                all.iter()
                    .map(|c| {
                        let vars = [
                            ("kind", format!("{:<11}", say(&format!("register.closing.{}", c.kind)))),
                            ("period", format!("{:<22}", c.period)),
                            ("receipts", format!("{:>4}", c.receipts)),
                            ("period_total", format!("{:>12}", money(c.period_total, &c.currency))),
                            ("perpetual", format!("{:>12}", money(c.perpetual_total, &c.currency))),
                        ];
                        say_with("cli.register.closing_row", &vars)
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
                let vars = [
                    ("from", day(&v.from.to_string())),
                    ("to", day(&v.to.to_string())),
                    ("files", v.files.to_string()),
                ];
                let mut lines = vec![say_with("cli.register.archive_intact", &vars)];
                lines.extend(v.records.iter().map(|(c, n)| chain_line(c, *n, true)));
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
