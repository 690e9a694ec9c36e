//! Money is kept in integer cents; JSON shows it in units (12.5 for
//! 12,50 EUR).

pub fn to_units(cents: i64) -> f64 {
    cents as f64 / 100.0
}
pub fn serialize<S: serde::Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(to_units(*v))
}
pub fn serialize_opt<S: serde::Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(c) => s.serialize_f64(to_units(*c)),
        None => s.serialize_none(),
    }
}
/// `12.50` as the CSV shows it: always two decimals, a dot.
pub fn format(cents: i64) -> String {
    format!(
        "{}{}.{:02}",
        if cents < 0 { "-" } else { "" },
        cents.abs() / 100,
        cents.abs() % 100
    )
}
