//! What the OpenAPI bounds in a new ticket (lengths, patterns, ranges), as
//! one table checked before anything is sent, and the one text rule for
//! every string the shop typed (no control or format characters: a street
//! name holding NUL or U+202E once reached the operator).
//!
//! Where the OpenAPI is silent, a careful integrator's choice, marked
//! "choice" below: a French postcode is 5 digits, an INSEE code 5
//! characters (2A/2B for Corsica), `externalId` at most 64 characters
//! (Comptoir's references have 17), any other text at most 1,000, and a
//! point's coordinates finite (WGS84 in degrees, others in metres).

use crate::error::{Error, Result};
use serde_json::Value;

enum Bound {
    /// From `min` to `max` characters.
    Len(usize, usize),
    /// Exactly `n` ASCII digits.
    Digits(usize),
    /// Characters from the set, at least one.
    Chars(&'static str, fn(char) -> bool),
    /// A whole number of at least `min`.
    AtLeast(i64),
}

/// Each field by its path (issues' keys and `value`, list items and
/// `relatedEntity`'s buildings all read as the field they correct).
const TABLE: &[(&str, Bound)] = &[
    ("building.address.postcode", Bound::Digits(5)),   // choice
    ("building.address.code_insee", Bound::Len(5, 5)), // choice
    ("building.address.code_hexacle", Bound::Len(10, 10)),
    ("building.address.code_hexacle_voie", Bound::Len(10, 10)),
    ("building.pm.id", Bound::Len(1, 20)),
    ("building.id", Bound::Len(1, 30)),
    ("relatedEntity.id", Bound::Len(1, 30)),
    ("building.neighbor.id", Bound::Len(1, 30)),
    (
        "building.plot",
        Bound::Chars("capital letters and digits", |c| {
            c.is_ascii_uppercase() || c.is_ascii_digit()
        }),
    ),
    ("building.housingsNumber", Bound::AtLeast(0)),
    ("externalId", Bound::Len(1, 64)), // choice
];

/// Longest text anywhere else (choice).
const TEXT_MAX: usize = 1000;
/// Fields where a line break belongs.
const MULTILINE: &[&str] = &["description", "statusChangeDetails", "comment", "text"];

fn refuse(path: &str, why: String) -> Error {
    Error::invalid("anomalie_adresse.rule.bounds", format!("`{path}` {why}"))
        .with("rule", "bounds")
        .with("field", path)
}

/// Checks every bound of `ticket`.
pub fn check(ticket: &Value) -> Result<()> {
    walk(ticket, "", &mut |path, v| leaf(path, v))?;
    points(ticket)
}

/// Visits every leaf with its canonical path.
fn walk(v: &Value, path: &str, f: &mut dyn FnMut(&str, &Value) -> Result<()>) -> Result<()> {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let p = if path.is_empty() || path == "issues" {
                    k.clone()
                } else if k == "value" {
                    path.to_string() // an issue's target value is the field itself
                } else {
                    format!("{path}.{k}")
                };
                walk(child, &p, f)?;
            }
            Ok(())
        }
        Value::Array(items) => items.iter().try_for_each(|i| walk(i, path, f)),
        _ => f(path, v),
    }
}

fn leaf(path: &str, v: &Value) -> Result<()> {
    if let Value::String(s) = v {
        let last = path.rsplit('.').next().unwrap_or(path);
        let multiline = MULTILINE.contains(&last);
        crate::types::text::check("it", s, TEXT_MAX, multiline)
            .map_err(|why| refuse(path, why.replacen("it ", "", 1)))?;
    }
    let Some((_, bound)) = TABLE.iter().find(|(p, _)| *p == path).filter(|_| !v.is_null()) else {
        return Ok(()); // a null is a field not given
    };
    let text = v.as_str();
    let n = text.map(|s| s.chars().count());
    match bound {
        Bound::Len(min, max) if !n.is_some_and(|n| (*min..=*max).contains(&n)) => Err(refuse(
            path,
            if min == max {
                format!("has {max} characters")
            } else {
                format!("has {min} to {max} characters")
            },
        )),
        Bound::Digits(d) if !text.is_some_and(|s| s.len() == *d && s.bytes().all(|b| b.is_ascii_digit())) => {
            Err(refuse(path, format!("has {d} digits")))
        }
        Bound::Chars(what, ok) if !text.is_some_and(|s| !s.is_empty() && s.chars().all(ok)) => {
            Err(refuse(path, format!("holds {what} only")))
        }
        Bound::AtLeast(min) if v.as_i64().is_none_or(|i| i < *min) => {
            Err(refuse(path, format!("is a whole number of at least {min}")))
        }
        _ => Ok(()),
    }
}

/// Every point `{x, y, type}`: finite, and in degrees' range for WGS84.
fn points(v: &Value) -> Result<()> {
    match v {
        Value::Object(m) => {
            if let (Some(x), Some(y)) = (m.get("x"), m.get("y")) {
                let (x, y) = (x.as_f64().unwrap_or(f64::NAN), y.as_f64().unwrap_or(f64::NAN));
                let wgs84 = m
                    .get("type")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.eq_ignore_ascii_case("WGS84"));
                let (mx, my) = if wgs84 { (180.0, 90.0) } else { (1.0e7, 1.0e7) };
                if !(x.is_finite() && y.is_finite() && x.abs() <= mx && y.abs() <= my) {
                    return Err(refuse(
                        "geographicLocation",
                        if wgs84 {
                            "is a WGS84 point: x (longitude) from -180 to 180, y (latitude) from -90 to 90".into()
                        } else {
                            "is a point whose x and y are numbers (metres)".into()
                        },
                    ));
                }
            }
            m.values().try_for_each(points)
        }
        Value::Array(items) => items.iter().try_for_each(points),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Issue 20 §12 and §6: each of these was sent to the operator.
    #[test]
    fn what_the_openapi_bounds_is_refused_before_sending() {
        let ok = json!({"externalId": "CPT-1", "building": {"address": {"postcode": "09000", "streetName": "de la Faurie"},
            "geographicLocation": [{"x": 1.6, "y": 42.9, "type": "WGS84"}]},
            "relatedEntity": [{"id": "IMB/09122/X/00AB"}], "description": "ligne 1\nligne 2"});
        check(&ok).unwrap();
        let bad = [
            json!({"relatedEntity": [{"id": "I".repeat(31)}]}),
            json!({"building": {"id": "I".repeat(31)}}),
            json!({"building": {"address": {"postcode": "9".repeat(10_000)}}}),
            json!({"issues": {"building.address.postcode": {"value": "750"}}}),
            json!({"externalId": "x".repeat(5000)}),
            json!({"building": {"geographicLocation": [{"x": 1e308, "y": 1.0, "type": "WGS84"}]}}),
            json!({"building": {"address": {"streetName": "rue\u{0}\u{202E}"}}}),
            json!({"issues": {"building.housingsNumber": {"value": -1}}}),
            json!({"building": {"address": {"code_hexacle": "123"}}}),
        ];
        for t in bad {
            assert_eq!(check(&t).unwrap_err().code, "anomalie_adresse.rule.bounds", "{t}");
        }
    }
}
