//! A ticket's lifecycle as one transition table: the statuses and reasons of
//! the OpenAPI (2.0.0), the moves of the Interop'fibre group's workflow
//! (`status.drawio.svg` of before-interop/anomalieAdresse, whose colours say
//! who makes each move), and the business rules of the document: a
//! rejection only before `IN_PROGRESS`, one reclassification from simple to
//! complex, no move out of `CLOSED`, `CANCELED` or `REJECTED`.
//!
//! The client refuses a move the table does not allow before sending it;
//! the simulator answers 403 to the same moves.
//!
//! Where the sources differ: the document lets the shop cancel "at any
//! point"; the workflow has no arrow from `RESOLVED` to `CANCELED` (the shop
//! accepts or refuses a resolution instead). The workflow is followed: it is
//! what a server enforces.

use serde::{Deserialize, Serialize};

pub const ACKNOWLEDGED: &str = "ACKNOWLEDGED";
pub const IN_PROGRESS: &str = "IN_PROGRESS";
pub const PENDING: &str = "PENDING";
pub const RESOLVED: &str = "RESOLVED";
pub const CLOSED: &str = "CLOSED";
pub const REJECTED: &str = "REJECTED";
pub const CANCELED: &str = "CANCELED";

pub const STATUSES: &[&str] = &[ACKNOWLEDGED, IN_PROGRESS, PENDING, RESOLVED, CLOSED, REJECTED, CANCELED];

/// The rejection reasons (only from `ACKNOWLEDGED`).
pub const REJECTION_REASONS: &[&str] = &[
    "INVALID",
    "UNKNOWN_RESOURCE",
    "UNKNOWN_ZONE",
    "ALREADY_RESOLVED",
    "DUPLICATE",
    "OTHER",
];
/// The resolution reasons.
pub const RESOLUTION_REASONS: &[&str] = &["RESOLVED", "UNRESOLVABLE", "DELAY_ANSWER_EXPIRED"];
/// The closure reasons.
pub const CLOSURE_REASONS: &[&str] = &["RESOLUTION_ACCEPTED", "DELAY_VALIDATION_EXPIRED"];

/// Who makes a move: the shop (commercial operator) or the infrastructure operator.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Actor {
    Oc,
    Oi,
}

/// One allowed move.
#[derive(Debug, Clone, Copy)]
pub struct Move {
    pub from: &'static str,
    pub to: &'static str,
    pub by: Actor,
    /// The `statusChangeReason` values allowed (empty: none needed).
    pub reasons: &'static [&'static str],
}

const fn mv(from: &'static str, to: &'static str, by: Actor, reasons: &'static [&'static str]) -> Move {
    Move { from, to, by, reasons }
}

/// Every allowed move.
pub const MOVES: &[Move] = &[
    mv(ACKNOWLEDGED, REJECTED, Actor::Oi, REJECTION_REASONS),
    mv(ACKNOWLEDGED, IN_PROGRESS, Actor::Oi, &[]),
    mv(ACKNOWLEDGED, CANCELED, Actor::Oc, &["OC_CANCELATION"]),
    // Reclassification from simple to complex, once.
    mv(IN_PROGRESS, IN_PROGRESS, Actor::Oi, &["REQUALIFIED"]),
    mv(IN_PROGRESS, PENDING, Actor::Oi, &["WAITING_INFORMATION"]),
    mv(IN_PROGRESS, RESOLVED, Actor::Oi, &["RESOLVED", "UNRESOLVABLE"]),
    mv(IN_PROGRESS, CANCELED, Actor::Oc, &["OC_CANCELATION"]),
    mv(PENDING, RESOLVED, Actor::Oi, &["DELAY_ANSWER_EXPIRED"]),
    mv(PENDING, ACKNOWLEDGED, Actor::Oc, &["INFORMATION_PROVIDED"]),
    mv(PENDING, CANCELED, Actor::Oc, &["OC_CANCELATION"]),
    mv(RESOLVED, CLOSED, Actor::Oc, &["RESOLUTION_ACCEPTED"]),
    mv(RESOLVED, CLOSED, Actor::Oi, &["DELAY_VALIDATION_EXPIRED"]),
    mv(RESOLVED, ACKNOWLEDGED, Actor::Oc, &["RESOLUTION_REFUSED"]),
];

/// The shop's own actions, each one move.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShopAction {
    /// Cancel: the request is no longer needed.
    Cancel,
    /// Accept the resolution: closed.
    Accept,
    /// Refuse the resolution: back for another round.
    Refuse,
    /// Answer the operator's request for information.
    Answer,
}

impl ShopAction {
    pub const ALL: [ShopAction; 4] = [
        ShopAction::Cancel,
        ShopAction::Accept,
        ShopAction::Refuse,
        ShopAction::Answer,
    ];

    /// The status it moves to and the reason it sends.
    pub fn target(self) -> (&'static str, &'static str) {
        match self {
            ShopAction::Cancel => (CANCELED, "OC_CANCELATION"),
            ShopAction::Accept => (CLOSED, "RESOLUTION_ACCEPTED"),
            ShopAction::Refuse => (ACKNOWLEDGED, "RESOLUTION_REFUSED"),
            ShopAction::Answer => (ACKNOWLEDGED, "INFORMATION_PROVIDED"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ShopAction::Cancel => "cancel",
            ShopAction::Accept => "accept",
            ShopAction::Refuse => "refuse",
            ShopAction::Answer => "answer",
        }
    }
}

/// What a ticket's history says for the checks: its status, and whether it
/// was already reclassified.
pub struct State<'a> {
    pub status: &'a str,
    pub complexity: Option<&'a str>,
    pub requalified: bool,
}

/// Why a move is refused, in words for the cashier.
pub fn check(state: &State<'_>, to: &str, reason: Option<&str>, by: Actor) -> Result<(), String> {
    let from = state.status;
    if !STATUSES.contains(&to) {
        return Err(format!("`{to}` is not a ticket status"));
    }
    if [CLOSED, CANCELED, REJECTED].contains(&from) {
        return Err(format!("the ticket is {from}: no further change is allowed"));
    }
    let candidates: Vec<&Move> = MOVES.iter().filter(|m| m.from == from && m.to == to).collect();
    if candidates.is_empty() {
        return Err(match to {
            REJECTED => "a ticket can be rejected only before it is IN_PROGRESS".to_string(),
            CANCELED if from == RESOLVED => {
                "a resolved ticket cannot be cancelled: accept or refuse the resolution".to_string()
            }
            _ => format!("a ticket cannot go from {from} to {to}"),
        });
    }
    let Some(m) = candidates.iter().find(|m| m.by == by) else {
        let who = match candidates[0].by {
            Actor::Oc => "the shop",
            Actor::Oi => "the infrastructure operator",
        };
        return Err(format!("only {who} moves a ticket from {from} to {to}"));
    };
    match reason {
        Some(r) if !m.reasons.is_empty() && !m.reasons.contains(&r) => {
            return Err(format!(
                "`{r}` is not a reason for {from} → {to} (expected {})",
                m.reasons.join(", ")
            ))
        }
        None if !m.reasons.is_empty() => {
            return Err(format!("{from} → {to} needs a reason: {}", m.reasons.join(", ")));
        }
        _ => {}
    }
    if from == IN_PROGRESS && to == IN_PROGRESS {
        if state.requalified {
            return Err("a ticket is reclassified only once".into());
        }
        if state.complexity != Some("SIMPLE") {
            return Err("only a simple case is reclassified (to complex)".into());
        }
    }
    Ok(())
}

/// The shop's actions the ticket allows now.
pub fn shop_actions(state: &State<'_>) -> Vec<ShopAction> {
    ShopAction::ALL
        .into_iter()
        .filter(|a| {
            let (to, reason) = a.target();
            check(state, to, Some(reason), Actor::Oc).is_ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(status: &str) -> State<'_> {
        State {
            status,
            complexity: Some("SIMPLE"),
            requalified: false,
        }
    }

    #[test]
    fn every_allowed_move_passes_and_every_other_is_refused() {
        for from in STATUSES {
            for to in STATUSES {
                for by in [Actor::Oc, Actor::Oi] {
                    let allowed: Vec<&Move> = MOVES
                        .iter()
                        .filter(|m| m.from == *from && m.to == *to && m.by == by)
                        .collect();
                    let reason = allowed.first().and_then(|m| m.reasons.first().copied());
                    let r = check(&at(from), to, reason, by);
                    assert_eq!(r.is_ok(), !allowed.is_empty(), "{from} → {to} by {by:?}: {r:?}");
                }
            }
        }
    }

    #[test]
    fn the_rules_say_why() {
        assert!(check(&at(IN_PROGRESS), REJECTED, Some("INVALID"), Actor::Oi)
            .unwrap_err()
            .contains("only before"));
        assert!(check(&at(CLOSED), ACKNOWLEDGED, None, Actor::Oc)
            .unwrap_err()
            .contains("no further change"));
        assert!(check(&at(RESOLVED), CANCELED, Some("OC_CANCELATION"), Actor::Oc)
            .unwrap_err()
            .contains("accept or refuse"));
        assert!(check(&at(ACKNOWLEDGED), IN_PROGRESS, None, Actor::Oc)
            .unwrap_err()
            .contains("only the infrastructure operator"));
        assert!(check(&at(ACKNOWLEDGED), REJECTED, Some("RESOLVED"), Actor::Oi)
            .unwrap_err()
            .contains("not a reason"));
        assert!(check(&at(ACKNOWLEDGED), REJECTED, None, Actor::Oi).is_err());
        for reason in REJECTION_REASONS {
            assert!(check(&at(ACKNOWLEDGED), REJECTED, Some(reason), Actor::Oi).is_ok());
        }
        let again = State {
            status: IN_PROGRESS,
            complexity: Some("COMPLEX"),
            requalified: true,
        };
        assert!(check(&again, IN_PROGRESS, Some("REQUALIFIED"), Actor::Oi)
            .unwrap_err()
            .contains("once"));
    }

    #[test]
    fn the_shops_actions_by_status() {
        use ShopAction::*;
        assert_eq!(shop_actions(&at(ACKNOWLEDGED)), vec![Cancel]);
        assert_eq!(shop_actions(&at(IN_PROGRESS)), vec![Cancel]);
        assert_eq!(shop_actions(&at(PENDING)), vec![Cancel, Answer]);
        assert_eq!(shop_actions(&at(RESOLVED)), vec![Accept, Refuse]);
        for end in [CLOSED, CANCELED, REJECTED] {
            assert!(shop_actions(&at(end)).is_empty());
        }
    }
}
