//! The order lifecycle: one table of which status may follow which.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Written before the provider is asked; the provider may not know it yet.
    Pending,
    /// The provider accepted it and is still working on it.
    Processing,
    Delivered,
    /// The provider said it did not happen.
    Failed,
    /// We could not learn the outcome; reconciliation settles it.
    Unknown,
    Refunded,
    Cancelled,
}

use OrderStatus::*;

impl OrderStatus {
    pub const ALL: [OrderStatus; 7] = [Pending, Processing, Delivered, Failed, Unknown, Refunded, Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Pending => "pending",
            Processing => "processing",
            Delivered => "delivered",
            Failed => "failed",
            Unknown => "unknown",
            Refunded => "refunded",
            Cancelled => "cancelled",
        }
    }

    /// `pending → processing → delivered | failed | unknown → refunded/cancelled`.
    /// A `failed` order is final: only a provider's word makes an order failed,
    /// so it never comes back. `unknown` may become anything the provider says.
    pub fn can_become(self, next: OrderStatus) -> bool {
        matches!(
            (self, next),
            (Pending, Processing | Delivered | Failed | Unknown | Cancelled)
                | (Processing, Delivered | Failed | Unknown | Cancelled)
                | (Unknown, Processing | Delivered | Failed | Cancelled)
                | (Delivered, Refunded | Cancelled)
        )
    }

    /// Orders whose outcome reconciliation must still settle.
    pub fn is_unsettled(self) -> bool {
        matches!(self, Pending | Unknown | Processing)
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderStatus {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        OrderStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| Error::invalid("order.bad_status", format!("unknown order status `{s}`")).with("value", s))
    }
}

#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKind {
    Esim,
    Topup,
    Giftcard,
    Payment,
    Subscription,
    Ticket,
}

impl OrderKind {
    pub const ALL: [OrderKind; 6] = [
        OrderKind::Esim,
        OrderKind::Topup,
        OrderKind::Giftcard,
        OrderKind::Payment,
        OrderKind::Subscription,
        OrderKind::Ticket,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderKind::Esim => "esim",
            OrderKind::Topup => "topup",
            OrderKind::Giftcard => "giftcard",
            OrderKind::Payment => "payment",
            OrderKind::Subscription => "subscription",
            OrderKind::Ticket => "ticket",
        }
    }
}

impl FromStr for OrderKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        OrderKind::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| Error::invalid("order.bad_kind", format!("unknown order kind `{s}`")).with("value", s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_allows_the_documented_paths() {
        assert!(Pending.can_become(Processing));
        assert!(Processing.can_become(Delivered));
        assert!(Pending.can_become(Unknown));
        assert!(Unknown.can_become(Delivered));
        assert!(Delivered.can_become(Refunded));
        assert!(Delivered.can_become(Cancelled));
    }

    #[test]
    fn lifecycle_refuses_going_back() {
        assert!(!Delivered.can_become(Pending));
        assert!(!Failed.can_become(Delivered));
        assert!(!Refunded.can_become(Delivered));
        assert!(!Unknown.can_become(Pending));
        for s in OrderStatus::ALL {
            assert!(!s.can_become(s), "{s} -> {s}");
        }
    }

    #[test]
    fn parses_every_status_back() {
        for s in OrderStatus::ALL {
            assert_eq!(s.as_str().parse::<OrderStatus>().unwrap(), s);
        }
        assert_eq!("done".parse::<OrderStatus>().unwrap_err().code, "order.bad_status");
    }
}
