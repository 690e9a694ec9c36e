//! The till on the command line: the counter's basket, its payment, the
//! drawer (shift open, cash in and out, X report, close) and receipts.

use crate::output::{count, money, say, say_with, Output};
use clap::{Args, Subcommand};
use comptoir::app::till::{self as core, LineState, Paid, Receipt};
use comptoir::till::shift::{self, ShiftReport};
use comptoir::till::{LineRequest, Tendered};
use comptoir::types::tender::parse_amount;
use comptoir::{Comptoir, Error, ErrorKind, Result};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ShiftCommand {
    /// Open the till with the float counted in the drawer
    Open {
        /// The float: 150, 150,00 or 150.00
        #[arg(long)]
        float: String,
    },
    /// The open shift: opened when and by whom, the float, the cash expected now, takings by means
    Status,
    /// The open shift's report without closing it (an X report)
    Report {
        #[command(flatten)]
        paper: PaperArgs,
    },
    /// Close the till with the cash counted in the drawer (managers and owners)
    Close {
        /// The cash counted: 412,50 or 412.50
        #[arg(long)]
        counted: String,
        #[command(flatten)]
        paper: PaperArgs,
    },
}

/// Where a shift's report is printed too.
#[derive(Args, Clone, Default)]
pub struct PaperArgs {
    /// Also write the report as PDF to this file
    #[arg(long, value_name = "FILE.pdf")]
    pub pdf: Option<PathBuf>,
    /// Paper: 80 mm receipt or A4 (default: Settings' printer.paper)
    #[arg(long, value_parser = ["receipt", "a4"])]
    pub layout: Option<String>,
}

#[derive(Subcommand)]
pub enum CashCommand {
    /// Cash put into the drawer (change brought in), with its reason
    In {
        amount: String,
        #[arg(long)]
        reason: String,
    },
    /// Cash taken out of the drawer (a supplier paid), with its reason
    Out {
        amount: String,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum BasketCommand {
    /// Add a line to this counter's basket
    Add {
        #[command(subcommand)]
        line: AddLine,
    },
    /// The basket: its lines and total
    Show,
    /// Remove line LINE (its number, as `basket show` gives it)
    Remove { line: i64 },
    /// Abandon the basket (it is recorded, not deleted)
    Clear,
    /// Take the payment (the amounts must cover the total; cash may exceed it), then buy every line
    Pay {
        /// Cash handed over: 50, 50,00 or 50.00
        #[arg(long)]
        cash: Option<String>,
        /// Paid on the card terminal (approved there first)
        #[arg(long)]
        card: Option<String>,
        /// The card terminal's authorisation number
        #[arg(long)]
        authorisation: Option<String>,
        /// The shop's reference for the customer
        #[arg(long)]
        customer: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum AddLine {
    /// An eSIM offer
    Esim {
        #[arg(long)]
        offer: String,
    },
    /// A top-up offer, for a phone number or a SIM id
    Topup {
        #[arg(long)]
        offer: String,
        #[arg(long, conflicts_with = "sim_id", required_unless_present = "sim_id")]
        msisdn: Option<String>,
        #[arg(long)]
        sim_id: Option<String>,
    },
    /// A gift card product
    Giftcard {
        #[arg(long)]
        product: String,
        #[arg(long, default_value_t = 1)]
        quantity: u32,
    },
}

#[derive(Subcommand)]
pub enum ReceiptCommand {
    /// One receipt: its lines, payments, change, refunds and the tickets
    /// that cancelled them (a cancellation's number, `C1-000042-R1`, shows that one)
    Show { number: String },
    /// The customer's receipt, or a cancellation receipt by its number
    /// (`C1-000042-R1`): on a printer of the computer's, as PDF, or to a
    /// thermal printer. The first print is the original, later ones say DUPLICATA
    Print {
        number: String,
        #[arg(long, value_parser = ["receipt", "a4"])]
        layout: Option<String>,
        #[arg(long, value_name = "FILE.pdf")]
        pdf: Option<PathBuf>,
        #[arg(long, value_name = "NAME", conflicts_with_all = ["pdf", "escpos"])]
        printer: Option<String>,
        #[arg(long, value_name = "TARGET", conflicts_with = "pdf")]
        escpos: Option<String>,
    },
}

/// How `comptoir sell` is paid: a one-line basket paid at once.
#[derive(Args, Clone, Default)]
pub struct PayArgs {
    /// cash or card (default: the setting till.default_tender, else card)
    #[arg(long, value_parser = ["cash", "card"])]
    pub pay: Option<String>,
    /// Cash handed over, when paid in cash (default: the exact amount)
    #[arg(long)]
    pub given: Option<String>,
}

pub async fn shift(app: &Comptoir, out: &Output, command: ShiftCommand) -> Result<()> {
    let report = match command {
        ShiftCommand::Open { float } => {
            let s = shift::open(app, parse_amount(&float)?).await?;
            return out.print(
                &serde_json::json!({"shift": s.id, "float": s.float_cents as f64 / 100.0}),
                || {
                    let float = money(s.float_cents, "EUR");
                    vec![say_with("cli.till.open", &[("shift", s.id.clone()), ("float", float)])]
                },
            );
        }
        ShiftCommand::Status => shift::x_report(app).await?,
        ShiftCommand::Report { paper } => printed(app, shift::x_report(app).await?, paper).await?,
        ShiftCommand::Close { counted, paper } => {
            let report = comptoir::app::till::close_shift(app, parse_amount(&counted)?).await?;
            if let Some(n) = report.unshared {
                eprintln!("{}", count("cli.till.unshared", n as u64, &[]));
            }
            printed(app, report, paper).await?
        }
    };
    out.print(&report, || report_lines(&report))
}

/// Writes the report's PDF when asked.
async fn printed(app: &Comptoir, report: ShiftReport, paper: PaperArgs) -> Result<ShiftReport> {
    if let Some(path) = paper.pdf {
        let layout = paper.layout.map(|l| l.parse()).transpose()?;
        let to = comptoir::app::print::Destination::Pdf(path);
        comptoir::app::print::print_shift(app, &report.shift, to, layout).await?;
    }
    Ok(report)
}

pub async fn cash(app: &Comptoir, out: &Output, command: CashCommand) -> Result<()> {
    let (put_in, amount, reason) = match command {
        CashCommand::In { amount, reason } => (true, amount, reason),
        CashCommand::Out { amount, reason } => (false, amount, reason),
    };
    let report = shift::cash(app, put_in, parse_amount(&amount)?, &reason).await?;
    out.print(&report, || {
        let key = if put_in {
            "cli.till.cash_in"
        } else {
            "cli.till.cash_out"
        };
        let moved = money(parse_amount(&amount).unwrap_or(0), &report.currency);
        let expected = money(report.expected_cents, &report.currency);
        vec![say_with(key, &[("amount", moved), ("expected", expected)])]
    })
}

pub async fn basket(app: &Comptoir, out: &Output, command: BasketCommand) -> Result<()> {
    let basket = match command {
        BasketCommand::Add { line } => core::add(app, &request(line)).await?,
        BasketCommand::Show => core::basket(app).await?,
        BasketCommand::Remove { line } => core::remove(app, line).await?,
        BasketCommand::Clear => {
            let was = core::clear(app).await?;
            return out.print(&serde_json::json!({"abandoned": was.as_ref().map(|b| &b.id)}), || {
                vec![match was {
                    Some(b) if !b.lines.is_empty() => count("cli.basket.abandoned", b.lines.len() as u64, &[]),
                    _ => say("cli.basket.empty"),
                }]
            });
        }
        BasketCommand::Pay {
            cash,
            card,
            authorisation,
            customer,
        } => {
            let given = Tendered {
                cash: cash.as_deref().map(parse_amount).transpose()?,
                card: card.as_deref().map(parse_amount).transpose()?,
                authorisation,
            };
            let paid = core::pay(app, &given, customer).await?;
            return paid_out(out, &paid);
        }
    };
    out.print(&basket, || {
        let mut lines: Vec<String> = basket
            .lines
            .iter()
            .map(|l| {
                format!(
                    "{:>3}  {:<40} {:>3} × {:>10}  {}",
                    l.line,
                    l.name,
                    l.quantity,
                    money(l.unit_cents, &l.currency),
                    l.msisdn.as_deref().or(l.sim_id.as_deref()).unwrap_or("")
                )
            })
            .collect();
        lines.push(format!(
            "{} {}",
            say("cli.total"),
            money(basket.total_cents, &basket.currency)
        ));
        lines
    })
}

fn request(line: AddLine) -> LineRequest {
    match line {
        AddLine::Esim { offer } => LineRequest::Esim { offer },
        AddLine::Topup { offer, msisdn, sim_id } => LineRequest::Topup { offer, msisdn, sim_id },
        AddLine::Giftcard { product, quantity } => LineRequest::Giftcard { product, quantity },
    }
}

/// A paid basket: the receipt on stdout, the till opened by it on stderr,
/// and the exit status its lines call for (3 refused, 5 unknown).
pub fn paid_out(out: &Output, paid: &Paid) -> Result<()> {
    let r = &paid.receipt;
    let done = outcome(r).map_err(|e| e.with("till_opened", paid.opened_till));
    opened_note(out, paid, done.is_err());
    out.print(r, || receipt_lines(r))?;
    done
}

/// Says on stderr that a sale opened the till with its float not counted;
/// with `--json`, where stderr holds the error alone when there is one,
/// an error carries it as `till_opened` instead.
pub fn opened_note(out: &Output, paid: &Paid, failed: bool) {
    if paid.opened_till && !(out.json && failed) {
        eprintln!("{}", crate::output::say("cli.till_opened"));
    }
}

/// The exit status a receipt's lines call for.
pub fn outcome(r: &Receipt) -> Result<()> {
    let unknown = r
        .lines
        .iter()
        .any(|l| matches!(l.state, LineState::ToSettle | LineState::Buying));
    let refused = r.lines.iter().any(|l| l.state == LineState::Refunded);
    let with = |e: Error| {
        e.with("receipt", r.number.clone())
            .with("refund_due", r.refund_cents as f64 / 100.0)
    };
    if unknown {
        return Err(with(Error::new(
            ErrorKind::UnknownOutcome,
            "till.to_settle",
            format!(
                "receipt {}: a line's outcome is not known yet; `comptoir reconcile` delivers or refunds it",
                r.number
            ),
        )));
    }
    if refused {
        return Err(with(Error::new(
            ErrorKind::Refused,
            "till.line_refused",
            format!(
                "receipt {}: a line was not delivered; give back {}",
                r.number,
                money(r.refund_cents, &r.currency)
            ),
        )));
    }
    Ok(())
}

pub async fn receipt(app: &Comptoir, out: &Output, command: ReceiptCommand) -> Result<()> {
    match command {
        ReceiptCommand::Show { number } if comptoir::app::correction::corrected(&number).is_some() => {
            let (r, c) = comptoir::app::correction::find(app, &number).await?;
            let m = |cents: i64| money(cents, &r.currency);
            out.print(&c, || {
                vec![say_with(
                    "cli.correction",
                    &[("number", c.number.clone()), ("amount", m(-c.amount_cents))],
                )]
            })
        }
        ReceiptCommand::Show { number } => {
            let r = core::receipt(app, &number).await?;
            out.print(&r, || receipt_lines(&r))
        }
        ReceiptCommand::Print {
            number,
            layout,
            pdf,
            printer,
            escpos,
        } => {
            use comptoir::app::print::Destination;
            let to = match (pdf, escpos) {
                (Some(path), _) => Destination::Pdf(path),
                (None, Some(target)) => Destination::Escpos(Some(target)),
                (None, None) => Destination::System(printer),
            };
            let layout = layout.map(|l| l.parse()).transpose()?;
            let printed = comptoir::app::print::print_receipt(app, &number, to, layout).await?;
            out.print(&printed, || {
                vec![say_with(
                    "cli.receipt.sent",
                    &[("receipt", number.clone()), ("to", printed.to.clone())],
                )]
            })
        }
    }
}

fn receipt_lines(r: &Receipt) -> Vec<String> {
    let m = |c: i64| money(c, &r.currency);
    let head = [("receipt", r.number.clone()), ("total", m(r.total_cents))];
    let mut lines = vec![say_with("cli.receipt.head", &head)];
    for l in &r.lines {
        let state = say(match l.state {
            LineState::Delivered => "cli.line.delivered",
            LineState::Refunded => "cli.line.refunded",
            LineState::ToSettle => "cli.line.to_settle",
            LineState::Buying => "cli.line.buying",
        });
        let order = l.order.as_ref().map(|o| o.id.as_str()).unwrap_or("-");
        lines.push(format!(
            "{:>3}  {:<40} {:>10}  {order}  {state}",
            l.line.line,
            l.line.name,
            m(l.line.amount_cents)
        ));
    }
    for p in &r.payments {
        let tender = say(&format!("tender.{}", p.tender.as_str()));
        lines.push(format!("{} {tender:<14} {}", say("cli.paid"), m(p.amount_cents)));
    }
    lines.push(format!("{} {}", say("cli.change"), m(r.change_cents)));
    for f in &r.refunds {
        let tender = say(&format!("tender.{}", f.tender));
        let vars = [
            ("amount", m(f.amount_cents)),
            ("tender", tender),
            ("line", f.line.to_string()),
        ];
        lines.push(say_with("cli.give_back", &vars));
    }
    for c in &r.corrections {
        let vars = [("number", c.number.clone()), ("amount", m(-c.amount_cents))];
        lines.push(say_with("cli.correction", &vars));
    }
    lines
}

fn report_lines(r: &ShiftReport) -> Vec<String> {
    let m = |c: i64| money(c, &r.currency);
    let head = [
        ("shift", r.shift.clone()),
        ("opened", crate::output::when(&r.opened_at)),
        ("by", r.opened_by.clone().unwrap_or_else(|| "-".into())),
    ];
    let closed = r
        .closed_at
        .as_deref()
        .map(|c| say_with("cli.shift.closed", &[("at", crate::output::when(c))]));
    let mut lines = vec![say_with("cli.shift.head", &head) + &closed.unwrap_or_default()];
    let not_counted = if r.float_counted {
        String::new()
    } else {
        say("cli.shift.not_counted")
    };
    lines.push(say_with("cli.shift.float", &[("float", m(r.float_cents))]) + &not_counted);
    for (t, v) in &r.tenders {
        let tender = say(&format!("tender.{t}"));
        lines.push(format!(
            "{} {tender:<14} {}",
            say("cli.shift.taken"),
            m((v * 100.0).round() as i64)
        ));
    }
    lines.push(say_with("cli.shift.refunds", &[("amount", m(r.refunds_cents))]));
    let moves = [("put_in", m(r.cash_in_cents)), ("taken_out", m(r.cash_out_cents))];
    lines.push(say_with("cli.shift.cash_moves", &moves));
    lines.push(say_with("cli.shift.expected", &[("amount", m(r.expected_cents))]));
    if let (Some(c), Some(d)) = (r.counted_cents, r.difference_cents) {
        lines.push(say_with("cli.shift.counted", &[("amount", m(c)), ("difference", m(d))]));
    }
    for u in &r.unsettled {
        let vars = [
            ("receipt", u.receipt.clone()),
            ("order", u.order.clone()),
            ("product", u.product.clone()),
            ("amount", m(u.amount_cents)),
        ];
        lines.push(say_with("cli.shift.to_settle", &vars));
    }
    lines
}
