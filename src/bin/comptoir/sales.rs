//! Selling: eSIMs, top-ups and gift cards, and the cached catalog they are
//! sold from.

use crate::args::{CatalogArgs, SellCommand};
use crate::output::{order_line, Output};
use comptoir::catalog::CatalogFilter;
use comptoir::journal::{Order, OrderKind, OrderStatus};
use comptoir::till::LineRequest;
use comptoir::types::tender::parse_amount;
use comptoir::types::Tender;
use comptoir::{Comptoir, Error, Result};

/// `comptoir sell ...`: a one-line basket paid at once (by card, or in
/// cash with the change), bought through the core's sale flow.
pub async fn sell(app: &Comptoir, out: &Output, command: SellCommand) -> Result<()> {
    let (request, customer, pay, no_wait) = match command {
        SellCommand::Giftcard {
            product,
            quantity,
            customer,
            no_wait,
            pay,
        } => (LineRequest::Giftcard { product, quantity }, customer, pay, no_wait),
        SellCommand::Topup {
            offer,
            msisdn,
            sim_id,
            customer,
            pay,
        } => (LineRequest::Topup { offer, msisdn, sim_id }, customer, pay, true),
        SellCommand::Esim { offer, customer, pay } => (LineRequest::Esim { offer }, customer, pay, true),
    };
    let tender = match pay.pay.as_deref() {
        Some(t) => t.parse()?,
        None => comptoir::till::default_tender(app)?,
    };
    let given = pay.given.as_deref().map(parse_amount).transpose()?;
    if given.is_some() && tender != Tender::Cash {
        return Err(Error::invalid(
            "till.given_not_cash",
            "--given is the cash handed over: use it with --pay cash",
        ));
    }
    let paid = comptoir::app::till::sell_now(app, &request, tender, given, customer).await?;
    crate::till::opened_note(out, &paid, !paid.errors.is_empty());
    let number = paid.receipt.number.clone();
    if let Some((_, e)) = paid.errors.into_iter().next() {
        return Err(e
            .with("receipt", number)
            .with("refund_due", paid.receipt.refund_cents as f64 / 100.0)
            .with("till_opened", paid.opened_till));
    }
    let Some(mut order) = paid.receipt.lines.first().and_then(|l| l.order.clone()) else {
        return Err(Error::internal("till.no_order", "the sale wrote no order"));
    };
    if !no_wait && order.status.is_unsettled() {
        order = wait_vouchers(app, out, &order.id).await?;
        comptoir::app::till::settle(app, &number).await?;
    }
    let mut json = serde_json::to_value(&order).expect("JSON");
    if let Some(obj) = json.as_object_mut() {
        obj.insert("receipt".into(), number.clone().into());
        obj.insert("tender".into(), tender.as_str().into());
        obj.insert("change".into(), (paid.receipt.change_cents as f64 / 100.0).into());
    }
    let change = paid.receipt.change_cents;
    out.print(&json, || {
        let mut lines = vec![
            order_line(&order),
            crate::output::say_with(
                "cli.receipt_paid",
                &[("receipt", number.clone()), ("tender", tender_name(tender))],
            ),
        ];
        if change > 0 {
            lines.push(format!(
                "{} {}",
                crate::output::say("cli.change"),
                crate::output::money(change, &order.currency)
            ));
        }
        match (order.kind, order.status) {
            (OrderKind::Giftcard, OrderStatus::Delivered) => {
                let command = format!("comptoir order show {} --reveal", order.id);
                lines.push(crate::output::say_with("cli.sell.vouchers", &[("command", command)]))
            }
            (OrderKind::Giftcard, s) if s.is_unsettled() => {
                let command = format!("comptoir order refresh {} --wait", order.id);
                lines.push(crate::output::say_with(
                    "cli.sell.vouchers_later",
                    &[("command", command)],
                ))
            }
            (OrderKind::Esim, _) => {
                let command = format!("comptoir order qr {} --out qr.png", order.id);
                lines.push(crate::output::say_with("cli.sell.qr", &[("command", command)]))
            }
            _ => {}
        }
        lines
    })
}

/// `comptoir catalog`: the cached catalog, offline.
pub async fn catalog(app: &Comptoir, out: &Output, args: CatalogArgs) -> Result<()> {
    let CatalogArgs {
        provider,
        item_type,
        search,
        country,
        category,
        supplier,
        min_data,
        min_days,
    } = args;

    let filter = CatalogFilter {
        provider,
        item_type,
        search,
        country,
        supplier,
        category,
        min_data_gb: min_data,
        min_validity_days: min_days,
        limit: None,
    };
    let items = app.catalog(&filter).await?;
    // An empty answer from a cache never filled says what to do.
    let never_synced = items.is_empty() && app.status().await?.catalog_synced.is_empty();
    out.print(&items, || {
        if never_synced {
            return vec![crate::output::say("cli.catalog.empty")];
        }
        catalog_lines(&items)
    })
}

/// Waits for a gift-card order's vouchers, showing progress on stderr;
/// Ctrl-C stops waiting (the order stays as it is, to refresh later).
pub async fn wait_vouchers(app: &Comptoir, out: &Output, id: &str) -> Result<Order> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let json = out.json;
    let order = comptoir::giftcard::wait(
        app,
        id,
        &|p| {
            if !json {
                let failed = p.error.as_deref().map(|e| {
                    let e = [("error", e.to_string())];
                    crate::output::say_with("cli.last_check_failed", &e)
                });
                let vars = [
                    ("waiting", crate::output::say("cli.waiting_vouchers")),
                    ("order", p.order.to_string()),
                    ("secs", p.elapsed_secs.to_string()),
                    ("attempt", p.attempt.to_string()),
                    ("error", failed.unwrap_or_default()),
                ];
                eprintln!("{}", crate::output::say_with("cli.waiting_progress", &vars));
            }
        },
        &stop,
    )
    .await;
    ctrl_c.abort();
    order
}

/// A means of payment as the window names it (`Carte bancaire`).
fn tender_name(t: Tender) -> String {
    crate::output::say(&format!("tender.{}", t.as_str()))
}

/// The catalog as a table with its header, in the shop's language: what a
/// cashier compares (price, stock, data, validity, countries), then the id
/// that `sell` takes.
fn catalog_lines(items: &[comptoir::catalog::CatalogItem]) -> Vec<String> {
    use crate::output::{lang, say};
    if items.is_empty() {
        return vec![];
    }
    let row = |cells: [&str; 8]| {
        format!(
            "{:<36} {:>10} {:>5} {:>8} {:>9}  {:<20} {:<38} {}",
            cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7]
        )
        .trim_end()
        .to_string()
    };
    let head = [
        "product",
        "price",
        "stock",
        "data",
        "validity",
        "countries",
        "id",
        "state",
    ]
    .map(|k| say(&format!("cli.catalog.{k}")));
    let mut lines = vec![row(head.each_ref().map(String::as_str))];
    for i in items {
        let data = i
            .data_gb
            .map(|g| comptoir::types::units::data(g, Some("Gb"), lang()))
            .unwrap_or_default();
        let validity = i
            .validity_days
            .map(|d| {
                crate::output::say_with(
                    "cli.catalog.days",
                    &[("n", comptoir::types::units::decimal(d, lang() == "fr"))],
                )
            })
            .unwrap_or_default();
        let countries = match i.countries.len() {
            0..=5 => i.countries.join(" "),
            n => format!("{} +{}", i.countries[..4].join(" "), n - 4),
        };
        let state = i
            .unavailable_reason
            .as_deref()
            .map(|r| say(&format!("cli.catalog.{r}")))
            .unwrap_or_default();
        let stock = i.stock.map(|s| s.to_string()).unwrap_or_default();
        lines.push(row([
            &i.name,
            &crate::output::money(i.price_cents, &i.currency),
            &stock,
            &data,
            &validity,
            &countries,
            &i.id,
            &state,
        ]));
    }
    lines
}
