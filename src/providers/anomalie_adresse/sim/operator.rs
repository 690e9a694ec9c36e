//! The simulated infrastructure operator (OI): it qualifies, reclassifies,
//! asks for information, rejects, resolves and closes tickets as time
//! passes, each move checked against the lifecycle table and written as an
//! event in the feed. Which course a ticket takes is its scenario: chosen
//! from its id at creation (so training sees every course), or set by a
//! test (`POST /anomalie-adresse/_sim/scenario`).
//!
//! Each step comes two minutes (of simulated time) after the previous one;
//! a resolution left unanswered is closed after seven days
//! (`DELAY_VALIDATION_EXPIRED`), a request for information unanswered is
//! resolved after seven days (`DELAY_ANSWER_EXPIRED`).

use super::{event, World};
use crate::providers::anomalie_adresse::lifecycle::{self as lc, Actor};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub const STEP_MINUTES: i64 = 2;
pub const ANSWER_DAYS: i64 = 7;
pub const VALIDATION_DAYS: i64 = 7;

/// The course the operator gives a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// Qualified simple, resolved.
    Simple,
    /// Qualified simple, reclassified complex, resolved.
    Complex,
    /// Qualified, then the operator asks the shop for information.
    Pending,
    /// Rejected (the zone is not the operator's).
    Rejected,
    /// Qualified, then found unresolvable.
    Unresolvable,
    /// Nothing moves by itself (tests that drive every move).
    Manual,
}

impl Scenario {
    pub fn from_id(id: &str) -> Scenario {
        let all = [
            Scenario::Simple,
            Scenario::Complex,
            Scenario::Pending,
            Scenario::Rejected,
            Scenario::Unresolvable,
        ];
        let n = id
            .bytes()
            .fold(0usize, |a, b| a.wrapping_mul(31).wrapping_add(b as usize));
        all[n % all.len()]
    }
}

/// One move by the operator, as the control endpoint or a scenario asks.
#[derive(Debug, Clone, Deserialize)]
pub struct OiMove {
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub complexity: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
}

/// Applies the operator's move to ticket `i`, or says why the lifecycle
/// refuses it.
pub fn apply(w: &mut World, i: usize, m: &OiMove, at: DateTime<Utc>) -> Result<(), String> {
    let t = &w.tickets[i];
    let state = lc::State {
        status: t.status(),
        complexity: t.raw["complexity"].as_str(),
        requalified: t.requalified(),
    };
    lc::check(&state, &m.status, m.reason.as_deref(), Actor::Oi)?;
    let bulk = t.raw["relatedEntity"].as_array().is_some_and(|r| r.len() >= 2);
    let t = &mut w.tickets[i];
    if m.status == lc::IN_PROGRESS {
        let complexity = m.complexity.clone().unwrap_or_else(|| {
            if bulk {
                "MASSE".into()
            } else if m.reason.is_some() {
                "COMPLEX".into()
            } else {
                "SIMPLE".into()
            }
        });
        let days = match complexity.as_str() {
            "SIMPLE" => 7,
            "COMPLEX" => 28,
            _ => 61,
        };
        t.raw["complexity"] = json!(complexity);
        t.raw["zone"] = json!("ZMD");
        t.raw["expectedResolutionDate"] = json!(super::stamp(at + Duration::days(days)));
    }
    if m.status == lc::RESOLVED {
        t.raw["resolutionDate"] = json!(super::stamp(at));
    }
    t.change_status(&m.status, m.reason.as_deref(), m.details.as_deref(), "OI", at);
    let data = t.raw.clone();
    let subject = t.id().to_string();
    w.events.push(event(super::wire::EVENT_UPDATE, &subject, data, at));
    if m.status == lc::PENDING {
        super::push_note(w, i, ASK_FOR_INFORMATION, "OI", at);
    }
    Ok(())
}

/// What the operator does by itself once time has passed.
pub fn settle(w: &mut World) {
    let now = super::now(w);
    for i in 0..w.tickets.len() {
        // Several steps may be due at once (time moved on by days).
        for _ in 0..6 {
            let Some((m, at)) = next_move(&w.tickets[i], now) else {
                break;
            };
            if apply(w, i, &m, at).is_err() {
                break;
            }
        }
    }
}

fn mv(status: &str, reason: Option<&str>, complexity: Option<&str>) -> OiMove {
    OiMove {
        status: status.into(),
        reason: reason.map(str::to_string),
        complexity: complexity.map(str::to_string),
        details: None,
    }
}

/// The scenario's next move and when it is due, if it is due by `now`.
fn next_move(t: &super::SimTicket, now: DateTime<Utc>) -> Option<(OiMove, DateTime<Utc>)> {
    let since = t.last_change();
    let step = since + Duration::minutes(STEP_MINUTES);
    let bulk = t.raw["relatedEntity"].as_array().is_some_and(|r| r.len() >= 2);
    let first = if bulk { "MASSE" } else { "SIMPLE" };
    let (m, due) = match (t.status(), t.scenario) {
        (_, Scenario::Manual) => return None,
        (lc::ACKNOWLEDGED, Scenario::Rejected) => (mv(lc::REJECTED, Some("UNKNOWN_ZONE"), None), step),
        (lc::ACKNOWLEDGED, _) => (mv(lc::IN_PROGRESS, None, Some(first)), step),
        (lc::IN_PROGRESS, Scenario::Complex) if !t.requalified() && !bulk => {
            (mv(lc::IN_PROGRESS, Some("REQUALIFIED"), Some("COMPLEX")), step)
        }
        (lc::IN_PROGRESS, Scenario::Pending) if !t.was(lc::PENDING) => {
            (mv(lc::PENDING, Some("WAITING_INFORMATION"), None), step)
        }
        (lc::IN_PROGRESS, Scenario::Unresolvable) => (mv(lc::RESOLVED, Some("UNRESOLVABLE"), None), step),
        (lc::IN_PROGRESS, _) => (mv(lc::RESOLVED, Some("RESOLVED"), None), step),
        (lc::PENDING, _) => (
            mv(lc::RESOLVED, Some("DELAY_ANSWER_EXPIRED"), None),
            since + Duration::days(ANSWER_DAYS),
        ),
        (lc::RESOLVED, _) => (
            mv(lc::CLOSED, Some("DELAY_VALIDATION_EXPIRED"), None),
            since + Duration::days(VALIDATION_DAYS),
        ),
        _ => return None,
    };
    (due <= now).then_some((m, due))
}

/// The note the operator writes when it asks for information.
pub const ASK_FOR_INFORMATION: &str = "Merci de joindre une photo de la plaque de rue et le plan du bâtiment.";
