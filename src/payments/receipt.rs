//! What an Internet+ payment puts on the customer's ticket: how it was
//! paid, the transaction, and the subscription with its period.

use crate::context::Comptoir;
use crate::error::Result;
use crate::journal::Order;
use crate::providers::internet_plus::Operator;
use crate::receipt::{fact, Ticket, Words};

pub async fn add_sections(_app: &Comptoir, order: &Order, t: &mut Ticket, w: &Words) -> Result<()> {
    let text = |k: &str| order.details.get(k).and_then(|v| v.as_str()).map(str::to_string);
    if let Ok(op) = serde_json::from_value::<Operator>(order.details["operator"].clone()) {
        t.notes.push(w.paid_on_bill.replace("{operator}", op.display_name()));
    }
    fact(&mut t.facts, w.transaction, text("transaction_id"));
    let sub = text("subscription_id").map(|s| match text("period") {
        Some(p) => format!("{s} ({})", p.to_lowercase()),
        None => s,
    });
    fact(&mut t.facts, w.subscription, sub);
    Ok(())
}
