//! Anomalie Adresse's wire types, with the OpenAPI's field names, read
//! leniently: the document's page (version 1.0) and the OpenAPI (2.0.0)
//! differ, and both are read.
//! - One ticket arrives as an object (OpenAPI) or a one-element list (the page).
//! - The status history is `statusChange` (OpenAPI) or `statusChanges`
//!   (the page), its reason `changeReason` or `statusChangeReason`.
//! - `relatedEntity` is a list, or one object in the base schema.
//! - Any field may be missing or null; nothing unknown is refused, and the
//!   whole ticket is kept as the operator sent it (`raw`).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A ticket as Comptoir reads it.
#[derive(ts_rs::TS, Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Ticket {
    #[serde(deserialize_with = "text")]
    pub id: Option<String>,
    #[serde(rename = "@type", deserialize_with = "text")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "text")]
    pub status: Option<String>,
    #[serde(rename = "statusChangeReason", deserialize_with = "text")]
    pub status_change_reason: Option<String>,
    #[serde(rename = "statusChangeDetails", deserialize_with = "text")]
    pub status_change_details: Option<String>,
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(deserialize_with = "text")]
    pub priority: Option<String>,
    #[serde(deserialize_with = "text")]
    pub complexity: Option<String>,
    #[serde(deserialize_with = "text")]
    pub code_oi: Option<String>,
    #[serde(deserialize_with = "text")]
    pub code_oc: Option<String>,
    #[serde(deserialize_with = "text")]
    pub siret: Option<String>,
    #[serde(deserialize_with = "text")]
    pub siren: Option<String>,
    #[serde(rename = "ticketType", deserialize_with = "text")]
    pub ticket_type: Option<String>,
    #[serde(rename = "externalId", deserialize_with = "text")]
    pub external_id: Option<String>,
    #[serde(rename = "creationDate", deserialize_with = "text")]
    pub creation_date: Option<String>,
    #[serde(rename = "lastUpdateDate", deserialize_with = "text")]
    pub last_update_date: Option<String>,
    #[serde(rename = "expectedResolutionDate", deserialize_with = "text")]
    pub expected_resolution_date: Option<String>,
    #[serde(rename = "resolutionDate", deserialize_with = "text")]
    pub resolution_date: Option<String>,
    #[serde(rename = "@version", deserialize_with = "text")]
    pub version: Option<String>,
    #[serde(rename = "statusChange", alias = "statusChanges", deserialize_with = "list")]
    pub status_change: Vec<StatusChange>,
    #[serde(rename = "relatedEntity", deserialize_with = "list")]
    pub related_entity: Vec<RelatedEntity>,
    /// The `building.*` corrections of a modification, as sent.
    #[ts(type = "Record<string, unknown> | null")]
    pub issues: Option<Value>,
    /// The building of a creation or a new building, as sent.
    #[ts(type = "Record<string, unknown> | null")]
    pub building: Option<Value>,
}

#[derive(ts_rs::TS, Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct StatusChange {
    #[serde(deserialize_with = "text")]
    pub status: Option<String>,
    #[serde(rename = "changeDate", deserialize_with = "text")]
    pub change_date: Option<String>,
    #[serde(rename = "changeReason", alias = "statusChangeReason", deserialize_with = "text")]
    pub change_reason: Option<String>,
    #[serde(rename = "changeDetails", alias = "statusChangeDetails", deserialize_with = "text")]
    pub change_details: Option<String>,
    #[serde(deserialize_with = "text")]
    pub author: Option<String>,
}

#[derive(ts_rs::TS, Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct RelatedEntity {
    #[serde(deserialize_with = "text")]
    pub id: Option<String>,
    #[serde(rename = "@referredType", deserialize_with = "text")]
    pub referred_type: Option<String>,
    #[serde(deserialize_with = "text")]
    pub role: Option<String>,
}

#[derive(ts_rs::TS, Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Note {
    #[serde(deserialize_with = "text")]
    pub id: Option<String>,
    #[serde(deserialize_with = "text")]
    pub text: Option<String>,
    #[serde(deserialize_with = "text")]
    pub date: Option<String>,
    #[serde(deserialize_with = "text")]
    pub author: Option<String>,
}

#[derive(ts_rs::TS, Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Attachment {
    #[serde(deserialize_with = "text")]
    pub id: Option<String>,
    #[serde(deserialize_with = "text")]
    pub name: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(rename = "mimeType", deserialize_with = "text")]
    pub mime_type: Option<String>,
    #[ts(type = "number | null")]
    pub size: Option<i64>,
    #[serde(rename = "creationDate", deserialize_with = "text")]
    pub creation_date: Option<String>,
}

/// One event of the feed (a CloudEvent): `subject` is the ticket's id,
/// `data` the ticket, note or attachment as it is now.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct Event {
    #[serde(deserialize_with = "text")]
    pub id: Option<String>,
    #[serde(rename = "type", deserialize_with = "text")]
    pub kind: Option<String>,
    #[serde(deserialize_with = "text")]
    pub time: Option<String>,
    #[serde(deserialize_with = "text")]
    pub subject: Option<String>,
    pub data: Value,
}

pub const EVENT_UPDATE: &str = "fr.interop.anomalieadresse.update";
pub const EVENT_NOTE: &str = "fr.interop.anomalieadresse.note.create";
pub const EVENT_ATTACHMENT: &str = "fr.interop.anomalieadresse.attachment.create";
pub const EVENT_ATTACHMENT_UPDATE: &str = "fr.interop.anomalieadresse.attachment.update";

/// The OpenAPI's error `{code, reason, message, status, referenceError}`,
/// and the page's 401/400 `{code: 42, message, description}` (a number code).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ApiError {
    #[serde(deserialize_with = "text")]
    pub code: Option<String>,
    #[serde(deserialize_with = "text")]
    pub reason: Option<String>,
    #[serde(deserialize_with = "text")]
    pub message: Option<String>,
    #[serde(deserialize_with = "text")]
    pub description: Option<String>,
    #[serde(deserialize_with = "text")]
    pub status: Option<String>,
    #[serde(rename = "referenceError", deserialize_with = "text")]
    pub reference_error: Option<String>,
}

impl Ticket {
    /// A ticket from a GET answer: an object, or the page's one-element list.
    pub fn from_answer(v: &Value) -> Option<(Ticket, Value)> {
        let one = match v {
            Value::Array(items) => items.first()?,
            other => other,
        };
        let ticket = serde_json::from_value(one.clone()).ok()?;
        Some((ticket, one.clone()))
    }

    /// The building identifiers (`IMB/...`).
    pub fn buildings(&self) -> Vec<String> {
        self.related_entity.iter().filter_map(|r| r.id.clone()).collect()
    }

    /// Whether the status history shows the reclassification already made.
    pub fn requalified(&self) -> bool {
        self.status_change
            .iter()
            .any(|c| c.change_reason.as_deref() == Some("REQUALIFIED"))
            || self.status_change_reason.as_deref() == Some("REQUALIFIED")
    }
}

/// A string, or a number or boolean written as one; null and objects are none.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// A list, one object as a list of one, or null as empty; an item that does
/// not read is skipped rather than failing the whole answer.
fn list<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|i| serde_json::from_value(i).ok())
            .collect(),
        o @ Value::Object(_) => serde_json::from_value(o).ok().into_iter().collect(),
        _ => vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_pages_example_reads() {
        let page = json!([{
            "@type": "AnomalieAdresse.modification", "id": "22e61758-924d-4ad7-b259-e4fcb1ea8808",
            "status": "ACKNOWLEDGED", "statusAuthor": null, "statusChangeReason": null, "severity": null,
            "acknowledgedDuration": 0, "code_oi": "ARTD", "code_oc": "ARTD", "ticketType": "OC_REQUEST",
            "statusChanges": [{"status": "ACKNOWLEDGED", "changeDate": "2025-01-14T13:17:58.078+00:00", "@type": "StatusChange"}],
            "relatedEntity": [{"id": "IMB/09001/X/000E", "@referredType": "Building"}, {"id": "IMB/09001/X/000Q"}],
            "relatedParty": [], "@version": "a6b22c4a", "zone": null,
            "issues": {"building.name": null, "building.pm.id": {"description": "toto", "value": "test"}}
        }]);
        let (t, raw) = Ticket::from_answer(&page).unwrap();
        assert_eq!(t.id.as_deref(), Some("22e61758-924d-4ad7-b259-e4fcb1ea8808"));
        assert_eq!(t.status_change[0].status.as_deref(), Some("ACKNOWLEDGED"));
        assert_eq!(t.buildings(), vec!["IMB/09001/X/000E", "IMB/09001/X/000Q"]);
        assert_eq!(t.version.as_deref(), Some("a6b22c4a"));
        assert_eq!(raw["acknowledgedDuration"], 0);
    }

    #[test]
    fn the_openapis_shapes_read() {
        let v = json!({"id": "x", "status": "IN_PROGRESS", "priority": 3,
            "statusChange": [{"status": "IN_PROGRESS", "changeDate": "2026-01-01T00:00:00Z", "changeReason": "REQUALIFIED"}],
            "relatedEntity": {"id": "IMB/1"}});
        let (t, _) = Ticket::from_answer(&v).unwrap();
        assert!(t.requalified());
        assert_eq!(t.priority.as_deref(), Some("3"));
        assert_eq!(t.buildings(), vec!["IMB/1"]);
        let e: ApiError = serde_json::from_value(json!({"code": 42, "message": "Expired credentials"})).unwrap();
        assert_eq!(e.code.as_deref(), Some("42"));
    }
}
