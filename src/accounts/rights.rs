//! Who may do what: the one table every shell asks and the core enforces.
//! Rights are narrow on purpose: signing in to sell grants no refund (a
//! complaint Square's users make of its clock-in passcode).

use serde::{Deserialize, Serialize};

/// A cashier's role.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Manager,
    Cashier,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Cashier => "cashier",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> crate::error::Result<Self> {
        match s {
            "owner" => Ok(Role::Owner),
            "manager" => Ok(Role::Manager),
            "cashier" => Ok(Role::Cashier),
            other => Err(crate::error::Error::invalid(
                "cashier.bad_role",
                format!("`{other}` is not a role: owner, manager or cashier"),
            )
            .with("value", other)),
        }
    }
}

/// What an action needs.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    /// Sell, print and reprint, search orders, follow tickets.
    Sell,
    /// Reveal the secrets of an order this cashier sold today.
    RevealOwnToday,
    /// Reveal any other order's secrets.
    RevealAny,
    /// Refund, cancel, cash in and out, close the till, reconcile.
    Manage,
    /// Settings, credentials, keys, offers and fees, gift-card choices,
    /// Internet+ offers, import, accounts, register archives.
    Administer,
}

impl Right {
    pub const ALL: [Right; 5] = [
        Right::Sell,
        Right::RevealOwnToday,
        Right::RevealAny,
        Right::Manage,
        Right::Administer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Right::Sell => "sell",
            Right::RevealOwnToday => "reveal_own_today",
            Right::RevealAny => "reveal_any",
            Right::Manage => "manage",
            Right::Administer => "administer",
        }
    }
}

/// The table: whether `role` holds `right`.
pub fn allowed(role: Role, right: Right) -> bool {
    use Right::*;
    match role {
        Role::Owner => true,
        Role::Manager => !matches!(right, Administer),
        Role::Cashier => matches!(right, Sell | RevealOwnToday),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_the_issue() {
        let row = |r: Right| [Role::Cashier, Role::Manager, Role::Owner].map(|role| allowed(role, r));
        assert_eq!(row(Right::Sell), [true, true, true]);
        assert_eq!(row(Right::RevealOwnToday), [true, true, true]);
        assert_eq!(row(Right::RevealAny), [false, true, true]);
        assert_eq!(row(Right::Manage), [false, true, true]);
        assert_eq!(row(Right::Administer), [false, false, true]);
    }
}
