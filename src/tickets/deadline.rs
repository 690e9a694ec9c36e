//! The regulatory deadlines of ARCEP decision 2020-1432 (section 2.3.1),
//! computed from a ticket's status history: from the moment the operator
//! qualified it (`IN_PROGRESS`), one week for a simple case, at most three
//! more weeks for a complex one (four in all), two months for a bulk report.
//!
//! Choices where the decision is silent, kept here: the clock starts at
//! the latest qualification (a refused resolution sends the ticket back
//! for another round, which has its own week); the time the operator spent
//! waiting for the shop's answer (`PENDING`) is not counted against it; a
//! ticket is "due soon" in the last 48 hours (the last week of a bulk
//! report), and the deadline is met once it is resolved, closed, cancelled
//! or rejected.

use crate::providers::anomalie_adresse::lifecycle as lc;
use crate::providers::anomalie_adresse::model::Ticket;
use chrono::{DateTime, Duration, Months, Utc};
use serde::Serialize;

#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct Deadline {
    /// `simple`, `complex` or `bulk`.
    pub case: String,
    /// When the clock started (the qualification), RFC 3339.
    pub starts: String,
    /// When the ticket is due, RFC 3339.
    pub due: String,
    /// `on_time`, `due_soon`, `overdue` or `met`.
    pub state: String,
}

fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc))
}

/// The deadline in force, if the ticket was qualified.
pub fn of(ticket: &Ticket, now: DateTime<Utc>) -> Option<Deadline> {
    let history: Vec<(&str, DateTime<Utc>)> = ticket
        .status_change
        .iter()
        .filter_map(|c| Some((c.status.as_deref()?, parse(c.change_date.as_deref()?)?)))
        .collect();
    // The latest qualification: an IN_PROGRESS entered from another status.
    let start_at = (0..history.len())
        .rev()
        .find(|&i| history[i].0 == lc::IN_PROGRESS && (i == 0 || history[i - 1].0 != lc::IN_PROGRESS))?;
    let start = history[start_at].1;
    let bulk = ticket.complexity.as_deref() == Some("MASSE") || ticket.related_entity.len() >= 2;
    let complex = ticket.complexity.as_deref() == Some("COMPLEX");
    let case = if bulk {
        "bulk"
    } else if complex {
        "complex"
    } else {
        "simple"
    };
    let mut due = match case {
        "bulk" => start.checked_add_months(Months::new(2))?,
        "complex" => start + Duration::weeks(4),
        _ => start + Duration::weeks(1),
    };
    // Pending time since the start is the shop's, not the operator's.
    let status = ticket.status.as_deref().unwrap_or("");
    for i in start_at..history.len() {
        if history[i].0 == lc::PENDING {
            let end = history.get(i + 1).map_or(now, |h| h.1);
            due += end - history[i].1;
        }
    }
    let done = [lc::RESOLVED, lc::CLOSED, lc::CANCELED, lc::REJECTED].contains(&status);
    let soon = if bulk { Duration::weeks(1) } else { Duration::hours(48) };
    let state = match () {
        _ if done => "met",
        _ if now > due => "overdue",
        _ if due - now <= soon => "due_soon",
        _ => "on_time",
    };
    Some(Deadline {
        case: case.into(),
        starts: start.to_rfc3339(),
        due: due.to_rfc3339(),
        state: state.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::anomalie_adresse::model::{RelatedEntity, StatusChange};

    fn at(day: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-01T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + Duration::days(day)
    }

    fn ticket(moves: &[(&str, i64)], complexity: &str) -> Ticket {
        Ticket {
            status: moves.last().map(|m| m.0.to_string()),
            complexity: Some(complexity.into()),
            status_change: moves
                .iter()
                .map(|(s, d)| StatusChange {
                    status: Some(s.to_string()),
                    change_date: Some(at(*d).to_rfc3339()),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn a_week_for_a_simple_case_four_for_a_complex_one_two_months_in_bulk() {
        let simple = ticket(&[("ACKNOWLEDGED", 0), ("IN_PROGRESS", 1)], "SIMPLE");
        let d = of(&simple, at(2)).unwrap();
        assert_eq!(
            (d.case.as_str(), d.due.as_str(), d.state.as_str()),
            ("simple", at(8).to_rfc3339().as_str(), "on_time")
        );
        assert_eq!(of(&simple, at(7)).unwrap().state, "due_soon");
        assert_eq!(of(&simple, at(9)).unwrap().state, "overdue");
        let complex = ticket(
            &[("ACKNOWLEDGED", 0), ("IN_PROGRESS", 1), ("IN_PROGRESS", 2)],
            "COMPLEX",
        );
        assert_eq!(of(&complex, at(9)).unwrap().due, at(29).to_rfc3339());
        let mut bulk = ticket(&[("ACKNOWLEDGED", 0), ("IN_PROGRESS", 0)], "MASSE");
        bulk.related_entity = vec![RelatedEntity::default(), RelatedEntity::default()];
        assert_eq!(of(&bulk, at(1)).unwrap().due, "2027-01-01T09:00:00+00:00");
    }

    #[test]
    fn pending_time_is_added_and_a_new_round_restarts_the_clock() {
        let waited = ticket(
            &[
                ("ACKNOWLEDGED", 0),
                ("IN_PROGRESS", 1),
                ("PENDING", 2),
                ("ACKNOWLEDGED", 5),
                ("IN_PROGRESS", 5),
            ],
            "SIMPLE",
        );
        // The latest qualification (day 5) starts a new week.
        assert_eq!(of(&waited, at(6)).unwrap().due, at(12).to_rfc3339());
        let pending = ticket(&[("ACKNOWLEDGED", 0), ("IN_PROGRESS", 1), ("PENDING", 3)], "SIMPLE");
        assert_eq!(of(&pending, at(10)).unwrap().due, at(15).to_rfc3339());
        let resolved = ticket(&[("ACKNOWLEDGED", 0), ("IN_PROGRESS", 1), ("RESOLVED", 20)], "SIMPLE");
        assert_eq!(of(&resolved, at(30)).unwrap().state, "met");
        assert!(of(&ticket(&[("ACKNOWLEDGED", 0)], "SIMPLE"), at(1)).is_none());
    }
}
