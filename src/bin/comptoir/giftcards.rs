//! Amilon's own commands: the contract, the retailers the shop hides, the
//! face values it offers.

use crate::args::GiftcardsCommand;
use crate::output::{count, say, say_with, Output};
use comptoir::{Comptoir, Result};
use serde_json::json;

pub async fn giftcards(app: &Comptoir, out: &Output, command: GiftcardsCommand) -> Result<()> {
    use comptoir::giftcard::assortment as amilon;
    match command {
        GiftcardsCommand::Contract => {
            let c = amilon::contract(app).await?;
            out.print(&c, || {
                let d = &c.data;
                let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                let mut lines = vec![
                    format!("{}  {}", text(&d.id), text(&d.name)),
                    say_with(
                        "cli.giftcards.status",
                        &[
                            ("status", text(&d.status)),
                            ("from", moment(&d.start_date)),
                            ("to", moment(&d.end_date)),
                        ],
                    ),
                    say_with(
                        "cli.giftcards.countries",
                        &[
                            ("countries", d.allowed_countries.join(", ")),
                            (
                                "max",
                                d.max_order_amount.map_or_else(
                                    || "-".into(),
                                    |m| {
                                        let currency = d.currency.as_deref().unwrap_or("EUR");
                                        crate::output::money((m * 100.0).round() as i64, currency)
                                    },
                                ),
                            ),
                        ],
                    ),
                ];
                if c.from_cache {
                    let at = crate::output::when(&c.fetched_at);
                    lines.push(say_with("cli.giftcards.cached", &[("at", at)]));
                }
                lines
            })
        }
        GiftcardsCommand::Retailers => {
            let list = amilon::retailers(app).await?;
            out.print(&list, || {
                list.iter()
                    .map(|r| {
                        format!(
                            "{}  {:<20} {:<14} {}",
                            r.id,
                            r.name,
                            r.category.as_deref().unwrap_or(""),
                            if r.hidden {
                                say("cli.giftcards.hidden_mark")
                            } else {
                                String::new()
                            }
                        )
                    })
                    .collect()
            })
        }
        GiftcardsCommand::Hide { retailer } => {
            let n = amilon::set_hidden(app, &retailer, true).await?;
            out.print(&json!({"hidden": retailer, "items": n}), || {
                let items = count("cli.giftcards.on_sale", n as u64, &[]);
                vec![say_with(
                    "cli.giftcards.hidden",
                    &[("retailer", retailer.clone()), ("items", items)],
                )]
            })
        }
        GiftcardsCommand::Show { retailer } => {
            let n = amilon::set_hidden(app, &retailer, false).await?;
            out.print(&json!({"shown": retailer, "items": n}), || {
                let items = count("cli.giftcards.on_sale", n as u64, &[]);
                vec![say_with(
                    "cli.giftcards.shown",
                    &[("retailer", retailer.clone()), ("items", items)],
                )]
            })
        }
        GiftcardsCommand::FaceValues { values, all: false } if values.is_empty() => {
            let values = amilon::face_values(app)?;
            out.print(&json!({ "face_values": values }), || {
                if values.is_empty() {
                    return vec![say("cli.giftcards.every_value")];
                }
                let shown: Vec<String> = values
                    .iter()
                    .map(|v| crate::output::money((v * 100.0).round() as i64, "EUR"))
                    .collect();
                vec![say_with("cli.giftcards.values", &[("values", shown.join(", "))])]
            })
        }
        GiftcardsCommand::FaceValues { values, .. } => {
            let n = amilon::set_face_values(app, &values).await?;
            out.print(&json!({"face_values": values, "items": n}), || {
                vec![count("cli.giftcards.on_sale", n as u64, &[])]
            })
        }
    }
}

/// A contract date as the shop writes it: a moment in its time zone, a day
/// in its form, anything else as Amilon sent it.
fn moment(v: &Option<String>) -> String {
    match v.as_deref() {
        None => "-".into(),
        Some(d) if d.len() == 10 => crate::output::day(d),
        Some(d) => crate::output::when(d),
    }
}
