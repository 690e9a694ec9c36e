//! The sale flow every provider goes through, so that no sale is lost and
//! none happens twice:
//! 1. validate the input — nothing is written or sent when it is wrong;
//! 2. write the order `pending`, with the reference the provider will know
//!    it by (our order id), and commit;
//! 3. send the purchase once — never repeated blindly;
//! 4. record the answer: `delivered`/`processing`, `failed` only when the
//!    provider said no or the request never left, else `unknown`;
//! 5. reconciliation later asks the provider about `pending`/`unknown`
//!    orders by that reference.
//!
//! The steps every provider shares are here; each provider's domain module
//! (`esim`, `giftcard`) does its own validation and request with them.

use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{Order, OrderStatus, StatusUpdate};
use serde_json::json;

/// Records a purchase that did not go through and returns its error with
/// the order's id. Only an unknown outcome leaves the sale open; any other
/// error means the provider refused it or it was never sent.
pub async fn record_failure(app: &Comptoir, order: &Order, e: Error) -> Result<Error> {
    let status = if e.kind == ErrorKind::UnknownOutcome {
        OrderStatus::Unknown
    } else {
        OrderStatus::Failed
    };
    tracing::warn!(order = %order.id, code = %e.code, %status, "not delivered");
    let update = StatusUpdate {
        message: e.code.clone(),
        details: Some(json!({"error": e.code})),
        ..Default::default()
    };
    app.journal.set_status(&order.id, status, update).await?;
    Ok(e.with("order", order.id.clone()))
}

/// The provider answered a purchase but the journal could not record the
/// answer (a full disk): the sale may well have happened, so its outcome is
/// unknown to the cashier, and the order (still `pending`, its writer gone
/// once this process ends) is settled by reconciliation once the journal
/// can be written again.
pub fn unrecorded(order: &Order, e: Error) -> Error {
    tracing::error!(order = %order.id, code = %e.code, "the provider answered but the journal could not record it");
    Error::new(
        ErrorKind::UnknownOutcome,
        "journal.unrecorded",
        format!(
            "the provider answered but the journal could not record it ({}); do not sell it again: `comptoir reconcile` will settle it once the journal can be written",
            e.message
        ),
    )
    .with("order", order.id.clone())
    .with("cause", e.code)
}

pub fn validate_customer_ref(r: Option<String>) -> Result<Option<String>> {
    let r = r.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    match r {
        Some(s) if crate::types::text::check("", &s, crate::types::text::CUSTOMER_MAX, false).is_err() => {
            Err(Error::invalid(
                "sale.bad_customer_ref",
                "the customer reference must be at most 80 printable characters",
            ))
        }
        other => Ok(other),
    }
}

/// This process, as a pending order records it (see `process::me`).
pub fn writer() -> serde_json::Value {
    crate::process::me()
}

/// Whether a `pending` order's purchase may still be on its way. The order
/// names the process that wrote it: if that process is gone, nothing is in
/// flight any more and the provider can be asked. Without that (another
/// machine, an older order), an order younger than one request timeout is
/// given the benefit of the doubt.
pub fn in_flight(order: &Order) -> bool {
    if let Some(alive) = order.details.get("writer").and_then(crate::process::alive) {
        return alive;
    }
    let limit = crate::http::request_timeout() + std::time::Duration::from_secs(15);
    chrono::DateTime::parse_from_rfc3339(&order.updated_at)
        .map(|t| chrono::Utc::now().signed_duration_since(t).to_std().unwrap_or_default() < limit)
        .unwrap_or(false)
}

/// What paid for a sale when it is not paid on its own: an Internet+
/// payment (its order id) or a till receipt and its line. The order names
/// it in its details from the moment it is written, so a sale killed
/// half-way is still found from its receipt.
#[derive(Debug, Clone, Default)]
pub struct PaidBy {
    pub payment: Option<String>,
    pub receipt: Option<String>,
    pub line: Option<i64>,
}

impl PaidBy {
    pub fn payment(id: &str) -> Self {
        PaidBy {
            payment: Some(id.to_string()),
            ..Default::default()
        }
    }

    pub fn receipt(number: &str, line: i64) -> Self {
        PaidBy {
            receipt: Some(number.to_string()),
            line: Some(line),
            ..Default::default()
        }
    }

    /// Writes the links into an order's details.
    pub fn add_to(&self, details: &mut serde_json::Value) {
        if let Some(obj) = details.as_object_mut() {
            obj.insert("paid_by".into(), json!(self.payment));
            if let Some(r) = &self.receipt {
                obj.insert("receipt".into(), json!(r));
                obj.insert("receipt_line".into(), json!(self.line));
            }
        }
    }
}
