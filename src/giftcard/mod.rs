//! Gift-card sales through Amilon, in the sale flow of `crate::sale`:
//! checked against the catalog and the contract before anything is written;
//! the order written `pending` with its external id (our order id) before
//! the one create request; `Duplicate order` read as "already ordered:
//! fetch it"; then the vouchers awaited with backoff, sealed in the journal
//! (never in clear), and shown again only on demand, each time recorded.

pub mod assortment;
pub mod receipt;

use crate::catalog::{self, CatalogItem};
use crate::context::Comptoir;
use crate::counters::Sold;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{NewOrder, Order, OrderKind, OrderStatus, StatusUpdate};
use crate::providers::amilon::model::{AmilonOrder, OrderCreation, OrderRowRequest, Progress, Voucher};
use crate::providers::amilon::Client;
use crate::types::ProviderId;
use crate::{qr, sale, seal};
use serde::Serialize;
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The document: vouchers usually arrive in under 30 seconds, at most 5
/// minutes. Waiting stops a little after that; the order stays `processing`
/// and the next refresh or start-up picks it up.
pub const MAX_WAIT: Duration = Duration::from_secs(5 * 60 + 30);

/// The Amilon client in force (training or live), and whether it is training.
pub async fn client(app: &Comptoir) -> Result<(Client, bool)> {
    let (config, training) = app.provider_config(ProviderId::Amilon).await?;
    Ok((
        Client::new(&config, training, app.tokens(), app.http().clone())?,
        training,
    ))
}

/// Sells `quantity` gift cards of one product. Returns the order as it
/// stands after Amilon's answer (`processing` until the vouchers arrive).
pub async fn sell_giftcard(
    app: &Comptoir,
    product: &str,
    quantity: u32,
    customer_ref: Option<String>,
) -> Result<Order> {
    sell_giftcard_paid_by(app, product, quantity, customer_ref, &sale::PaidBy::default()).await
}

/// `sell_giftcard` for a customer who paid through another order (an
/// Internet+ payment), which the gift-card order names as `paid_by`.
pub async fn sell_giftcard_paid_by(
    app: &Comptoir,
    product: &str,
    quantity: u32,
    customer_ref: Option<String>,
    paid: &sale::PaidBy,
) -> Result<Order> {
    app.require(crate::accounts::Right::Sell, None).await?;
    let item = sellable(app, product, quantity).await?;
    let customer_ref = sale::validate_customer_ref(customer_ref)?;
    let (client, training) = client(app).await?;
    let total_cents = item.price_cents * i64::from(quantity);
    assortment::check_contract(app, &client, training, total_cents, &item.currency).await?;
    let cost = item.cost_cents.map(|c| c * i64::from(quantity));
    let mut details = json!({
        "retailer": item.supplier, "unit_price": item.price_cents as f64 / 100.0,
        "culture": client.culture, "writer": sale::writer(),
    });
    paid.add_to(&mut details);
    let order = app
        .journal
        .create_order(NewOrder {
            provider: ProviderId::Amilon,
            kind: OrderKind::Giftcard,
            product_id: Some(item.id.clone()),
            product_name: item.name.clone(),
            quantity,
            customer_ref,
            phone: None,
            sim_id: None,
            amount_cents: total_cents,
            cost_cents: cost,
            fees_cents: cost.map(|c| total_cents - c),
            currency: item.currency.clone(),
            training,
            details,
        })
        .await?;
    tracing::info!(order = %order.id, product = %item.id, quantity, training, "gift-card order written, sending");
    let request = OrderCreation {
        external_order_id: order.id.clone(),
        order_rows: vec![OrderRowRequest {
            product_id: item.id.clone(),
            quantity,
        }],
    };
    let answer = match client.create_order(&request).await {
        // Amilon has it already (a retry after a lost answer, by another
        // process): it was ordered once; fetch it rather than fail.
        Err(e) if e.code == "amilon.duplicate_order" => client.order(&order.id).await.map_err(ordered_unread),
        other => other,
    };
    match answer {
        Ok(a) => record(app, &order, &a, "Amilon answered")
            .await
            .map_err(|e| sale::unrecorded(&order, e)),
        Err(e) => {
            // Refused for a reason Amilon did not name: perhaps a contract
            // changed since it was read.
            let named = [
                "invalid_product",
                "invalid_quantity",
                "insufficient_funds",
                "product_unavailable",
            ];
            if !named.iter().any(|n| e.code.strip_prefix("amilon.") == Some(n)) {
                assortment::forget_contract(app, training).await;
            }
            Err(sale::record_failure(app, &order, e).await?)
        }
    }
}

/// Amilon said it has the order ("Duplicate order") but it could not be
/// read: it may well have been ordered, so its outcome is unknown (never
/// `failed`, a final status that would stop reconciliation looking again).
fn ordered_unread(read: Error) -> Error {
    let mut e = Error::new(
        ErrorKind::UnknownOutcome,
        "amilon.duplicate_unread",
        format!(
            "Amilon says it has this order already but it could not be read ({}); do not sell it again: `comptoir reconcile` will fetch it",
            read.message
        ),
    );
    e.provider = read.provider;
    e
}

/// A gift card as a basket line, checked as a sale would be (the
/// contract's limits are checked when it is bought).
pub async fn basket_line(app: &Comptoir, product: &str, quantity: u32) -> Result<crate::journal::NewLine> {
    let item = sellable(app, product, quantity).await?;
    Ok(crate::journal::NewLine {
        kind: OrderKind::Giftcard,
        provider: ProviderId::Amilon,
        product: item.id.clone(),
        name: item.name.clone(),
        quantity,
        unit_cents: item.price_cents,
        currency: item.currency.clone(),
        msisdn: None,
        sim_id: None,
    })
}

/// A catalog product that can be ordered now in this quantity.
async fn sellable(app: &Comptoir, product: &str, quantity: u32) -> Result<CatalogItem> {
    let item = catalog::get(&app.journal, ProviderId::Amilon, product)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "giftcard.unknown_product",
                format!("gift card {product} is not in the catalog; sync it first"),
            )
            .with("product", product)
        })?;
    if !item.available {
        return Err(Error::invalid(
            "sale.unavailable",
            format!("{} cannot be sold now (out of stock)", item.name),
        )
        .with("reason", item.unavailable_reason.clone().unwrap_or_default()));
    }
    let min = item.min_quantity.unwrap_or(1).max(1);
    let max = item.max_quantity.unwrap_or(i64::from(u32::MAX));
    if !(min..=max).contains(&i64::from(quantity)) {
        return Err(Error::invalid(
            "giftcard.bad_quantity",
            format!("{} is sold {min} to {max} at a time", item.name),
        )
        .with("min", min)
        .with("max", max));
    }
    Ok(item)
}

/// Records what Amilon says of an order. Vouchers are sealed before they
/// reach the journal; the order's visible details say how many there are.
pub async fn record(app: &Comptoir, order: &Order, a: &AmilonOrder, message: &str) -> Result<Order> {
    let to = match a.progress() {
        Progress::Waiting => OrderStatus::Processing,
        Progress::Completed => OrderStatus::Delivered,
        Progress::Failed => OrderStatus::Failed,
        Progress::Cancelled => OrderStatus::Cancelled,
    };
    let vouchers = a.all_vouchers();
    if to == order.status && vouchers.is_empty() {
        return Ok(order.clone()); // nothing new: no history line per poll
    }
    let sealed = if vouchers.is_empty() {
        None
    } else {
        Some(seal::seal(app.secrets(), &json!({ "vouchers": vouchers }).to_string())?)
    };
    tracing::info!(order = %order.id, status = %to, vouchers = vouchers.len(), "Amilon order recorded");
    app.journal
        .set_status(
            &order.id,
            to,
            StatusUpdate {
                provider_ref: a.id.clone(),
                details: Some(json!({
                    "external_order_id": order.id, "amilon_status": a.order_status.clone().or(a.status.clone()),
                    "gross_amount": a.gross_amount, "net_amount": a.net_amount, "vouchers": vouchers.len(),
                })),
                sealed,
                message: message.to_string(),
                ..Default::default()
            },
        )
        .await
}

fn require_giftcard(order: &Order) -> Result<()> {
    if order.provider == ProviderId::Amilon && order.kind == OrderKind::Giftcard {
        Ok(())
    } else {
        Err(Error::invalid(
            "giftcard.not_a_giftcard",
            format!("order {} is not a gift-card order", order.id),
        ))
    }
}

/// Asks Amilon once about an order and records the answer. Amilon not
/// knowing an order that never left (`pending`/`unknown`, its writer gone)
/// means it did not happen: `failed`, and the cashier may sell it again.
pub async fn refresh(app: &Comptoir, order_id: &str) -> Result<Order> {
    let order = app.journal.get(order_id).await?;
    let client = client_for(app, &order).await?;
    check(app, &client, &order).await
}

/// The Amilon client that can speak of `order`: only the mode (training or
/// live) it was made in knows it.
async fn client_for(app: &Comptoir, order: &Order) -> Result<Client> {
    require_giftcard(order)?;
    let (client, training) = client(app).await?;
    if order.training != training {
        return Err(Error::config(
            "giftcard.other_mode",
            format!(
                "order {} was made in {} mode; switch back to check it",
                order.id,
                if order.training { "training" } else { "live" }
            ),
        ));
    }
    Ok(client)
}

async fn check(app: &Comptoir, client: &Client, order: &Order) -> Result<Order> {
    match client.order(&order.id).await {
        Ok(a) => record(app, order, &a, "checked with Amilon").await,
        Err(e)
            if e.code == "amilon.not_found" && matches!(order.status, OrderStatus::Pending | OrderStatus::Unknown) =>
        {
            if order.status == OrderStatus::Pending && sale::in_flight(order) {
                return Ok(order.clone()); // its request may still be on its way
            }
            let update = StatusUpdate {
                message: "Amilon has no such order".into(),
                ..Default::default()
            };
            app.journal.set_status(&order.id, OrderStatus::Failed, update).await
        }
        // Amilon accepted it once and knows it no more: say so, change nothing.
        Err(e) if e.code == "amilon.not_found" => Err(Error::new(
            ErrorKind::Refused,
            "giftcard.unknown_at_amilon",
            format!(
                "Amilon has no order {} any more (another contract?); the journal keeps it as it is — call Amilon",
                order.id
            ),
        )
        .with("order", order.id.clone())),
        Err(e) => Err(e),
    }
}

/// How long to wait before the Nth check (1-based): quick at first, when
/// vouchers usually come, then every 10 seconds as the document advises.
pub fn poll_delay(attempt: u32) -> Duration {
    const STEPS: [u64; 5] = [1, 2, 3, 5, 8];
    Duration::from_secs(STEPS.get(attempt as usize - 1).copied().unwrap_or(10))
}

/// Where a wait stands, for a progress display.
#[derive(Debug, Clone, Serialize)]
pub struct WaitProgress {
    pub order: String,
    pub attempt: u32,
    pub elapsed_secs: u64,
    pub status: OrderStatus,
    /// Set when the last check could not reach Amilon (waiting goes on).
    pub error: Option<String>,
}

/// Waits for an order's vouchers: checks, then backs off, until the order
/// is settled, `stop` is set, or `MAX_WAIT` has passed since it was made.
/// Returns the order as it then stands.
pub async fn wait(
    app: &Comptoir,
    order_id: &str,
    on_progress: &(dyn Fn(&WaitProgress) + Sync),
    stop: &AtomicBool,
) -> Result<Order> {
    let started = std::time::Instant::now();
    let mut attempt = 0;
    let mut order = app.journal.get(order_id).await?;
    let client = client_for(app, &order).await?; // once: settings and keyring are read here, not per check
    loop {
        let mut error = None;
        if attempt > 0 {
            match check(app, &client, &order).await {
                Ok(o) => order = o,
                Err(e) if e.kind == ErrorKind::Unavailable => error = Some(e.code.clone()),
                Err(e) => return Err(e),
            }
        }
        let settled = !order.status.is_unsettled();
        if settled || stop.load(Ordering::SeqCst) || age(&order) > MAX_WAIT {
            return Ok(order);
        }
        attempt += 1;
        on_progress(&WaitProgress {
            order: order.id.clone(),
            attempt,
            elapsed_secs: started.elapsed().as_secs(),
            status: order.status,
            error,
        });
        let until = tokio::time::Instant::now() + poll_delay(attempt);
        while tokio::time::Instant::now() < until && !stop.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

fn age(order: &Order) -> Duration {
    chrono::DateTime::parse_from_rfc3339(&order.created_at)
        .ok()
        .and_then(|t| chrono::Utc::now().signed_duration_since(t).to_std().ok())
        .unwrap_or_default()
}

/// Waits, one after the other, for every gift-card order still waiting for
/// its vouchers (the window calls it after start-up reconciliation).
pub async fn resume_waiting(app: &Comptoir, stop: &AtomicBool) -> Result<Vec<Order>> {
    let mut done = Vec::new();
    for order in app.journal.unsettled().await? {
        if order.provider == ProviderId::Amilon && order.status == OrderStatus::Processing {
            done.push(wait(app, &order.id, &|_| {}, stop).await?);
        }
    }
    Ok(done)
}

/// Settles one gift-card order for reconciliation.
pub async fn reconcile_one(app: &Comptoir, client: &Client, order: &Order) -> Result<Order> {
    check(app, client, order).await
}

/// A voucher as the counter shows it, with its QR code.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct VoucherCard {
    /// 1-based, as `order qr --item N` takes it.
    pub item: usize,
    #[serde(flatten)]
    pub voucher: Voucher,
    /// The product's terms when the voucher brings no instructions.
    pub qr_payload: Option<String>,
    pub qr_svg: Option<String>,
}

/// The order's vouchers, opened from the journal; records the reveal.
pub async fn vouchers(app: &Comptoir, order_id: &str) -> Result<Vec<VoucherCard>> {
    let sold = crate::counters::sold(app, order_id).await?;
    let cards = cards_of(app, &sold).await?;
    let what = format!(
        "{} shown",
        crate::types::text::count(cards.len(), "voucher", "vouchers")
    );
    crate::counters::note_reveal(app, &sold, &what).await?;
    Ok(cards)
}

/// The vouchers for a ticket: nothing is recorded here, since the ticket
/// may never reach paper; printing records the reveal once it did.
pub async fn vouchers_for_ticket(app: &Comptoir, order_id: &str) -> Result<Vec<VoucherCard>> {
    cards_of(app, &crate::counters::sold(app, order_id).await?).await
}

/// The vouchers of a sale, this counter's or another's (`counters::sold`).
async fn cards_of(app: &Comptoir, sold: &Sold) -> Result<Vec<VoucherCard>> {
    app.require_reveal(&sold.order).await?;
    let list = open_vouchers(app, sold)?;
    let terms = terms_of(app, &sold.order).await;
    list.into_iter()
        .enumerate()
        .map(|(i, mut v)| {
            if v.instructions.is_none() {
                v.instructions = terms.clone();
            }
            let payload = v.qr_payload().map(str::to_string);
            Ok(VoucherCard {
                item: i + 1,
                qr_svg: payload.as_deref().map(qr::svg).transpose()?,
                qr_payload: payload,
                voucher: v,
            })
        })
        .collect()
}

/// The QR code of voucher `item` (1-based) as PNG or SVG; records it.
pub async fn voucher_qr(app: &Comptoir, order_id: &str, item: usize, svg: bool) -> Result<Vec<u8>> {
    let sold = crate::counters::sold(app, order_id).await?;
    let list = open_vouchers(app, &sold)?;
    let v = item.checked_sub(1).and_then(|i| list.get(i)).ok_or_else(|| {
        Error::invalid(
            "giftcard.no_such_voucher",
            format!(
                "order {order_id} has {}; there is no number {item}",
                crate::types::text::count(list.len(), "voucher", "vouchers")
            ),
        )
        .with("count", list.len())
    })?;
    let payload = v
        .qr_payload()
        .ok_or_else(|| Error::invalid("giftcard.voucher_empty", "this voucher has neither code nor link"))?;
    crate::counters::note_reveal(app, &sold, &format!("QR code of voucher {item} written")).await?;
    if svg {
        Ok(qr::svg(payload)?.into_bytes())
    } else {
        qr::png(payload, 8)
    }
}

fn open_vouchers(app: &Comptoir, sold: &Sold) -> Result<Vec<Voucher>> {
    let (order, order_id) = (&sold.order, &sold.order.id);
    require_giftcard(order)?;
    let sealed = sold.sealed.clone().ok_or_else(|| {
        Error::invalid(
            "giftcard.no_vouchers",
            format!(
                "order {order_id} has no vouchers yet ({}); check with Amilon",
                order.status
            ),
        )
        .with("status", order.status.as_str())
    })?;
    let clear = seal::open(app.secrets(), &sealed)?;
    let doc: serde_json::Value = serde_json::from_str(clear.expose())
        .map_err(|_| Error::internal("giftcard.sealed_corrupt", "the stored vouchers are unreadable"))?;
    let list = doc["vouchers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(Voucher::from_raw)
        .collect();
    Ok(list)
}

/// The product's terms from the catalog, if it is still there.
async fn terms_of(app: &Comptoir, order: &Order) -> Option<String> {
    let raw = catalog::raw(&app.journal, ProviderId::Amilon, order.product_id.as_deref()?)
        .await
        .ok()??;
    let p: crate::providers::amilon::model::Product = serde_json::from_value(raw).ok()?;
    p.terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polling_backs_off_to_ten_seconds() {
        let delays: Vec<u64> = (1..=8).map(|a| poll_delay(a).as_secs()).collect();
        assert_eq!(delays, vec![1, 2, 3, 5, 8, 10, 10, 10]);
        let total: u64 = (1..=40).map(|a| poll_delay(a).as_secs()).sum();
        assert!(
            total as u128 >= MAX_WAIT.as_secs() as u128,
            "enough attempts to cover the documented 5 minutes"
        );
    }
}
