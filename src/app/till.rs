//! The till's sale: the counter's basket, its payment taken first (the
//! receipt numbered and its payments recorded in one write), then every
//! line bought through its provider's own sale flow, all at once; a line
//! refused is given back (cash first), a line whose outcome is unknown is
//! "to settle" until reconciliation delivers or refunds it.

use crate::accounts::Right;
use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{Basket, BasketLine, NewReceipt, Order, OrderStatus, Payment, Refund};
use crate::registry;
use crate::sale::PaidBy;
use crate::till::{self, LineRequest, Tendered};
use crate::types::{cents, Tender};
use serde::Serialize;
use std::collections::HashMap;

/// Where a receipt's line stands.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    Delivered,
    /// Not delivered: its amount was given back.
    Refunded,
    /// Its outcome is not known yet: reconciliation delivers or refunds it.
    ToSettle,
    /// Being bought now by the process that took the payment.
    Buying,
}

/// One line of a receipt with the order bought for it.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct ReceiptLine {
    #[serde(flatten)]
    #[ts(flatten)]
    pub line: BasketLine,
    pub state: LineState,
    pub order: Option<Order>,
}

/// A paid basket: what the customer's ticket holds.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Receipt {
    pub number: String,
    pub counter: String,
    pub created_at: String,
    pub cashier: Option<String>,
    pub customer_ref: Option<String>,
    #[serde(rename = "total", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub total_cents: i64,
    #[serde(rename = "change", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub change_cents: i64,
    pub currency: String,
    pub payments: Vec<Payment>,
    pub lines: Vec<ReceiptLine>,
    pub refunds: Vec<Refund>,
    /// The correcting receipts that gave those refunds back.
    pub corrections: Vec<super::correction::Correction>,
    /// What failed lines gave back, all means together.
    #[serde(rename = "refund_due", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub refund_cents: i64,
    /// Every line delivered or refunded.
    pub settled: bool,
    pub training: bool,
}

/// A basket paid: its receipt, and whether the payment opened the till
/// (no shift was open: the float is "not counted").
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Paid {
    pub receipt: Receipt,
    pub opened_till: bool,
    /// Each line's error as its provider's sale flow gave it.
    #[serde(skip)]
    #[ts(skip)]
    pub errors: Vec<(i64, Error)>,
}

/// The counter's basket as it stands (empty when none is open).
/// Closes the till, having shared what waits first (`share`): the report
/// says how many sales could not go (`unshared`).
pub async fn close_shift(app: &Comptoir, counted_cents: i64) -> Result<till::shift::ShiftReport> {
    let unshared = super::share::push_before_close(app).await;
    let mut report = till::shift::close(app, counted_cents).await?;
    report.unshared = unshared;
    Ok(report)
}

pub async fn basket(app: &Comptoir) -> Result<Basket> {
    app.journal.open_basket(&till::counter(app)?).await
}

/// Adds a line, checked as its sale would be.
pub async fn add(app: &Comptoir, request: &LineRequest) -> Result<Basket> {
    app.require(Right::Sell, None).await?;
    let line = registry::basket_line(app, request).await?;
    app.journal.add_line(&till::counter(app)?, &line).await
}

/// Removes a line (until payment).
pub async fn remove(app: &Comptoir, line: i64) -> Result<Basket> {
    app.require(Right::Sell, None).await?;
    app.journal.remove_line(&till::counter(app)?, line).await
}

/// Abandons the basket: kept in the journal, marked abandoned.
pub async fn clear(app: &Comptoir) -> Result<Option<Basket>> {
    app.require(Right::Sell, None).await?;
    app.journal.abandon_basket(&till::counter(app)?).await
}

/// Takes the payment for the counter's basket, then buys every line.
pub async fn pay(app: &Comptoir, given: &Tendered, customer: Option<String>) -> Result<Paid> {
    app.require(Right::Sell, None).await?;
    let counter = till::counter(app)?;
    let basket = app.journal.current_basket(&counter).await?;
    let basket = basket
        .filter(|b| !b.lines.is_empty())
        .ok_or_else(|| Error::invalid("till.empty", "the basket is empty: add what the customer buys first"))?;
    pay_basket(app, &counter, &basket, given, customer, true).await
}

/// A one-line basket paid at once (`comptoir sell`), apart from the
/// counter's own basket: by card, or in cash (`given`: the cash handed
/// over, the exact amount when `None`). A gift card is not awaited.
pub async fn sell_now(
    app: &Comptoir,
    request: &LineRequest,
    tender: Tender,
    given: Option<i64>,
    customer: Option<String>,
) -> Result<Paid> {
    app.require(Right::Sell, None).await?;
    let counter = till::counter(app)?;
    let line = registry::basket_line(app, request).await?;
    let total = line.unit_cents * i64::from(line.quantity);
    let tendered = match tender {
        Tender::Cash => Tendered {
            cash: Some(given.unwrap_or(total)),
            ..Default::default()
        },
        _ => Tendered {
            card: Some(total),
            ..Default::default()
        },
    };
    let basket = app.journal.single_basket(&counter, &line).await?;
    pay_basket(app, &counter, &basket, &tendered, customer, false).await
}

async fn pay_basket(
    app: &Comptoir,
    counter: &str,
    basket: &Basket,
    given: &Tendered,
    customer: Option<String>,
    wait: bool,
) -> Result<Paid> {
    let customer = crate::sale::validate_customer_ref(customer)?;
    // Each line is checked again: an offer gone or repriced since it was
    // added is said before any money is taken.
    for line in &basket.lines {
        let request = LineRequest::of(line)
            .ok_or_else(|| Error::internal("till.not_sellable", "a basket line of an unknown kind"))?;
        let now = registry::basket_line(app, &request).await?;
        if now.unit_cents != line.unit_cents {
            return Err(Error::invalid(
                "till.price_changed",
                format!(
                    "{} costs {} now: remove the line and add it again",
                    line.name,
                    cents::format(now.unit_cents)
                ),
            )
            .with("line", line.line));
        }
    }
    let (payments, change) = till::plan(basket.total_cents, given, &till::accepted(app)?)?;
    let taxes = till::taxes(app)?;
    let siret = till::siret(app)?;
    let (number, opened_till) = app
        .journal
        .record_receipt(NewReceipt {
            counter,
            basket: &basket.id,
            total_cents: basket.total_cents,
            change_cents: change,
            currency: &basket.currency,
            payments: &payments,
            customer_ref: customer.as_deref(),
            training: till::training(app, basket.lines.iter().map(|l| l.provider))?,
            tax: &|p, k| taxes.of(p, k),
            siret: siret.as_deref(),
        })
        .await?;
    tracing::info!(receipt = %number, lines = basket.lines.len(), total = basket.total_cents, "payment recorded, buying");
    let buys = basket.lines.iter().map(|line| {
        let customer = customer.clone();
        let paid = PaidBy::receipt(&number, line.line);
        async move { (line.line, registry::buy(app, line, customer, &paid, wait).await) }
    });
    let mut errors = Vec::new();
    for (line, outcome) in futures_util::future::join_all(buys).await {
        if let Err(e) = outcome {
            // Refused before any order was written: the line failed here.
            if e.params.get("order").is_none() && e.kind != ErrorKind::UnknownOutcome {
                app.journal.fail_line(&basket.id, line, &e.code).await?;
            }
            errors.push((line, e));
        }
    }
    let receipt = settle(app, &number).await?;
    Ok(Paid {
        receipt,
        opened_till,
        errors,
    })
}

/// A receipt as it stands, with each line's order and state.
pub async fn receipt(app: &Comptoir, number: &str) -> Result<Receipt> {
    let row = app.journal.receipt(number).await?;
    let basket = app.journal.basket(&row.basket).await?;
    let mut orders: HashMap<i64, Order> = HashMap::new();
    for o in app.journal.receipt_orders(number).await? {
        if let Some(line) = o.details.get("receipt_line").and_then(|v| v.as_i64()) {
            orders.insert(line, o);
        }
    }
    let buyer_alive = row.writer.as_ref().and_then(crate::process::alive).unwrap_or(false);
    let lines: Vec<ReceiptLine> = basket
        .lines
        .into_iter()
        .map(|line| {
            let order = orders.remove(&line.line);
            let state = state_of(&line, order.as_ref(), buyer_alive && row.settled_at.is_none());
            ReceiptLine { line, state, order }
        })
        .collect();
    let corrections = match row.refunds.is_empty() {
        true => Vec::new(),
        false => super::correction::of(app, &row.number, lines.len()).await?,
    };
    Ok(Receipt {
        corrections,
        refund_cents: row.refunds.iter().map(|r| r.amount_cents).sum(),
        settled: row.settled_at.is_some(),
        training: row.training || lines.iter().any(|l| l.order.as_ref().is_some_and(|o| o.training)),
        number: row.number,
        counter: row.counter,
        created_at: row.created_at,
        cashier: row.cashier,
        customer_ref: row.customer_ref,
        total_cents: row.total_cents,
        change_cents: row.change_cents,
        currency: row.currency,
        payments: row.payments,
        lines,
        refunds: row.refunds,
    })
}

fn state_of(line: &BasketLine, order: Option<&Order>, buying: bool) -> LineState {
    match order {
        Some(o) if o.status == OrderStatus::Delivered => LineState::Delivered,
        Some(o) if o.status == OrderStatus::Failed => LineState::Refunded,
        Some(_) => LineState::ToSettle,
        None if line.failure.is_some() => LineState::Refunded,
        None if buying => LineState::Buying,
        None => LineState::ToSettle,
    }
}

/// Gives back what failed lines cost (cash first, each once), records a
/// line its buyer died before sending as not sent, and marks the receipt
/// settled once every line is delivered or refunded.
pub async fn settle(app: &Comptoir, number: &str) -> Result<Receipt> {
    let mut r = receipt(app, number).await?;
    let basket = app.journal.receipt(number).await?.basket;
    let mut changed = false;
    for l in &r.lines {
        if l.order.is_none() && l.line.failure.is_none() && l.state == LineState::ToSettle {
            // Its buyer is gone and wrote no order: nothing was sent.
            app.journal.fail_line(&basket, l.line.line, "till.not_sent").await?;
            changed = true;
        }
    }
    if changed {
        r = receipt(app, number).await?;
    }
    let mut refunds = r.refunds.clone();
    // The refunds this settlement records print as one correcting receipt.
    let correction = super::correction::next(&r.number, &r.corrections);
    for l in r.lines.iter().filter(|l| l.state == LineState::Refunded) {
        if refunds.iter().any(|f| f.line == l.line.line) {
            continue;
        }
        let reason = l
            .line
            .failure
            .clone()
            .or_else(|| l.order.as_ref().map(failure_code))
            .unwrap_or_default();
        for (tender, amount_cents) in till::allocate_refund(&r.payments, &refunds, l.line.amount_cents) {
            let refund = Refund {
                receipt: r.number.clone(),
                line: l.line.line,
                tender,
                amount_cents,
                shift: None,
                created_at: String::new(),
                reason: reason.clone(),
            };
            app.journal.add_refund(&r.counter, &refund, &correction).await?;
            tracing::info!(receipt = %r.number, line = l.line.line, %tender, amount_cents, "line not delivered: given back");
            refunds.push(refund);
            changed = true;
        }
    }
    let done = r
        .lines
        .iter()
        .all(|l| matches!(l.state, LineState::Delivered | LineState::Refunded));
    if done && !r.settled {
        app.journal.settle_receipt(number).await?;
        changed = true;
    }
    if changed {
        r = receipt(app, number).await?;
    }
    Ok(r)
}

fn failure_code(o: &Order) -> String {
    o.details
        .get("error")
        .and_then(|v| v.as_str())
        .unwrap_or("refused")
        .to_string()
}

/// Settles every receipt with a line still open (after reconciliation
/// settled their orders): refunds the lines that failed meanwhile.
pub async fn settle_open(app: &Comptoir) -> Result<Vec<Receipt>> {
    let mut out = Vec::new();
    for number in app.journal.unsettled_receipts().await? {
        let r = settle(app, &number).await?;
        out.push(r);
    }
    Ok(out)
}

/// An Internet+ payment confirmed (its product delivered, the customer
/// billed on their line) is a sale of the till like any other: a receipt
/// of one line paid by Internet+, counted in the shift's takings. Once per
/// payment; a payment that confirmed nothing (no product) is its own line.
pub async fn record_internet_plus(app: &Comptoir, payment: &Order) -> Result<Option<String>> {
    if payment.status != OrderStatus::Delivered || payment.details.get("receipt").is_some() {
        return Ok(None);
    }
    let counter = till::counter(app)?;
    let line = crate::journal::NewLine {
        kind: payment.kind,
        provider: payment.provider,
        product: payment.product_id.clone().unwrap_or_default(),
        name: payment.product_name.clone(),
        quantity: 1,
        unit_cents: payment.amount_cents,
        currency: payment.currency.clone(),
        msisdn: None,
        sim_id: None,
    };
    let basket = app.journal.single_basket(&counter, &line).await?;
    let paid = [Payment {
        tender: Tender::InternetPlus,
        amount_cents: payment.amount_cents,
        given_cents: None,
        authorisation: payment.provider_ref.clone(),
    }];
    let taxes = till::taxes(app)?;
    let siret = till::siret(app)?;
    let (number, _) = app
        .journal
        .record_receipt(NewReceipt {
            counter: &counter,
            basket: &basket.id,
            total_cents: payment.amount_cents,
            change_cents: 0,
            currency: &payment.currency,
            payments: &paid,
            customer_ref: payment.customer_ref.as_deref(),
            training: payment.training,
            tax: &|p, k| taxes.of(p, k),
            siret: siret.as_deref(),
        })
        .await?;
    let update = crate::journal::StatusUpdate {
        details: Some(serde_json::json!({"receipt": number, "receipt_line": 1})),
        message: format!("till receipt {number}"),
        ..Default::default()
    };
    app.journal.set_status(&payment.id, payment.status, update).await?;
    settle(app, &number).await?;
    Ok(Some(number))
}
