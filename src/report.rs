//! The day report (or any range of days): what was sold, what it cost, what
//! the shop earned, what was refunded or cancelled, and what is still to be
//! settled. Training orders are left out: they sold nothing.

use crate::error::{Error, Result};
use crate::journal::{cents, Aggregate, Journal, Ledger, OrderFilter, OrderStatus};
use crate::types::ProviderId;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: Vec<Line>,
    /// One total per currency (two currencies are never added up).
    pub totals: Vec<Line>,
    /// Orders whose outcome is still open: to settle before closing the day.
    pub to_settle: Vec<String>,
    /// The one cashier this report is for (none: everyone's sales).
    #[ts(optional)]
    pub cashier: Option<String>,
    /// Delivered sales per cashier (none: sold before accounts existed).
    pub by_cashier: Vec<CashierLine>,
    /// Delivered sales per counter (one line at a counter alone).
    pub by_counter: Vec<CounterLine>,
    /// The till's takings by means of payment, and what was given back.
    pub tenders: Vec<TenderLine>,
    /// Training orders of the period, left out of every figure above.
    #[ts(type = "number")]
    pub training_left_out: i64,
}

/// What one means of payment took at the till over the period.
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct TenderLine {
    pub tender: crate::types::Tender,
    /// Taken (cash: net of the change).
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub taken: i64,
    /// Given back for lines not delivered.
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub refunded: i64,
}

/// One cashier's delivered sales in one currency.
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct CashierLine {
    pub cashier: Option<String>,
    pub currency: String,
    pub sales: u32,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount: i64,
}

/// One counter's delivered sales in one currency.
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct CounterLine {
    pub counter: Option<String>,
    pub currency: String,
    pub sales: u32,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount: i64,
}

/// Sales of one provider, kind and currency (or all of one currency, for
/// the totals).
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq, Default)]
pub struct Line {
    pub provider: Option<ProviderId>,
    pub kind: Option<String>,
    pub currency: String,
    pub sales: u32,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount: i64,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub cost: i64,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub fees: i64,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub margin: i64,
    pub refunds: u32,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub refunded: i64,
    pub cancellations: u32,
}

impl Line {
    /// Adds one group of orders, in checked arithmetic: a sum that would
    /// overflow is an error, never a panic or a wrapped total.
    fn add(&mut self, a: &Aggregate) -> Result<()> {
        let too_large = || Error::invalid("report.overflow", "the amounts of this period are too large to add up");
        let sum = |into: &mut i64, v: i64| -> Result<()> {
            *into = into.checked_add(v).ok_or_else(too_large)?;
            Ok(())
        };
        let count = u32::try_from(a.count).map_err(|_| too_large())?;
        let counted = |into: &mut u32| -> Result<()> {
            *into = into.checked_add(count).ok_or_else(too_large)?;
            Ok(())
        };
        match a.status {
            OrderStatus::Delivered => {
                counted(&mut self.sales)?;
                sum(&mut self.amount, a.amount_cents)?;
                sum(&mut self.cost, a.cost_cents)?;
                sum(&mut self.fees, a.fees_cents)?;
                sum(
                    &mut self.margin,
                    a.amount_cents.checked_sub(a.cost_cents).ok_or_else(too_large)?,
                )?;
            }
            OrderStatus::Refunded => {
                counted(&mut self.refunds)?;
                sum(&mut self.refunded, a.amount_cents)?;
            }
            OrderStatus::Cancelled => counted(&mut self.cancellations)?,
            _ => {}
        }
        Ok(())
    }
}

/// The report of the local days `from` to `to`, included.
pub async fn report(journal: &Journal, from: NaiveDate, to: NaiveDate) -> Result<Report> {
    report_for(journal, from, to, None).await
}

/// `report`, of one cashier's sales when `cashier` names one, from either
/// journal: this counter's, or the shop's for every counter.
pub async fn report_for(
    journal: &impl Ledger,
    from: NaiveDate,
    to: NaiveDate,
    cashier: Option<String>,
) -> Result<Report> {
    if to < from {
        return Err(Error::invalid(
            "report.bad_period",
            "the period must end on or after its first day",
        ));
    }
    let filter = OrderFilter {
        from: Some(from),
        to: Some(to),
        training: Some(false),
        cashier: cashier.clone(),
        ..Default::default()
    };
    // Summed in SQL over the whole period (never a page of its orders). A
    // payment that paid for another order (an Internet+ payment for a gift
    // card) is its own line, but the totals count that money once: in the
    // product's order, with its cost and margin.
    let groups = journal.aggregate(&filter).await?;
    let mut by_key: BTreeMap<(ProviderId, String, String), Line> = BTreeMap::new();
    let mut totals: BTreeMap<String, Line> = BTreeMap::new();
    for g in &groups {
        by_key
            .entry((g.provider, g.kind.as_str().to_string(), g.currency.clone()))
            .or_insert_with(|| Line {
                provider: Some(g.provider),
                kind: Some(g.kind.as_str().to_string()),
                currency: g.currency.clone(),
                ..Default::default()
            })
            .add(g)?;
        if !g.paid_for_another {
            totals
                .entry(g.currency.clone())
                .or_insert_with(|| Line {
                    currency: g.currency.clone(),
                    ..Default::default()
                })
                .add(g)?;
        }
    }
    let to_settle = journal.unsettled_ids(&filter).await?;
    let training = OrderFilter {
        training: Some(true),
        ..filter.clone()
    };
    let training_left_out = journal.aggregate(&training).await?.iter().map(|g| g.count).sum();
    Ok(Report {
        training_left_out,
        from,
        to,
        lines: by_key.into_values().collect(),
        totals: totals.into_values().collect(),
        to_settle,
        by_counter: journal
            .sales_by_counter(&filter)
            .await?
            .into_iter()
            .map(|(counter, currency, n, amount)| CounterLine {
                counter,
                currency,
                sales: u32::try_from(n).unwrap_or(u32::MAX),
                amount,
            })
            .collect(),
        by_cashier: journal
            .sales_by_cashier(&filter)
            .await?
            .into_iter()
            .map(|(cashier, currency, n, amount)| CashierLine {
                cashier,
                currency,
                sales: u32::try_from(n).unwrap_or(u32::MAX),
                amount,
            })
            .collect(),
        tenders: journal
            .tenders_between(from, to, cashier.as_deref())
            .await?
            .into_iter()
            .map(|(tender, taken, refunded)| TenderLine {
                tender,
                taken,
                refunded,
            })
            .collect(),
        cashier,
    })
}

/// The report as CSV (one line per provider and kind, then the totals).
pub fn write_csv<W: std::io::Write>(out: W, r: &Report, delimiter: u8) -> Result<()> {
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
    let err = |e: csv::Error| crate::files::csv_error(None, "report.write", e);
    w.write_record([
        "provider",
        "kind",
        "currency",
        "sales",
        "amount",
        "cost",
        "fees",
        "margin",
        "refunds",
        "refunded",
        "cancellations",
    ])
    .map_err(err)?;
    // With `;` (a French spreadsheet's), amounts take a decimal comma, as
    // the orders' export does.
    let money = |c: i64| {
        let s = cents::format(c);
        if delimiter == b';' {
            s.replace('.', ",")
        } else {
            s
        }
    };
    for l in r.lines.iter().chain(&r.totals) {
        w.write_record([
            l.provider
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "total".into()),
            l.kind.clone().unwrap_or_default(),
            l.currency.clone(),
            l.sales.to_string(),
            money(l.amount),
            money(l.cost),
            money(l.fees),
            money(l.margin),
            l.refunds.to_string(),
            money(l.refunded),
            l.cancellations.to_string(),
        ])
        .map_err(err)?;
    }
    w.flush()
        .map_err(|e| crate::files::io_error(std::path::Path::new("the report"), "report.write", &e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{NewOrder, OrderKind, StatusUpdate};
    use serde_json::json;

    fn new(
        provider: ProviderId,
        kind: OrderKind,
        amount: i64,
        cost: Option<i64>,
        details: serde_json::Value,
    ) -> NewOrder {
        NewOrder {
            provider,
            kind,
            product_id: None,
            product_name: "x".into(),
            quantity: 1,
            customer_ref: None,
            phone: None,
            sim_id: None,
            amount_cents: amount,
            cost_cents: cost,
            fees_cents: None,
            currency: "EUR".into(),
            training: false,
            details,
        }
    }

    #[tokio::test]
    async fn a_product_paid_through_internet_plus_is_counted_once_in_the_totals() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(&dir.path().join("j.sqlite")).await.unwrap();
        let delivered = |m: &str| StatusUpdate {
            message: m.into(),
            ..Default::default()
        };
        let pay = j
            .create_order(new(ProviderId::InternetPlus, OrderKind::Payment, 2500, None, json!({})))
            .await
            .unwrap();
        j.set_status(&pay.id, OrderStatus::Delivered, delivered("confirmed"))
            .await
            .unwrap();
        let card = j
            .create_order(new(
                ProviderId::Amilon,
                OrderKind::Giftcard,
                2500,
                Some(2000),
                json!({"paid_by": pay.id}),
            ))
            .await
            .unwrap();
        j.set_status(&card.id, OrderStatus::Delivered, delivered("vouchers"))
            .await
            .unwrap();
        let today = chrono::Local::now().date_naive();
        let r = report(&j, today, today).await.unwrap();
        assert_eq!(r.lines.len(), 2, "the payment and the gift card each have their line");
        let t = &r.totals[0];
        assert_eq!((t.sales, t.amount, t.cost, t.margin), (1, 2500, 2000, 500));
    }

    #[tokio::test]
    async fn two_currencies_are_never_added() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(&dir.path().join("j.sqlite")).await.unwrap();
        for (amount, currency) in [(1000, "EUR"), (2000, "EUR"), (1500, "GBP")] {
            let mut o = new(
                ProviderId::Amilon,
                OrderKind::Giftcard,
                amount,
                Some(amount - 100),
                json!({}),
            );
            o.currency = currency.into();
            let o = j.create_order(o).await.unwrap();
            let done = StatusUpdate {
                message: "vouchers".into(),
                ..Default::default()
            };
            j.set_status(&o.id, OrderStatus::Delivered, done).await.unwrap();
        }
        let today = chrono::Local::now().date_naive();
        let r = report(&j, today, today).await.unwrap();
        let totals: Vec<(&str, u32, i64)> = r
            .totals
            .iter()
            .map(|t| (t.currency.as_str(), t.sales, t.amount))
            .collect();
        assert_eq!(totals, [("EUR", 2, 3000), ("GBP", 1, 1500)]);
        assert_eq!(r.lines.len(), 2, "a line per currency too");
    }
}
