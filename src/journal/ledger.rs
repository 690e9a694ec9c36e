//! `Ledger`: what a report reads, answered by either journal: the
//! counter's own SQLite journal, or the shop's PostgreSQL one
//! (`shop::search`) for every counter. One report (`report`) is written
//! once over the trait, and the same tests check both.

use super::{Aggregate, Journal, OrderFilter};
use crate::error::Result;
use crate::types::Tender;
use chrono::NaiveDate;
use std::future::Future;

/// (who, currency, count, amount in cents).
pub type SalesLine = (Option<String>, String, i64, i64);

pub trait Ledger {
    /// Orders of the filter grouped by provider, kind, currency, status.
    fn aggregate(&self, filter: &OrderFilter) -> impl Future<Output = Result<Vec<Aggregate>>> + Send;
    /// Delivered sales per cashier and currency.
    fn sales_by_cashier(&self, filter: &OrderFilter) -> impl Future<Output = Result<Vec<SalesLine>>> + Send;
    /// Delivered sales per counter and currency.
    fn sales_by_counter(&self, filter: &OrderFilter) -> impl Future<Output = Result<Vec<SalesLine>>> + Send;
    /// Ids of the filter's orders whose outcome is open.
    fn unsettled_ids(&self, filter: &OrderFilter) -> impl Future<Output = Result<Vec<String>>> + Send;
    /// The till's takings by means over local days: (means, taken, given back).
    fn tenders_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        cashier: Option<&str>,
    ) -> impl Future<Output = Result<Vec<(Tender, i64, i64)>>> + Send;
}

impl Ledger for Journal {
    fn aggregate(&self, filter: &OrderFilter) -> impl Future<Output = Result<Vec<Aggregate>>> + Send {
        Journal::aggregate(self, filter)
    }

    fn sales_by_cashier(&self, filter: &OrderFilter) -> impl Future<Output = Result<Vec<SalesLine>>> + Send {
        Journal::sales_by_cashier(self, filter)
    }

    /// Every order here is this counter's.
    async fn sales_by_counter(&self, filter: &OrderFilter) -> Result<Vec<SalesLine>> {
        let counter = self.counter();
        let mut by_currency = std::collections::BTreeMap::<String, (i64, i64)>::new();
        for (_, currency, n, amount) in Journal::sales_by_cashier(self, filter).await? {
            let e = by_currency.entry(currency).or_default();
            e.0 += n;
            e.1 = e.1.checked_add(amount).ok_or_else(|| {
                crate::error::Error::invalid("report.overflow", "the amounts of this period are too large to add up")
            })?;
        }
        Ok(by_currency
            .into_iter()
            .map(|(currency, (n, amount))| (Some(counter.clone()), currency, n, amount))
            .collect())
    }

    fn unsettled_ids(&self, filter: &OrderFilter) -> impl Future<Output = Result<Vec<String>>> + Send {
        Journal::unsettled_ids(self, filter)
    }

    fn tenders_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        cashier: Option<&str>,
    ) -> impl Future<Output = Result<Vec<(Tender, i64, i64)>>> + Send {
        Journal::tenders_between(self, from, to, cashier)
    }
}
