//! The journal's commands: orders, one order (show, QR, ticket, refresh),
//! reconciliation, printers, export, import and reports.

use crate::args::{ExportCommand, ImportCommand, OrderArgs, OrderCommand, ReportCommand};
use crate::output::{order_line, Output};
use crate::sales::wait_vouchers;
use comptoir::journal::OrderFilter;
use comptoir::{Comptoir, Error, Result};
use serde_json::json;

/// `comptoir orders`: the journal, offline.
pub async fn orders(app: &Comptoir, out: &Output, args: OrderArgs) -> Result<()> {
    if args.everywhere {
        return crate::share::orders_everywhere(app, out, &OrderFilter::from(&args)).await;
    }
    let orders = app.journal.list(&OrderFilter::from(&args)).await?;
    out.print(&orders, || orders.iter().map(order_line).collect())
}

/// `comptoir order ...`: one order of the journal.
pub async fn order(app: &Comptoir, out: &Output, command: OrderCommand) -> Result<()> {
    match command {
        OrderCommand::Refresh { id, wait } => {
            let order = if wait {
                wait_vouchers(app, out, &id).await?
            } else {
                comptoir::giftcard::refresh(app, &id).await?
            };
            out.print(&order, || vec![order_line(&order)])
        }
        OrderCommand::Qr { id, item, out: path } => {
            let svg = match path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("svg") => true,
                Some("png") => false,
                _ => {
                    return Err(Error::invalid(
                        "qr.bad_extension",
                        "the output file must end in .png or .svg",
                    ))
                }
            };
            // This counter's sale, or another counter's from the shop's database.
            let kind = comptoir::counters::sold(app, &id).await?.order.kind;
            let bytes = if kind == comptoir::journal::OrderKind::Giftcard {
                comptoir::giftcard::voucher_qr(app, &id, item, svg).await?
            } else {
                comptoir::esim::qr_image(app, &id, svg).await?
            };
            comptoir::files::write_whole(&path, "qr.cannot_write", |w| {
                w.write_all(&bytes)
                    .map_err(|e| comptoir::files::io_error(&path, "qr.cannot_write", &e))
            })?;
            let doc = json!({"order": id, "file": path.display().to_string()});
            out.print(&doc, || {
                let vars = [("id", id.clone()), ("path", path.display().to_string())];
                vec![crate::output::say_with("cli.qr_written", &vars)]
            })
        }
        OrderCommand::Print {
            id,
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
            let printed = comptoir::app::print::print(app, &id, to, layout).await?;
            out.print(&printed, || {
                let mut vars = vec![("id", id.clone()), ("to", printed.to.clone())];
                vec![match &printed.job {
                    Some(job) => {
                        vars.push(("job", job.clone()));
                        crate::output::say_with("cli.ticket_sent", &vars)
                    }
                    None => crate::output::say_with("cli.ticket_written", &vars),
                }]
            })
        }
        OrderCommand::Show { id, reveal } => order_show(app, out, &id, reveal).await,
    }
}

/// `comptoir order show ID [--reveal]`: the order, its history, and with
/// `--reveal` its secrets (recorded in the history).
async fn order_show(app: &Comptoir, out: &Output, id: &str, reveal: bool) -> Result<()> {
    let order = app.journal.get(id).await?;
    let secrets = match order.kind {
        comptoir::journal::OrderKind::Esim if reveal => {
            let card = comptoir::esim::card(app, id).await?;
            Some(json!({"activation_code": card.activation_code, "pin": card.pin, "puk": card.puk}))
        }
        comptoir::journal::OrderKind::Giftcard if reveal => {
            let vouchers = comptoir::giftcard::vouchers(app, id).await?;
            Some(json!({ "vouchers": vouchers }))
        }
        _ => None,
    };
    let events = app.journal.events(id).await?;
    let mut doc = json!({"order": order, "events": events});
    if let Some(s) = &secrets {
        doc["secrets"] = s.clone();
    }
    out.print(&doc, || {
        let mut lines = match order.provider {
            comptoir::providers::ProviderId::InternetPlus => crate::payments::payment_lines(&order),
            _ => vec![order_line(&order)],
        };
        // What support asks for, without --json, with the window's words.
        let detail = |k: &str| order.details.get(k).and_then(|v| v.as_str()).map(str::to_string);
        for (key, value) in [
            ("order.cashier", order.cashier.clone()),
            ("order.customer", order.customer_ref.clone()),
            ("order.phone", order.phone_for_people()),
            ("order.sim_id", order.sim_id.clone()),
            ("order.iccid", order.iccid.clone()),
            ("order.provider_ref", order.provider_ref.clone()),
            ("cli.receipt", detail("receipt")),
            ("cli.w_ha_user", detail("user_id")),
        ] {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                lines.push(format!("  {}{v}", crate::output::label(key)));
            }
        }
        // A product paid through Internet+ and its payment name each other.
        if let Some(p) = order.details.get("paid_by").and_then(|v| v.as_str()) {
            let payment = [("payment", p.to_string())];
            lines.push(format!(
                "  {}",
                crate::output::say_with("cli.paid_by_payment", &payment)
            ));
        }
        for v in secrets.iter().flat_map(|s| s["vouchers"].as_array()).flatten() {
            let text = |k: &str| v[k].as_str().unwrap_or("-").to_string();
            let vars = [
                ("item", v["item"].to_string()),
                ("code", text("code")),
                ("pin", text("pin")),
                ("until", crate::output::when(&text("expiry"))),
                ("url", text("url")),
            ];
            lines.push(format!("  {}", crate::output::say_with("cli.voucher", &vars)));
        }
        if let Some(s) = secrets.as_ref().filter(|s| s.get("activation_code").is_some()) {
            lines.push(format!(
                "  {}{}",
                crate::output::label("cli.activation_code"),
                s["activation_code"].as_str().unwrap_or("")
            ));
            lines.push(format!(
                "  PIN {}  PUK {}",
                s["pin"].as_str().unwrap_or("-"),
                s["puk"].as_str().unwrap_or("-")
            ));
        }
        lines.extend(events.iter().map(|e| {
            let lang = crate::output::lang();
            let to = e
                .to_status
                .map(|s| comptoir::types::words::status(lang, s.as_str()))
                .unwrap_or_default();
            let event = match e.event.as_str() {
                "created" => crate::output::say("cli.created"),
                "status" => crate::output::say("cli.status_change"),
                other => {
                    let key = format!("event.{other}");
                    Some(crate::output::say(&key))
                        .filter(|w| *w != key)
                        .unwrap_or_else(|| other.to_string())
                }
            };
            let who = e.cashier.as_deref().map(|c| format!("  [{c}]")).unwrap_or_default();
            format!(
                "  {}  {:<8} {:<10} {}{who}",
                crate::output::when(&e.at),
                event,
                to,
                comptoir::types::words::note(lang, &e.message)
            )
        }));
        lines
    })
}

/// `comptoir reconcile`: settles the orders whose outcome is not known.
pub async fn reconcile(app: &Comptoir, out: &Output) -> Result<()> {
    let done = comptoir::app::reconcile::reconcile(app).await?;
    out.print(&done.settled, || {
        done.settled
            .iter()
            .map(|c| {
                let lang = crate::output::lang();
                let vars = [
                    ("order", c.order.clone()),
                    ("from", comptoir::types::words::status(lang, c.from.as_str())),
                    ("to", comptoir::types::words::status(lang, c.to.as_str())),
                ];
                crate::output::say_with("cli.reconciled", &vars)
            })
            .chain(
                done.receipts
                    .iter()
                    .map(|r| crate::output::say_with("cli.receipt_settled", &[("receipt", r.clone())])),
            )
            .collect()
    })?;
    // The others were settled; these stay as they were and the exit
    // code says that the run is not complete (with `--json`, the error's
    // `orders` names them: stderr holds that one object).
    if !out.json {
        for n in &done.unsettled {
            let error = comptoir::types::words::error(crate::output::lang(), &n.error);
            let vars = [("order", n.order.clone()), ("error", error)];
            eprintln!("{}", crate::output::say_with("cli.not_settled", &vars));
        }
    }
    match done.unsettled.first() {
        None => Ok(()),
        Some(first) => Err(Error::unavailable(
            "reconcile.incomplete",
            format!(
                "{} could not be checked ({}): run `comptoir reconcile` again later",
                comptoir::types::text::count(done.unsettled.len(), "order", "orders"),
                first.error.message
            ),
        )
        .with("count", done.unsettled.len())
        .with(
            "orders",
            done.unsettled.iter().map(|n| n.order.clone()).collect::<Vec<_>>(),
        )),
    }
}

/// `comptoir printers`: the computer's printers.
pub async fn printers(out: &Output) -> Result<()> {
    let list = comptoir::printer::printers()?;
    out.print(&list, || {
        list.iter()
            .map(|p| {
                let default = if p.default {
                    crate::output::say("cli.default_printer")
                } else {
                    String::new()
                };
                format!("{}{default}", p.name)
            })
            .collect()
    })
}

/// `comptoir export orders`: the journal as CSV.
pub async fn export(app: &Comptoir, out: &Output, command: ExportCommand) -> Result<()> {
    match command {
        ExportCommand::Orders {
            out: path,
            delimiter,
            filter,
        } => {
            let filter = OrderFilter::from(&filter);
            let n = comptoir::app::orders::export_orders(app, &filter, &path, delimiter.as_bytes()[0]).await?;
            let doc = json!({"file": path.display().to_string(), "orders": n});
            out.print(&doc, || {
                let vars = [("path", path.display().to_string())];
                vec![crate::output::count("cli.exported", n as u64, &vars)]
            })
        }
    }
}

/// `comptoir import orders`: a CSV of an export, all or nothing.
pub async fn import(app: &Comptoir, out: &Output, command: ImportCommand) -> Result<()> {
    match command {
        ImportCommand::Orders { file } => {
            let r = comptoir::app::orders::import_orders(app, &file).await?;
            out.print(&r, || {
                let imported = crate::output::count("orders.imported_n", r.imported as u64, &[]);
                let skipped = crate::output::count("orders.skipped_n", r.skipped as u64, &[]);
                vec![crate::output::say_with(
                    "cli.imported",
                    &[("imported", imported), ("skipped", skipped)],
                )]
            })
        }
    }
}

/// `comptoir report daily`: sales, margins and refunds over days.
pub async fn report(app: &Comptoir, out: &Output, command: ReportCommand) -> Result<()> {
    match command {
        ReportCommand::Daily {
            date,
            from,
            to,
            csv,
            delimiter,
            cashier,
            everywhere,
        } => {
            let today = chrono::Local::now().date_naive();
            let (from, to) = match (date, from, to) {
                (Some(d), _, _) => (d, d),
                (None, Some(f), Some(t)) => (f, t),
                _ => (today, today),
            };
            let csv = csv.as_deref().map(|path| (path, delimiter.as_bytes()[0]));
            let r = if everywhere {
                let r = comptoir::app::share::report_everywhere(app, from, to, cashier).await?;
                if let Some((path, delimiter)) = csv {
                    comptoir::files::write_whole(path, "report.cannot_write", |w| {
                        comptoir::report::write_csv(w, &r, delimiter)
                    })?;
                }
                r
            } else {
                comptoir::app::orders::report(app, from, to, cashier, csv).await?
            };
            out.print(&r, || {
                use crate::output::{label, say, say_with};
                let day = |d: &chrono::NaiveDate| crate::output::day(&d.to_string());
                let mut lines = vec![format!(
                    "{} {} {} {}{}",
                    say("report.from"),
                    day(&r.from),
                    say("report.to").to_lowercase(),
                    day(&r.to),
                    r.cashier
                        .as_deref()
                        .map(|c| format!(", {}{c}", label("report.cashier")))
                        .unwrap_or_default()
                )];
                let (cost, margin) = (say("report.cost"), say("report.margin"));
                let (refunds, cancelled) = (say("report.refunds"), say("report.cancellations"));
                for l in r.lines.iter().chain(&r.totals) {
                    let name = match (&l.provider, &l.kind) {
                        (Some(p), Some(k)) => format!("{p} {}", say(&format!("kind.{k}"))),
                        _ => say("report.total").to_uppercase(),
                    };
                    lines.push(format!(
                        "{name:<28} {:>10} {:>12}  {cost} {:>12}  {margin} {:>11}  {refunds} {} ({})  {cancelled} {}",
                        crate::output::count("cli.sales", l.sales as u64, &[]),
                        crate::output::money(l.amount, &l.currency),
                        crate::output::money(l.cost, &l.currency),
                        crate::output::money(l.margin, &l.currency),
                        l.refunds,
                        crate::output::money(l.refunded, &l.currency),
                        l.cancellations
                    ));
                }
                if everywhere {
                    for c in &r.by_counter {
                        lines.push(format!(
                            "{} {:<20} {:>10} {:>12}",
                            say("cli.counter"),
                            c.counter.as_deref().unwrap_or("?"),
                            crate::output::count("cli.sales", c.sales as u64, &[]),
                            crate::output::money(c.amount, &c.currency)
                        ));
                    }
                }
                for c in &r.by_cashier {
                    lines.push(format!(
                        "{} {:<20} {:>10} {:>12}",
                        say("report.cashier"),
                        c.cashier.clone().unwrap_or_else(|| say("report.no_cashier")),
                        crate::output::count("cli.sales", c.sales as u64, &[]),
                        crate::output::money(c.amount, &c.currency)
                    ));
                }
                for t in &r.tenders {
                    lines.push(format!(
                        "{} {:<14} {:>12}  {} {}",
                        say("report.amount"),
                        say(&format!("tender.{}", t.tender.as_str())),
                        crate::output::money(t.taken, "EUR"),
                        say("cli.given_back"),
                        crate::output::money(t.refunded, "EUR")
                    ));
                }
                if !r.to_settle.is_empty() {
                    let n = r.to_settle.len().to_string();
                    lines.push(format!(
                        "{} {}",
                        say_with("report.to_settle", &[("n", n)]),
                        r.to_settle.join(", ")
                    ));
                }
                if r.training_left_out > 0 {
                    let n = r.training_left_out as u64;
                    lines.push(comptoir::types::words::count(
                        crate::output::lang(),
                        "report.training_left_out",
                        n,
                        &[],
                    ));
                }
                lines
            })
        }
    }
}
