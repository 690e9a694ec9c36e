//! The canonical form a register record is hashed in: compact JSON, keys
//! sorted by their UTF-8 bytes at every depth, strings escaped as JSON
//! escapes them, integers as integers (amounts are cents). Written here
//! rather than left to `serde_json`, whose key order depends on a feature
//! another crate may turn on.

use serde_json::Value;

pub fn to_string(v: &Value) -> String {
    let mut out = String::new();
    write(v, &mut out);
    out
}

fn write(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_at_every_depth_and_nothing_is_spaced() {
        let v = json!({"b": 1, "a": {"z": [3, {"y": "é\"", "x": null}], "c": true}, "A": -250});
        assert_eq!(
            to_string(&v),
            r#"{"A":-250,"a":{"c":true,"z":[3,{"x":null,"y":"é\""}]},"b":1}"#
        );
    }
}
