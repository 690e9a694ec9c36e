//! The document's rules for a new ticket, checked before anything is sent,
//! and its address fields as one table.
//!
//! A ticket is the OpenAPI's `AnomalieAdresse` body, one of four `@type`s:
//! - `AnomalieAdresse.creation`: a missing address. Its `building.address`
//!   carries at least one identification method of the document (the Rivoli
//!   quadruplet, the building address code, the BAN code, or the textual
//!   address), and the building's `type`, `newConstruction` and
//!   `geographicLocation` that the OpenAPI requires.
//! - `AnomalieAdresse.newBuilding`: one more building at a known address
//!   (one `relatedEntity`, the building's name).
//! - `AnomalieAdresse.modification`: wrong fields of known buildings: the
//!   building identifiers in `relatedEntity` and the `issues` table. One
//!   building (an individual report) gives the target value of each field;
//!   two or more (a bulk report) give a correction table whose key is
//!   mandatory and value and description optional.
//! - `AnomalieAdresse.nbLogements`: one building's number of housings.

use crate::error::{Error, Result};
use serde_json::{Map, Value};

/// The document's address fields (the IPE file's names), the `issues` key
/// that corrects each, and where a creation carries it under `building`.
pub struct AddressField {
    pub ipe: &'static str,
    pub issue: &'static str,
    /// The path under `building` in a creation.
    pub building_path: &'static str,
    /// In French, as the form labels it after the IPE name.
    pub label_fr: &'static str,
    pub label_en: &'static str,
}

const fn field(
    ipe: &'static str,
    issue: &'static str,
    building_path: &'static str,
    label_fr: &'static str,
    label_en: &'static str,
) -> AddressField {
    AddressField {
        ipe,
        issue,
        building_path,
        label_fr,
        label_en,
    }
}

/// The ten address fields of the document, in its order, then the BAN code.
pub const ADDRESS_FIELDS: &[AddressField] = &[
    field(
        "CodeVoieRivoliImmeuble",
        "building.address.code_rivoli",
        "address.code_rivoli",
        "Code Rivoli de la voie",
        "Street's Rivoli code",
    ),
    field(
        "CodeInseeImmeuble",
        "building.address.code_insee",
        "address.code_insee",
        "Code INSEE de la commune",
        "Town's INSEE code",
    ),
    field(
        "CodePostalImmeuble",
        "building.address.postcode",
        "address.postcode",
        "Code postal",
        "Postcode",
    ),
    field(
        "CommuneImmeuble",
        "building.address.city",
        "address.city",
        "Commune",
        "Town",
    ),
    field(
        "CodeAdresseImmeuble",
        "building.address.code_hexacle",
        "address.code_hexacle",
        "Code adresse (Hexaclé)",
        "Address code (Hexaclé)",
    ),
    field(
        "TypeVoieImmeuble",
        "building.address.streetType",
        "address.streetType",
        "Type de voie",
        "Street type",
    ),
    field(
        "NomVoieImmeuble",
        "building.address.streetName",
        "address.streetName",
        "Nom de la voie",
        "Street name",
    ),
    field(
        "NumeroVoieImmeuble",
        "building.address.streetNr",
        "address.streetNr",
        "Numéro dans la voie",
        "Street number",
    ),
    field(
        "ComplementNumeroVoieImmeuble",
        "building.address.streetNrSuffix",
        "address.streetNrSuffix",
        "Complément du numéro (bis, ter)",
        "Number suffix (bis, ter)",
    ),
    field("BatimentImmeuble", "building.name", "name", "Bâtiment", "Building"),
    field(
        "CodeBAN",
        "building.address.code_ban",
        "address.code_ban",
        "Code BAN",
        "BAN code",
    ),
];

/// Every key the `issues` table of a modification may hold (the OpenAPI's).
pub const ISSUE_KEYS: &[&str] = &[
    "building.geographicLocations",
    "building.name",
    "building.address.city",
    "building.address.postcode",
    "building.address.streetName",
    "building.address.streetNr",
    "building.address.streetNrSuffix",
    "building.address.streetType",
    "building.address.code_insee",
    "building.address.code_hexacle",
    "building.address.code_hexacle_voie",
    "building.address.code_rivoli",
    "building.address.code_ban",
    "building.pm.id",
];

pub const CREATION: &str = "AnomalieAdresse.creation";
pub const NEW_BUILDING: &str = "AnomalieAdresse.newBuilding";
pub const MODIFICATION: &str = "AnomalieAdresse.modification";
pub const NB_LOGEMENTS: &str = "AnomalieAdresse.nbLogements";
pub const TYPES: &[&str] = &[CREATION, NEW_BUILDING, MODIFICATION, NB_LOGEMENTS];

/// The identification methods of a creation, each the address fields it needs.
pub const IDENTIFICATION_METHODS: &[(&str, &[&str])] = &[
    ("rivoli", &["code_rivoli", "code_insee", "streetNr"]),
    ("address_code", &["code_hexacle"]),
    ("ban", &["code_ban"]),
    ("textual", &["postcode", "city", "streetType", "streetName", "streetNr"]),
];

/// Fields the infrastructure operator sets; a new ticket cannot carry them.
const READ_ONLY: &[&str] = &[
    "id",
    "status",
    "statusChanges",
    "statusChangeReason",
    "resolutionDate",
    "complexity",
    "zone",
];

fn rule(code: &str, message: impl Into<String>) -> Error {
    Error::invalid(&format!("anomalie_adresse.rule.{code}"), message).with("rule", code)
}

/// Whether `s` is an ARCEP operator code (`^[A-Z0-9]{4}$`).
pub fn is_operator_code(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// The corrections whose `value` the OpenAPI declares a list (a building
/// may have several names, numbers, codes): a single value is sent as a
/// list of one.
pub const LIST_VALUED: &[&str] = &[
    "building.geographicLocations",
    "building.name",
    "building.address.streetNr",
    "building.address.streetNrSuffix",
    "building.address.code_hexacle",
    "building.address.code_ban",
];

/// A new ticket as it will be sent: `code_oc` filled from the shop's
/// setting when the ticket does not give it, single values of list-valued
/// corrections made lists, then every rule checked.
pub fn prepare(mut ticket: Value, shop_code_oc: Option<&str>) -> Result<Value> {
    let Some(map) = ticket.as_object_mut() else {
        return Err(rule("not_an_object", "a ticket is a JSON object"));
    };
    if !map.contains_key("code_oc") {
        if let Some(code) = shop_code_oc.filter(|c| !c.is_empty()) {
            map.insert("code_oc".into(), Value::String(code.to_string()));
        }
    }
    if let Some(issues) = map.get_mut("issues").and_then(Value::as_object_mut) {
        for key in LIST_VALUED {
            if let Some(value) = issues.get_mut(*key).and_then(|i| i.get_mut("value")) {
                if !value.is_array() && !value.is_null() {
                    *value = Value::Array(vec![value.take()]);
                }
            }
        }
    }
    validate(map)?;
    super::bounds::check(&ticket)?;
    Ok(ticket)
}

/// Every rule of the document and the OpenAPI for a new ticket.
pub fn validate(t: &Map<String, Value>) -> Result<()> {
    let kind = str_of(t, "@type").unwrap_or("");
    if !TYPES.contains(&kind) {
        return Err(rule(
            "type",
            format!("`@type` must be one of {} (it is `{kind}`)", TYPES.join(", ")),
        ));
    }
    for key in READ_ONLY {
        if t.contains_key(*key) {
            return Err(rule(
                "read_only",
                format!("`{key}` is set by the infrastructure operator, not in a new ticket"),
            ));
        }
    }
    for key in ["code_oi", "code_oc"] {
        match str_of(t, key) {
            Some(c) if is_operator_code(c) => {}
            Some(c) => return Err(rule(key, format!("`{key}` must be four capital letters or digits (ARCEP code), not `{c}`"))),
            None if key == "code_oc" => {
                return Err(rule(key, "`code_oc` is missing: give it in the ticket or set the shop's operator code (COMPTOIR_ANOMALIE_ADRESSE_CODE_OC)"))
            }
            None => return Err(rule(key, "`code_oi` is missing: the infrastructure operator's ARCEP code")),
        }
    }
    one_of(t, "ticketType", &["OC_REQUEST", "CUSTOMER_REQUEST"])?;
    one_of(t, "priority", &["LOW", "MEDIUM", "HIGH"])?;
    digits(t, "siret", 14)?;
    digits(t, "siren", 9)?;
    match kind {
        CREATION => creation(t),
        NEW_BUILDING => new_building(t),
        MODIFICATION => modification(t),
        _ => nb_logements(t),
    }
}

fn str_of<'a>(t: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    t.get(key).and_then(Value::as_str)
}

fn one_of(t: &Map<String, Value>, key: &str, allowed: &[&str]) -> Result<()> {
    match t.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) if allowed.contains(&s.as_str()) => Ok(()),
        Some(v) => Err(rule(
            key,
            format!("`{key}` must be one of {} (it is {v})", allowed.join(", ")),
        )),
    }
}

fn digits(t: &Map<String, Value>, key: &str, n: usize) -> Result<()> {
    match str_of(t, key) {
        None => Ok(()),
        Some(s) if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) => Ok(()),
        Some(s) => Err(rule(key, format!("`{key}` has {n} digits (it is `{s}`)"))),
    }
}

fn present(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

/// The `relatedEntity` buildings' ids, each checked.
fn buildings(t: &Map<String, Value>) -> Result<Vec<String>> {
    let list = match t.get("relatedEntity") {
        None | Some(Value::Null) => return Ok(vec![]),
        Some(Value::Array(list)) => list,
        Some(_) => return Err(rule("related_entity", "`relatedEntity` is a list of buildings")),
    };
    list.iter()
        .map(|b| match b.get("id").and_then(Value::as_str) {
            Some(id) if !id.trim().is_empty() && id.len() <= 30 => Ok(id.to_string()),
            Some(id) => Err(rule(
                "building_id",
                format!("building identifier `{id}` must be 1 to 30 characters (IdentifiantImmeuble)"),
            )),
            None => Err(rule(
                "building_id",
                "every building in `relatedEntity` has its identifier `id` (IMB/...)",
            )),
        })
        .collect()
}

fn building_common(b: &Map<String, Value>) -> Result<()> {
    match b.get("type").and_then(Value::as_str) {
        Some("PAVILLON" | "IMMEUBLE") => {}
        _ => return Err(rule("building_type", "`building.type` must be PAVILLON or IMMEUBLE")),
    }
    if !b.get("newConstruction").is_some_and(Value::is_boolean) {
        return Err(rule(
            "new_construction",
            "`building.newConstruction` must say true or false",
        ));
    }
    let points = b.get("geographicLocation").and_then(Value::as_array);
    let valid = |p: &Value| {
        p.get("x").is_some_and(Value::is_number)
            && p.get("y").is_some_and(Value::is_number)
            && p.get("type").is_some_and(Value::is_string)
    };
    if !points.is_some_and(|ps| !ps.is_empty() && ps.iter().all(valid)) {
        return Err(rule(
            "geographic_location",
            "`building.geographicLocation` needs at least one point {x, y, type} (WGS84, RFG93...)",
        ));
    }
    Ok(())
}

fn creation(t: &Map<String, Value>) -> Result<()> {
    let Some(b) = t.get("building").and_then(Value::as_object) else {
        return Err(rule(
            "building",
            "a creation describes the `building` and its `address`",
        ));
    };
    let address = b.get("address").and_then(Value::as_object);
    let has = |f: &str| present(address.and_then(|a| a.get(f)));
    if !IDENTIFICATION_METHODS
        .iter()
        .any(|(_, needs)| needs.iter().all(|f| has(f)))
    {
        return Err(rule(
            "identification",
            "a creation identifies the address by one of: the Rivoli quadruplet (code_rivoli, code_insee, streetNr, and streetNrSuffix where there is one), the building address code (code_hexacle), the BAN code (code_ban), or the textual address (postcode, city, streetType, streetName, streetNr)",
        ));
    }
    if let Some(code) = address.and_then(|a| a.get("code_hexacle")).and_then(Value::as_str) {
        if code.chars().count() != 10 {
            return Err(rule(
                "code_hexacle",
                format!("the address code (code_hexacle) has 10 characters, not `{code}`"),
            ));
        }
    }
    buildings(t)?;
    building_common(b)
}

fn new_building(t: &Map<String, Value>) -> Result<()> {
    if buildings(t)?.len() != 1 {
        return Err(rule(
            "one_building",
            "a new building names exactly one existing building of the address in `relatedEntity`",
        ));
    }
    let Some(b) = t.get("building").and_then(Value::as_object) else {
        return Err(rule("building", "a new building describes the `building`"));
    };
    if !present(b.get("name")) {
        return Err(rule(
            "building_name",
            "a new building has its `name` (BatimentImmeuble)",
        ));
    }
    building_common(b)
}

fn issues(t: &Map<String, Value>) -> Result<&Map<String, Value>> {
    match t.get("issues").and_then(Value::as_object) {
        Some(m) if !m.is_empty() => Ok(m),
        _ => Err(rule("issues", "a modification lists the fields to correct in `issues`")),
    }
}

fn modification(t: &Map<String, Value>) -> Result<()> {
    let ids = buildings(t)?;
    if ids.is_empty() {
        return Err(rule(
            "building_id",
            "a modification names the building's identifier (IdentifiantImmeuble, IMB/...) in `relatedEntity`",
        ));
    }
    let bulk = ids.len() >= 2;
    for (key, issue) in issues(t)? {
        if !ISSUE_KEYS.contains(&key.as_str()) {
            return Err(rule(
                "issue_key",
                format!(
                    "`{key}` is not a field a modification corrects ({})",
                    ISSUE_KEYS.join(", ")
                ),
            ));
        }
        if issue.is_null() {
            continue; // the document's example lists untouched keys as null
        }
        let Some(issue) = issue.as_object() else {
            return Err(rule("issue_shape", format!("`issues.{key}` is {{value, description}}")));
        };
        let blank = issue.get("toBlank").and_then(Value::as_bool) == Some(true);
        if !bulk && !blank && !present(issue.get("value")) {
            return Err(rule(
                "target_value",
                format!("`issues.{key}` needs its target value (`value`), or `toBlank`: true to empty it"),
            ));
        }
    }
    if issues(t)?.values().all(Value::is_null) {
        return Err(rule("issues", "a modification corrects at least one field in `issues`"));
    }
    Ok(())
}

fn nb_logements(t: &Map<String, Value>) -> Result<()> {
    if buildings(t)?.len() != 1 {
        return Err(rule(
            "one_building",
            "a number of housings is corrected for exactly one building in `relatedEntity`",
        ));
    }
    let issues = issues(t)?;
    let value = issues
        .get("building.housingsNumber")
        .and_then(|i| i.get("value"))
        .and_then(Value::as_u64);
    if issues.len() != 1 || value.is_none() {
        return Err(rule(
            "housings",
            "a number of housings carries one correction, `building.housingsNumber`, whose `value` is a whole number",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn creation() -> Value {
        json!({
            "@type": CREATION, "code_oi": "ORNG", "ticketType": "CUSTOMER_REQUEST",
            "building": {
                "type": "IMMEUBLE", "newConstruction": false,
                "geographicLocation": [{"x": 1.6, "y": 42.96, "type": "WGS84"}],
                "address": {"postcode": "09000", "city": "Foix", "streetType": "RUE", "streetName": "de la Faurie", "streetNr": "12"}
            }
        })
    }

    fn code(r: Result<Value>) -> String {
        r.unwrap_err().code
    }

    #[test]
    fn a_creation_with_the_textual_address_passes_with_the_shops_code() {
        let t = prepare(creation(), Some("CPTR")).unwrap();
        assert_eq!(t["code_oc"], "CPTR");
        // A code in the ticket is kept.
        let mut mine = creation();
        mine["code_oc"] = json!("ABCD");
        assert_eq!(prepare(mine, Some("CPTR")).unwrap()["code_oc"], "ABCD");
    }

    #[test]
    fn each_identification_method_is_enough_and_none_is_refused() {
        for (name, needs) in IDENTIFICATION_METHODS {
            let mut t = creation();
            let address: Map<String, Value> = needs
                .iter()
                .map(|f| {
                    (
                        f.to_string(),
                        json!(match *f {
                            "code_hexacle" => "0900012345",
                            "code_insee" => "09122",
                            "postcode" => "09000",
                            _ => "x",
                        }),
                    )
                })
                .collect();
            t["building"]["address"] = Value::Object(address);
            assert!(prepare(t, Some("CPTR")).is_ok(), "{name}");
        }
        let mut t = creation();
        t["building"]["address"] = json!({"postcode": "09000", "city": "Foix", "streetName": "de la Faurie"});
        assert_eq!(code(prepare(t, Some("CPTR"))), "anomalie_adresse.rule.identification");
    }

    #[test]
    fn every_rule_names_itself() {
        let cases: Vec<(Value, &str)> = vec![
            (json!([]), "not_an_object"),
            (json!({"@type": "AnomalieAdresse.other", "code_oi": "ORNG"}), "type"),
            (
                {
                    let mut t = creation();
                    t["code_oi"] = json!("orng");
                    t
                },
                "code_oi",
            ),
            (
                {
                    let mut t = creation();
                    t["status"] = json!("CLOSED");
                    t
                },
                "read_only",
            ),
            (
                {
                    let mut t = creation();
                    t["siret"] = json!("123");
                    t
                },
                "siret",
            ),
            (
                {
                    let mut t = creation();
                    t["priority"] = json!("URGENT");
                    t
                },
                "priority",
            ),
            (
                {
                    let mut t = creation();
                    t["building"]["type"] = json!("MAISON");
                    t
                },
                "building_type",
            ),
            (
                {
                    let mut t = creation();
                    t["building"]["geographicLocation"] = json!([]);
                    t
                },
                "geographic_location",
            ),
            (
                {
                    let mut t = creation();
                    t["building"]["address"]["code_hexacle"] = json!("123");
                    t
                },
                "code_hexacle",
            ),
            (
                json!({"@type": MODIFICATION, "code_oi": "ORNG", "issues": {"building.name": {"value": ["A"]}}}),
                "building_id",
            ),
            (
                json!({"@type": MODIFICATION, "code_oi": "ORNG", "relatedEntity": [{"id": "IMB/1"}]}),
                "issues",
            ),
            (
                json!({"@type": MODIFICATION, "code_oi": "ORNG", "relatedEntity": [{"id": "IMB/1"}], "issues": {"building.colour": {"value": "x"}}}),
                "issue_key",
            ),
            (
                json!({"@type": MODIFICATION, "code_oi": "ORNG", "relatedEntity": [{"id": "IMB/1"}], "issues": {"building.address.city": {"description": "wrong"}}}),
                "target_value",
            ),
            (
                json!({"@type": NEW_BUILDING, "code_oi": "ORNG", "relatedEntity": [], "building": {}}),
                "one_building",
            ),
            (
                json!({"@type": NB_LOGEMENTS, "code_oi": "ORNG", "relatedEntity": [{"id": "IMB/1"}], "issues": {"building.housingsNumber": {"value": -1}}}),
                "housings",
            ),
        ];
        for (t, expected) in cases {
            let err = prepare(t.clone(), Some("CPTR")).unwrap_err();
            assert_eq!(
                err.code,
                format!("anomalie_adresse.rule.{expected}"),
                "{t}: {}",
                err.message
            );
        }
        assert_eq!(code(prepare(creation(), None)), "anomalie_adresse.rule.code_oc");
    }

    #[test]
    fn a_bulk_report_needs_keys_only_and_an_individual_one_values() {
        let bulk = json!({"@type": MODIFICATION, "code_oi": "ORNG",
            "relatedEntity": [{"id": "IMB/09001/X/000E"}, {"id": "IMB/09001/X/000Q"}],
            "issues": {"building.address.streetName": {"description": "the street was renamed"}}});
        assert!(prepare(bulk, Some("CPTR")).is_ok());
        let single = json!({"@type": MODIFICATION, "code_oi": "ORNG", "relatedEntity": [{"id": "IMB/09001/X/000E"}],
            "issues": {"building.address.streetName": {"value": "Rue Neuve"}, "building.pm.id": null}});
        assert!(prepare(single, Some("CPTR")).is_ok());
        let blank = json!({"@type": MODIFICATION, "code_oi": "ORNG", "relatedEntity": [{"id": "IMB/1"}],
            "issues": {"building.name": {"toBlank": true}}});
        assert!(prepare(blank, Some("CPTR")).is_ok());
    }

    #[test]
    fn list_valued_corrections_are_sent_as_lists() {
        let t = json!({"@type": MODIFICATION, "code_oi": "ORNG", "relatedEntity": [{"id": "IMB/1"}],
            "issues": {"building.name": {"value": "B"}, "building.address.city": {"value": "Foix"}, "building.address.streetNr": {"value": ["3", "5"]}}});
        let sent = prepare(t, Some("CPTR")).unwrap();
        assert_eq!(sent["issues"]["building.name"]["value"], json!(["B"]));
        assert_eq!(sent["issues"]["building.address.city"]["value"], json!("Foix"));
        assert_eq!(sent["issues"]["building.address.streetNr"]["value"], json!(["3", "5"]));
    }

    #[test]
    fn the_ten_fields_of_the_document_are_in_the_table() {
        for ipe in [
            "CodeVoieRivoliImmeuble",
            "CodeInseeImmeuble",
            "CodePostalImmeuble",
            "CommuneImmeuble",
            "CodeAdresseImmeuble",
            "TypeVoieImmeuble",
            "NomVoieImmeuble",
            "NumeroVoieImmeuble",
            "ComplementNumeroVoieImmeuble",
            "BatimentImmeuble",
        ] {
            let f = ADDRESS_FIELDS.iter().find(|f| f.ipe == ipe).unwrap();
            assert!(ISSUE_KEYS.contains(&f.issue), "{ipe}");
        }
    }
}
