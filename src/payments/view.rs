//! Internet+ payments as the window shows them: one payment with its page's
//! QR code and deadlines, and the Payments screen's list of what is still
//! open (authorized transactions, pending subscriptions).

use super::{deadline, offers};
use crate::context::Comptoir;
use crate::error::Result;
use crate::journal::{Order, OrderStatus};
use crate::providers::internet_plus::model::REFUND_REASONS;
use crate::types::ProviderId;
use chrono::Utc;
use serde::Serialize;

/// One payment: the order, its payment page (as a QR for the customer's
/// phone), when the page closes and when the authorization does.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct PaymentView {
    pub order: Order,
    pub panel_url: Option<String>,
    pub qr_svg: Option<String>,
    pub operator: Option<String>,
    /// When the payment page closes (RFC 3339).
    pub page_expires_at: Option<String>,
    /// When the authorization can no longer be confirmed or cancelled.
    pub deadline: Option<String>,
    /// Seconds left before `deadline` (negative once passed).
    #[ts(type = "number | null")]
    pub seconds_left: Option<i64>,
    pub subscription_id: Option<String>,
    pub transaction_id: Option<String>,
    /// What the offer sells, delivered before confirming.
    pub sells: Option<offers::Sells>,
}

pub fn view(order: Order) -> Result<PaymentView> {
    let text = |k: &str| order.details.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let panel_url = text("panel_url");
    let qr_svg = match (&panel_url, order.status) {
        (Some(url), OrderStatus::Pending) => Some(crate::qr::svg(url)?),
        _ => None,
    };
    let deadline = deadline(&order);
    Ok(PaymentView {
        panel_url,
        qr_svg,
        operator: text("operator"),
        page_expires_at: text("expires_at"),
        deadline: deadline.map(|d| d.to_rfc3339()),
        seconds_left: deadline.map(|d| (d - Utc::now()).num_seconds()),
        subscription_id: text("subscription_id"),
        transaction_id: text("transaction_id"),
        sells: order
            .details
            .get("sells")
            .and_then(|v| serde_json::from_value(v.clone()).ok()),
        order,
    })
}

/// One payment by its order id (or transaction or subscription id).
pub async fn payment(app: &Comptoir, id: &str) -> Result<PaymentView> {
    view(super::find(app, id).await?)
}

/// Every payment still open: sessions waiting for their return, authorized
/// transactions and pending subscriptions, the closest deadline first.
pub async fn open(app: &Comptoir) -> Result<Vec<PaymentView>> {
    let mut out = Vec::new();
    for order in app.journal.unsettled().await? {
        if order.provider == ProviderId::InternetPlus {
            out.push(view(order)?);
        }
    }
    out.sort_by_key(|p| p.seconds_left.unwrap_or(i64::MAX));
    Ok(out)
}

/// A refund reason of the document, for the refund form.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct RefundReason {
    pub code: &'static str,
    pub description: &'static str,
}

pub fn refund_reasons() -> Vec<RefundReason> {
    REFUND_REASONS
        .iter()
        .map(|(code, description)| RefundReason { code, description })
        .collect()
}

/// A payment as W-HA has it now, and the order brought up to date.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Consulted {
    pub order: Order,
    pub transaction: crate::providers::internet_plus::model::Transaction,
}
