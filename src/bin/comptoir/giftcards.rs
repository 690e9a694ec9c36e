//! Amilon's own commands: the contract, the retailers the shop hides, the
//! face values it offers.

use crate::args::GiftcardsCommand;
use crate::output::Output;
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
                    format!(
                        "status {}  from {} to {}",
                        text(&d.status),
                        text(&d.start_date),
                        text(&d.end_date)
                    ),
                    format!(
                        "countries {}  max per order {} {}",
                        d.allowed_countries.join(", "),
                        d.max_order_amount
                            .map(|m| format!("{m:.2}"))
                            .unwrap_or_else(|| "-".into()),
                        text(&d.currency)
                    ),
                ];
                if c.from_cache {
                    lines.push(format!(
                        "(Amilon unreachable: as known at {})",
                        crate::output::when(&c.fetched_at)
                    ));
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
                            if r.hidden { "hidden" } else { "" }
                        )
                    })
                    .collect()
            })
        }
        GiftcardsCommand::Hide { retailer } => {
            let n = amilon::set_hidden(app, &retailer, true).await?;
            out.print(&json!({"hidden": retailer, "items": n}), || {
                vec![format!("{retailer} hidden; {n} gift cards on sale")]
            })
        }
        GiftcardsCommand::Show { retailer } => {
            let n = amilon::set_hidden(app, &retailer, false).await?;
            out.print(&json!({"shown": retailer, "items": n}), || {
                vec![format!("{retailer} shown; {n} gift cards on sale")]
            })
        }
        GiftcardsCommand::FaceValues { values, all: false } if values.is_empty() => {
            let values = amilon::face_values(app)?;
            out.print(&json!({ "face_values": values }), || {
                if values.is_empty() {
                    return vec!["every face value is offered (set some with `giftcards face-values 10 25 50`)".into()];
                }
                let shown: Vec<String> = values
                    .iter()
                    .map(|v| crate::output::money((v * 100.0).round() as i64, "EUR"))
                    .collect();
                vec![format!("face values offered: {}", shown.join(", "))]
            })
        }
        GiftcardsCommand::FaceValues { values, .. } => {
            let n = amilon::set_face_values(app, &values).await?;
            out.print(&json!({"face_values": values, "items": n}), || {
                vec![format!("{n} gift cards on sale")]
            })
        }
    }
}
