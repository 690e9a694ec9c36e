//! Orders' rowids in time order. An order's rowid is its millisecond since
//! 1970 (UTC) shifted left by 20 bits, plus its rank among orders of that
//! millisecond (migration `20261201000004_orders_time_rowid.sql` numbered
//! the orders already written the same way). The full-text index shares the
//! rowid, so a search's newest or oldest matches are read from it in order
//! and a first page costs 50 matches, not all of them.
//!
//! 20 bits leave a million orders per millisecond, and 43 bits of
//! milliseconds reach the year 2248; a date outside is refused.

use crate::error::{Error, Result};
use chrono::DateTime;

const RANK_BITS: u32 = 20;

/// The SQL that gives a new order its rowid, from the columns `b` (its
/// `base`) and `r` (its rank among the orders of that millisecond written
/// by the same statement): the next free rank of its millisecond, found by
/// the INSERT itself so that two writers never pick the same one.
pub const NEXT_ROWID: &str =
    "COALESCE((SELECT MAX(rowid) FROM orders WHERE rowid >= b AND rowid < b + 1048576) + 1, b) + r";

/// The first rowid of the millisecond `created_at` (RFC 3339) names.
pub fn base(created_at: &str) -> Result<i64> {
    DateTime::parse_from_rfc3339(created_at)
        .ok()
        .map(|t| t.timestamp_millis())
        .filter(|ms| ms.unsigned_abs() < 1 << (63 - RANK_BITS))
        .map(|ms| ms << RANK_BITS)
        .ok_or_else(|| {
            Error::invalid(
                "order.bad_date",
                format!("`{created_at}` is not a date and time from the year 1692 to 2248"),
            )
            .with("value", created_at)
        })
}

/// The millisecond a rowid stands for.
#[cfg(test)]
pub fn millis(rowid: i64) -> i64 {
    rowid >> RANK_BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_is_the_millisecond_shifted_and_keeps_time_order() {
        let a = base("2026-12-01T10:00:00.000Z").unwrap();
        let b = base("2026-12-01T10:00:00.001Z").unwrap();
        let c = base("2026-12-01T11:00:00.001+01:00").unwrap();
        assert_eq!(millis(a), 1_796_119_200_000);
        assert_eq!(b - a, 1 << 20);
        assert_eq!(c, b, "the same instant in another offset");
        assert!(base("1999-01-01T00:00:00Z").unwrap() < a);
        assert!(
            base("1960-01-01T00:00:00Z").unwrap() < 0,
            "before 1970 is below zero, still in order"
        );
    }

    #[test]
    fn a_date_out_of_range_or_not_a_date_is_refused() {
        for bad in [
            "",
            "yesterday",
            "2026-12-01",
            "2300-01-01T00:00:00Z",
            "1600-01-01T00:00:00Z",
        ] {
            assert_eq!(base(bad).unwrap_err().code, "order.bad_date", "{bad}");
        }
        assert!(base("2247-12-31T23:59:59.999Z").is_ok());
    }
}
