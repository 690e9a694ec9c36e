//! Internet+ Box's commands: payment sessions, the signed return,
//! confirmation (delivering first), cancellation, refunds, the shop's
//! offers, and subscriptions.

use crate::args::{PayCommand, SubsCommand};
use crate::output::{label_of, order_line, say, say_with, Output};
use comptoir::journal::Order;
use comptoir::payments::{self, offers};
use comptoir::providers::internet_plus::model::Subscription;
use comptoir::{Comptoir, Error, Result};
use serde_json::json;

/// The lines that say where a payment stands.
pub fn payment_lines(o: &Order) -> Vec<String> {
    let mut lines = vec![order_line(o)];
    let text = |k: &str| o.details.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    for key in [
        "operator",
        "panel_url",
        "expires_at",
        "transaction_id",
        "subscription_id",
        "delivered_order",
    ] {
        let v = text(key);
        if !v.is_empty() {
            let v = if key == "expires_at" {
                crate::output::when(&v)
            } else {
                v
            };
            lines.push(format!("  {}{v}", label_of(&say(&format!("cli.pay.{key}")))));
        }
    }
    if text("product_after_refund") == "stays_valid" {
        let order = [("order", text("delivered_order"))];
        lines.push(format!("  {}", say_with("cli.pay.stays_valid", &order)));
    }
    lines
}

pub async fn pay(app: &Comptoir, out: &Output, command: PayCommand) -> Result<()> {
    let show = |o: Order| out.print(&o, || payment_lines(&o));
    match command {
        PayCommand::Session {
            offer,
            client_ip,
            customer,
        } => show(payments::open_session(app, &offer, &client_ip, customer).await?),
        PayCommand::Return { url } => show(payments::accept_return(app, &url).await?),
        PayCommand::Confirm { id } => show(progress(out, &id, comptoir::app::pay::confirm(app, &id)).await?),
        PayCommand::Cancel { id } => show(comptoir::app::pay::cancel(app, &id).await?),
        PayCommand::Consult { id } => {
            let (order, trx) = payments::consult(app, &id).await?;
            let doc = json!({"order": order, "transaction": trx});
            out.print(&doc, || {
                let mut lines = payment_lines(&order);
                lines.push(format!(
                    "  {}{}",
                    label_of("W-HA"),
                    trx.status.as_deref().unwrap_or("?")
                ));
                lines
            })
        }
        PayCommand::Refund { id, reason, comment } => show(payments::refund(app, &id, &reason, &comment).await?),
        PayCommand::Offers => {
            let list = offers::list(app)?;
            out.print(&list, || {
                list.iter()
                    .map(|o| {
                        let what = match &o.period {
                            Some(p) => {
                                let key = format!("cli.pay.period.{p}");
                                Some(say(&key)).filter(|w| *w != key).unwrap_or_else(|| p.clone())
                            }
                            None => say("cli.pay.one_off"),
                        };
                        let sells = o
                            .sells
                            .as_ref()
                            .map(|s| {
                                let vars = [("provider", s.provider.to_string()), ("product", s.product.clone())];
                                format!("  {}", say_with("cli.pay.sells", &vars))
                            })
                            .unwrap_or_default();
                        format!(
                            "{:<10} {:>10}  {:<12} {}{sells}",
                            o.id,
                            crate::output::money(o.amount_cents, "EUR"),
                            what,
                            o.name
                        )
                    })
                    .collect()
            })
        }
        PayCommand::Offer {
            id,
            name,
            amount,
            period,
            sells,
            remove,
        } => {
            if remove {
                offers::remove(app, &id)?;
                return out.print(&json!({"removed": id}), || {
                    vec![say_with("cli.pay.offer_removed", &[("id", id.clone())])]
                });
            }
            let offer = offers::PayOffer {
                amount_cents: comptoir::providers::internet_plus::model::decimal_cents(
                    amount.trim().replace(',', ".").as_str(),
                )
                .ok_or_else(|| {
                    Error::invalid(
                        "internet_plus.bad_amount",
                        format!("`{amount}` is not an amount in euros (4.99)"),
                    )
                })?,
                sells: sells.as_deref().map(parse_sells).transpose()?,
                period: period.map(|p| p.trim().to_ascii_uppercase()),
                id,
                name,
            };
            offers::save(app, offer.clone()).await?;
            out.print(&offer, || {
                vec![say_with("cli.pay.offer_saved", &[("id", offer.id.clone())])]
            })
        }
    }
}

fn parse_sells(text: &str) -> Result<offers::Sells> {
    let (provider, product) = text.split_once(':').ok_or_else(|| {
        Error::invalid(
            "internet_plus.bad_sells",
            "--sells is PROVIDER:PRODUCT (orange-travel:OFFER or amilon:PRODUCT)",
        )
    })?;
    Ok(offers::Sells {
        provider: provider.trim().parse()?,
        product: product.trim().to_string(),
    })
}

fn subscription_line(s: &Subscription) -> String {
    let offer = s.offer.as_ref();
    let text = |v: Option<&str>, none: &str| v.unwrap_or(none).to_string();
    let vars = [
        ("id", text(s.sub_id.as_deref(), "?")),
        ("status", format!("{:<26}", text(s.status.as_deref(), "?"))),
        ("since", w_ha_date(s.subscription_date.as_deref())),
        ("next", w_ha_date(s.charge_next_date.as_deref())),
        ("offer", text(offer.and_then(|o| o.offer_id.as_deref()), "-")),
        ("period", text(offer.and_then(|o| o.offer_periodicity.as_deref()), "")),
    ];
    say_with("cli.subs.line", &vars)
}

/// A W-HA date (`04-12-2026 14:47:42`, read as UTC) in this computer's
/// time zone and the shop's form; anything unreadable as W-HA sent it.
fn w_ha_date(text: Option<&str>) -> String {
    let Some(text) = text else { return "-".into() };
    comptoir::providers::internet_plus::model::date(text)
        .map(|d| crate::output::when(&d.to_rfc3339()))
        .unwrap_or_else(|| text.to_string())
}

pub async fn subs(app: &Comptoir, out: &Output, command: SubsCommand) -> Result<()> {
    match command {
        SubsCommand::Confirm { sub } => {
            let o = payments::confirm_subscription(app, &sub).await?;
            out.print(&o, || payment_lines(&o))
        }
        SubsCommand::Consult { sub } => {
            let s = payments::consult_subscription(app, &sub).await?;
            out.print(&s, || vec![subscription_line(&s)])
        }
        SubsCommand::Terminate { sub, at_due } => {
            let s = payments::terminate(app, &sub, at_due).await?;
            out.print(&s, || {
                let mut lines = vec![subscription_line(&s)];
                if let Some(d) = s.subscription_closing_date.as_deref() {
                    lines.push(format!(
                        "  {}",
                        say_with("cli.subs.closes", &[("at", w_ha_date(Some(d)))])
                    ));
                }
                lines
            })
        }
        SubsCommand::List { user } => {
            let list = payments::subscriptions_of(app, &user).await?;
            out.print(&list, || list.iter().map(subscription_line).collect())
        }
    }
}

/// Runs `work`, saying each second on stderr that it goes on: confirming a
/// gift-card offer delivers the cards first, which takes a few seconds
/// (as `sell giftcard` says while it waits). Nothing with `--json`, nor
/// for what ends within the first second.
async fn progress<T>(out: &Output, id: &str, work: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    let start = std::time::Instant::now();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.tick().await;
    tokio::pin!(work);
    loop {
        tokio::select! {
            done = &mut work => return done,
            _ = tick.tick() => if !out.json {
                eprintln!(
                    "{} {id} ({}s)…",
                    crate::output::say("cli.confirming"),
                    start.elapsed().as_secs()
                );
            }
        }
    }
}
