//! The TMF query language of the document ("TMF Filter"): paging
//! (`offset`, `limit`), `sort` (`+name,-id`), `fields`, and filters
//! `field[op(,typed)]=value` with every operator and alias of the document
//! and of the OpenAPI's `filters.openapi.yaml`.
//!
//! One module serves three readers: the client builds a query from what the
//! user typed and sends exactly that, in that order, nothing added; the
//! simulator parses the query string it receives and evaluates it; the
//! offline ticket list evaluates the same query against the cache.
//!
//! Choices where the documents are silent, kept here:
//! - Without a typed search, a value compares with the field's text (a
//!   string as is, a number or boolean as JSON writes it), so `gt` is
//!   lexicographic (`"10" < "9"`): that is what `num` is for. With
//!   `num`/`numeric`/`number`, both sides are numbers, and a field that is
//!   not a number never matches.
//! - A dotted path walks objects and arrays (an array matches when one of
//!   its elements does), and a key that itself holds dots (the `issues`
//!   map's `building.address.city`) is found whole.
//! - `ne`, `nin`, `notmatch` and `isnot` are the negations of their
//!   operator, so they also match a ticket without the field.
//! - `notnull` means the field is there and not null.

use serde_json::Value;
use std::cmp::Ordering;

/// A filter operator, by its meaning (the alias the user typed is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    Match,
    NotMatch,
    Is,
    IsNot,
    In,
    NotIn,
    ElemMatchJson,
    NotElemMatchJson,
}

/// Every alias of every operator: the document's, and the OpenAPI's
/// (`json`, `j`, `eqjson`, `njson`, `nejson`, `!json`, `!j`, `nj`).
pub const OPERATORS: &[(Op, &[&str])] = &[
    (Op::Eq, &["eq", "=="]),
    (Op::Ne, &["ne", "!=", "<>", "neq", "!eq"]),
    (Op::Gt, &["gt", ">"]),
    (Op::Gte, &["gte", ">="]),
    (Op::Lt, &["lt", "<"]),
    (Op::Lte, &["lte", "<="]),
    (Op::Match, &["match", "regex", "=~", "re"]),
    (Op::NotMatch, &["notmatch", "notregex", "!~", "nre", "nregex", "nmatch"]),
    (Op::Is, &["is", "="]),
    (Op::IsNot, &["isnot", "isnt", "not", "nis", "!", "!is"]),
    (Op::In, &["in"]),
    (Op::NotIn, &["nin", "notin", "!in"]),
    (
        Op::ElemMatchJson,
        &["emjson", "elemmatchjson", "emj", "json", "eqjson", "j"],
    ),
    (
        Op::NotElemMatchJson,
        &[
            "notmjson",
            "!emjson",
            "nemj",
            "!emj",
            "!elemmatchjson",
            "njson",
            "nejson",
            "!json",
            "!j",
            "nj",
        ],
    ),
];

/// The typed-search aliases: only numeric exists.
pub const NUMERIC: &[&str] = &["num", "numeric", "number"];

/// What `is` and `isnot` may ask, with their aliases.
pub const IS_VALUES: &[(&str, &[&str])] = &[
    ("null", &["null"]),
    ("notnull", &["notnull", "nnull"]),
    ("exists", &["exists"]),
    ("notexists", &["notexists", "nexists"]),
    ("empty", &["empty"]),
    ("notempty", &["notempty", "nempty"]),
    ("int", &["int", "integer"]),
    ("array", &["array"]),
    ("object", &["object"]),
    ("string", &["string"]),
    ("bool", &["bool", "boolean"]),
    ("date", &["date"]),
];

/// The parameters that are not filters.
const RESERVED: &[&str] = &["offset", "limit", "sort", "fields"];

impl Op {
    pub fn from_alias(alias: &str) -> Option<Op> {
        OPERATORS
            .iter()
            .find(|(_, aliases)| aliases.contains(&alias))
            .map(|(op, _)| *op)
    }

    /// Operators whose value is a pattern, a property or JSON: no typed search.
    fn untyped_only(self) -> bool {
        matches!(
            self,
            Op::Match | Op::NotMatch | Op::Is | Op::IsNot | Op::ElemMatchJson | Op::NotElemMatchJson
        )
    }
}

/// One filter as the user wrote it: `field[alias,typed]=value`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Filter {
    pub field: String,
    pub op: Op,
    /// The operator alias as typed; `None` for a bare `field=value` (equal).
    pub alias: Option<String>,
    /// The typed-search alias as typed (`num`, `numeric`, `number`).
    pub typed: Option<String>,
    pub value: String,
}

/// One query parameter, in the order given.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "param", rename_all = "snake_case")]
pub enum Param {
    Offset { value: u64 },
    Limit { value: u64 },
    Sort { value: String },
    Fields { value: String },
    Filter(Filter),
}

/// A query: the parameters in the order they are sent.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Query {
    pub params: Vec<Param>,
}

/// Why a query cannot be sent (or, in the simulator, answered).
#[derive(Debug, Clone, PartialEq)]
pub struct QueryError(pub String);

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn bad(text: impl Into<String>) -> QueryError {
    QueryError(text.into())
}

impl Query {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn offset(mut self, n: u64) -> Self {
        self.params.push(Param::Offset { value: n });
        self
    }

    pub fn limit(mut self, n: u64) -> Self {
        self.params.push(Param::Limit { value: n });
        self
    }

    pub fn sort(mut self, s: &str) -> Self {
        self.params.push(Param::Sort { value: s.to_string() });
        self
    }

    pub fn fields(mut self, f: &str) -> Self {
        self.params.push(Param::Fields { value: f.to_string() });
        self
    }

    /// Adds one filter written as the document writes it:
    /// `field=value` or `field[alias]=value` or `field[alias,num]=value`.
    pub fn filter(mut self, written: &str) -> Result<Self, QueryError> {
        let (key, value) =
            split_written(written).ok_or_else(|| bad(format!("`{written}` is not field[operator]=value")))?;
        self.params.push(Param::Filter(parse_filter(key, value)?));
        Ok(self)
    }

    pub fn filters(&self) -> impl Iterator<Item = &Filter> {
        self.params.iter().filter_map(|p| match p {
            Param::Filter(f) => Some(f),
            _ => None,
        })
    }

    /// The last `offset`, `limit`, `sort`, `fields` given, if any.
    pub fn offset_value(&self) -> Option<u64> {
        self.params.iter().rev().find_map(|p| match p {
            Param::Offset { value } => Some(*value),
            _ => None,
        })
    }

    pub fn limit_value(&self) -> Option<u64> {
        self.params.iter().rev().find_map(|p| match p {
            Param::Limit { value } => Some(*value),
            _ => None,
        })
    }

    pub fn sort_value(&self) -> Option<&str> {
        self.params.iter().rev().find_map(|p| match p {
            Param::Sort { value } => Some(value.as_str()),
            _ => None,
        })
    }

    pub fn fields_value(&self) -> Option<&str> {
        self.params.iter().rev().find_map(|p| match p {
            Param::Fields { value } => Some(value.as_str()),
            _ => None,
        })
    }

    /// The query string, every key and value percent-encoded so that the
    /// server decodes exactly what was typed (`+` is `%2B`, never a space).
    pub fn to_query_string(&self) -> String {
        let pairs: Vec<String> = self
            .params
            .iter()
            .map(|p| {
                let (k, v) = match p {
                    Param::Offset { value } => ("offset".to_string(), value.to_string()),
                    Param::Limit { value } => ("limit".to_string(), value.to_string()),
                    Param::Sort { value } => ("sort".to_string(), value.clone()),
                    Param::Fields { value } => ("fields".to_string(), value.clone()),
                    Param::Filter(f) => (f.key(), f.value.clone()),
                };
                format!("{}={}", encode(&k), encode(&v))
            })
            .collect();
        pairs.join("&")
    }

    /// Reads a query string as a server does (`+` is a space, `%XX` a byte).
    pub fn parse(query: &str) -> Result<Query, QueryError> {
        let mut q = Query::new();
        for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let number = |name: &str| {
                value
                    .trim()
                    .parse::<u64>()
                    .map_err(|_| bad(format!("`{name}` must be a whole number, not `{value}`")))
            };
            q.params.push(match key.as_ref() {
                "offset" => Param::Offset {
                    value: number("offset")?,
                },
                "limit" => Param::Limit {
                    value: number("limit")?,
                },
                "sort" => Param::Sort {
                    value: value.to_string(),
                },
                "fields" => Param::Fields {
                    value: value.to_string(),
                },
                _ => Param::Filter(parse_filter(&key, &value)?),
            });
        }
        Ok(q)
    }
}

impl Filter {
    /// `field[alias,typed]` as it goes on the wire.
    pub fn key(&self) -> String {
        match (&self.alias, &self.typed) {
            (None, None) => self.field.clone(),
            (Some(a), None) => format!("{}[{a}]", self.field),
            (Some(a), Some(t)) => format!("{}[{a},{t}]", self.field),
            (None, Some(t)) => format!("{}[eq,{t}]", self.field),
        }
    }

    fn numeric(&self) -> bool {
        self.typed.is_some()
    }
}

/// `field[op]=value` split at the `=` after the brackets (operators hold `=`).
fn split_written(w: &str) -> Option<(&str, &str)> {
    let eq = w.find('=')?;
    match w.find('[') {
        Some(open) if open < eq => {
            let close = open + w[open..].find(']')?;
            w[close + 1..].strip_prefix('=').map(|v| (&w[..=close], v))
        }
        _ => Some((&w[..eq], &w[eq + 1..])),
    }
}

const UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, UNRESERVED).to_string()
}

/// `field[alias(,typed)]` and its value, checked: a known operator, a
/// known typed search where the operator takes one, a known `is` value, a
/// valid regular expression, valid JSON, a number where `num` says so.
fn parse_filter(key: &str, value: &str) -> Result<Filter, QueryError> {
    let (field, inside) = match key.find('[') {
        Some(i) if key.ends_with(']') => (&key[..i], Some(&key[i + 1..key.len() - 1])),
        Some(_) => return Err(bad(format!("`{key}`: the operator must close with `]`"))),
        None => (key, None),
    };
    if field.is_empty() {
        return Err(bad(format!("`{key}`: no field name")));
    }
    if RESERVED.contains(&field) && inside.is_some() {
        return Err(bad(format!("`{field}` is a paging parameter, not a field")));
    }
    let (alias, typed) = match inside.map(|s| s.split_once(',').map_or((s, None), |(a, t)| (a, Some(t)))) {
        None => (None, None),
        Some((a, t)) => (Some(a.to_string()), t.map(str::to_string)),
    };
    let op = match alias.as_deref() {
        None => Op::Eq,
        Some(a) => Op::from_alias(a).ok_or_else(|| bad(format!("`{a}` is not an operator of the filter language")))?,
    };
    if let Some(t) = typed.as_deref() {
        if !NUMERIC.contains(&t) {
            return Err(bad(format!("`{t}` is not a typed search (num, numeric, number)")));
        }
        if op.untyped_only() {
            return Err(bad(format!(
                "`{}` takes no typed search",
                alias.as_deref().unwrap_or("")
            )));
        }
    }
    let filter = Filter {
        field: field.to_string(),
        op,
        alias,
        typed,
        value: value.to_string(),
    };
    check_value(&filter)?;
    Ok(filter)
}

fn check_value(f: &Filter) -> Result<(), QueryError> {
    match f.op {
        Op::Is | Op::IsNot => is_value(&f.value).map(|_| ()),
        Op::Match | Op::NotMatch => regex::Regex::new(&f.value)
            .map(|_| ())
            .map_err(|e| bad(format!("`{}` is not a regular expression ({e})", f.value))),
        Op::ElemMatchJson | Op::NotElemMatchJson => match serde_json::from_str::<Value>(&f.value) {
            Ok(Value::Object(_)) => Ok(()),
            _ => Err(bad(format!("`{}` is not a JSON object", f.value))),
        },
        _ if f.numeric() => values(f)
            .iter()
            .try_for_each(|v| v.trim().parse::<f64>().map(|_| ()))
            .map_err(|_| {
                bad(format!(
                    "`{}` is not a number, as `{}` asks",
                    f.value,
                    f.typed.as_deref().unwrap_or("num")
                ))
            }),
        _ => Ok(()),
    }
}

/// The canonical `is` value of an alias.
fn is_value(v: &str) -> Result<&'static str, QueryError> {
    IS_VALUES
        .iter()
        .find(|(_, aliases)| aliases.contains(&v))
        .map(|(canon, _)| *canon)
        .ok_or_else(|| {
            let all: Vec<&str> = IS_VALUES.iter().flat_map(|(_, a)| a.iter().copied()).collect();
            bad(format!("`{v}` is not a value `is` knows ({})", all.join(", ")))
        })
}

fn values(f: &Filter) -> Vec<&str> {
    match f.op {
        Op::In | Op::NotIn => f.value.split(',').collect(),
        _ => vec![f.value.as_str()],
    }
}

// ---------------------------------------------------------------- evaluation

/// What a path finds in an entity: every value it reaches (an array on the
/// way is walked into), and whether it exists at all.
fn reach<'a>(entity: &'a Value, path: &str) -> Vec<&'a Value> {
    let parts: Vec<&str> = path.split('.').collect();
    let mut out = Vec::new();
    walk(entity, &parts, &mut out);
    out
}

fn walk<'a>(v: &'a Value, parts: &[&str], out: &mut Vec<&'a Value>) {
    if parts.is_empty() {
        out.push(v);
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| walk(i, parts, out)),
        Value::Object(map) => {
            // The longest key first: `issues.building.address.city` is the
            // `issues` map's key `building.address.city`.
            for n in (1..=parts.len()).rev() {
                if let Some(child) = map.get(&parts[..n].join(".")) {
                    walk(child, &parts[n..], out);
                    return;
                }
            }
        }
        _ => {}
    }
}

/// A leaf and, when it is an array, its elements: what a comparison sees.
fn scalars<'a>(found: &[&'a Value]) -> Vec<&'a Value> {
    found
        .iter()
        .flat_map(|v| match v {
            Value::Array(items) => items.iter().collect::<Vec<_>>(),
            other => vec![*other],
        })
        .collect()
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// How a field's value compares with the filter's value; `None` when they
/// cannot be compared (a number asked of a string, a null...).
fn compare(v: &Value, wanted: &str, numeric: bool) -> Option<Ordering> {
    if numeric {
        let a = v.as_f64()?;
        let b = wanted.trim().parse::<f64>().ok()?;
        a.partial_cmp(&b)
    } else {
        Some(text(v)?.as_str().cmp(wanted))
    }
}

/// Whether an entity passes one filter.
pub fn matches(entity: &Value, f: &Filter) -> bool {
    let found = reach(entity, &f.field);
    match f.op {
        Op::Ne => !positive(entity, f, Op::Eq),
        Op::NotIn => !positive(entity, f, Op::In),
        Op::NotMatch => !positive(entity, f, Op::Match),
        Op::IsNot => !is(&found, is_value(&f.value).unwrap_or("")),
        Op::NotElemMatchJson => !positive(entity, f, Op::ElemMatchJson),
        Op::Is => is(&found, is_value(&f.value).unwrap_or("")),
        op => positive(entity, f, op),
    }
}

fn positive(entity: &Value, f: &Filter, op: Op) -> bool {
    let found = reach(entity, &f.field);
    let numeric = f.numeric();
    let any = |pred: &dyn Fn(Ordering) -> bool| {
        scalars(&found)
            .iter()
            .any(|v| compare(v, &f.value, numeric).is_some_and(pred))
    };
    match op {
        Op::Eq => any(&|o| o == Ordering::Equal),
        Op::Gt => any(&|o| o == Ordering::Greater),
        Op::Gte => any(&|o| o != Ordering::Less),
        Op::Lt => any(&|o| o == Ordering::Less),
        Op::Lte => any(&|o| o != Ordering::Greater),
        Op::In => values(f).iter().any(|w| {
            scalars(&found)
                .iter()
                .any(|v| compare(v, w, numeric) == Some(Ordering::Equal))
        }),
        Op::Match => match regex::Regex::new(&f.value) {
            Ok(re) => scalars(&found).iter().filter_map(|v| text(v)).any(|t| re.is_match(&t)),
            Err(_) => false,
        },
        Op::ElemMatchJson => match serde_json::from_str::<Value>(&f.value) {
            Ok(wanted) => found.iter().any(|v| match v {
                Value::Array(items) => items.iter().any(|i| contains(i, &wanted)),
                _ => false,
            }),
            Err(_) => false,
        },
        _ => false,
    }
}

/// Whether `v` holds everything `wanted` says (objects recursively).
fn contains(v: &Value, wanted: &Value) -> bool {
    match (v, wanted) {
        (Value::Object(have), Value::Object(want)) => {
            want.iter().all(|(k, w)| have.get(k).is_some_and(|h| contains(h, w)))
        }
        (a, b) => a == b,
    }
}

fn is(found: &[&Value], what: &str) -> bool {
    let size = |v: &Value| match v {
        Value::String(s) => Some(s.chars().count()),
        Value::Array(a) => Some(a.len()),
        Value::Object(o) => Some(o.len()),
        _ => None,
    };
    let any = |pred: &dyn Fn(&Value) -> bool| found.iter().any(|v| pred(v));
    match what {
        "null" => any(&|v| v.is_null()),
        "notnull" => any(&|v| !v.is_null()),
        "exists" => !found.is_empty(),
        "notexists" => found.is_empty(),
        "empty" => any(&|v| size(v) == Some(0)),
        "notempty" => any(&|v| size(v).is_some_and(|n| n > 0)),
        "int" => any(&|v| v.is_i64() || v.is_u64() || v.as_f64().is_some_and(|f| f.fract() == 0.0)),
        "array" => any(&|v| v.is_array()),
        "object" => any(&|v| v.is_object()),
        "string" => any(&|v| v.is_string()),
        "bool" => any(&|v| v.is_boolean()),
        "date" => any(&|v| v.as_str().is_some_and(is_date)),
        _ => false,
    }
}

fn is_date(s: &str) -> bool {
    chrono::DateTime::parse_from_rfc3339(s).is_ok()
        || chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        || chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
}

/// `+name,-id`: each key ascending unless prefixed by `-`.
pub fn sort_keys(sort: &str) -> Vec<(String, bool)> {
    sort.split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| match k.strip_prefix('-') {
            Some(rest) => (rest.to_string(), false),
            None => (k.strip_prefix('+').unwrap_or(k).to_string(), true),
        })
        .collect()
}

/// Orders two entities by the sort keys: numbers by value, the rest by
/// text; an entity without the field comes last either way.
pub fn order(a: &Value, b: &Value, keys: &[(String, bool)]) -> Ordering {
    for (field, ascending) in keys {
        let first = |e: &Value| reach(e, field).into_iter().find(|v| !v.is_null()).cloned();
        let o = match (first(a), first(b)) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => return Ordering::Greater,
            (Some(_), None) => return Ordering::Less,
            (Some(x), Some(y)) => {
                let o = match (x.as_f64(), y.as_f64()) {
                    (Some(p), Some(q)) => p.partial_cmp(&q).unwrap_or(Ordering::Equal),
                    _ => text(&x).unwrap_or_default().cmp(&text(&y).unwrap_or_default()),
                };
                if *ascending {
                    o
                } else {
                    o.reverse()
                }
            }
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

/// Only the first-level fields asked for, and those `keeps` names (the
/// fields a resource cannot be read without).
pub fn select(entity: &Value, fields: &str, keeps: &[&str]) -> Value {
    let mut wanted: Vec<&str> = fields.split(',').map(str::trim).filter(|f| !f.is_empty()).collect();
    wanted.extend_from_slice(keeps);
    match entity {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| wanted.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A page of entities answered as the query asks: filtered, sorted,
/// paged (`default_limit` when none is given), fields selected (`keeps`
/// always). Returns the page and the total before paging.
pub fn answer(entities: Vec<Value>, q: &Query, default_limit: u64, keeps: &[&str]) -> (Vec<Value>, usize) {
    let mut hits: Vec<Value> = entities
        .into_iter()
        .filter(|e| q.filters().all(|f| matches(e, f)))
        .collect();
    if let Some(sort) = q.sort_value() {
        let keys = sort_keys(sort);
        hits.sort_by(|a, b| order(a, b, &keys));
    }
    let total = hits.len();
    let offset = q.offset_value().unwrap_or(0) as usize;
    let limit = q.limit_value().unwrap_or(default_limit) as usize;
    let page = hits
        .into_iter()
        .skip(offset)
        .take(limit)
        .map(|e| match q.fields_value() {
            Some(f) => select(&e, f, keeps),
            None => e,
        })
        .collect();
    (page, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn q(written: &str) -> Query {
        Query::new().filter(written).unwrap()
    }

    fn hit(entity: &Value, written: &str) -> bool {
        let query = q(written);
        let passes = matches(entity, query.filters().next().unwrap());
        passes
    }

    #[test]
    fn the_query_string_is_exactly_what_was_given_in_order() {
        let query = Query::new()
            .sort("+name,-id")
            .filter("status[in]=ACKNOWLEDGED,PENDING")
            .unwrap()
            .limit(5)
            .filter("@type=AnomalieAdresse.creation")
            .unwrap();
        assert_eq!(
            query.to_query_string(),
            "sort=%2Bname%2C-id&status%5Bin%5D=ACKNOWLEDGED%2CPENDING&limit=5&%40type=AnomalieAdresse.creation"
        );
        // And a server reads back exactly that.
        assert_eq!(Query::parse(&query.to_query_string()).unwrap(), query);
        assert_eq!(Query::new().to_query_string(), "");
    }

    #[test]
    fn a_literal_plus_is_a_space_only_when_sent_raw() {
        assert_eq!(Query::parse("sort=+name").unwrap().sort_value(), Some(" name"));
        assert_eq!(Query::parse("sort=%2Bname").unwrap().sort_value(), Some("+name"));
    }

    #[test]
    fn every_alias_of_every_operator_is_known() {
        for (op, aliases) in OPERATORS {
            for a in *aliases {
                let value = match op {
                    Op::Is | Op::IsNot => "null",
                    Op::ElemMatchJson | Op::NotElemMatchJson => "{}",
                    _ => "x",
                };
                let f = parse_filter(&format!("name[{a}]"), value).unwrap();
                assert_eq!(f.op, *op, "{a}");
                assert_eq!(f.key(), format!("name[{a}]"));
            }
        }
    }

    #[test]
    fn refused_before_sending() {
        for bad in [
            "name[like]=x",
            "age[gt,int]=3",
            "age[gt,num]=three",
            "name[match]=(",
            "name[is]=nothing",
            "child[json]=[1]",
            "name[match,num]=1",
            "[eq]=x",
            "name[eq=x",
            "limit[gt]=3",
            "novalue",
        ] {
            assert!(Query::new().filter(bad).is_err(), "{bad}");
        }
    }

    fn ticket() -> Value {
        json!({
            "id": "t1", "name": "doudou", "status": "IN_PROGRESS", "priority": null,
            "acknowledgedDuration": 10, "valid": true, "date": "2026-01-10T10:00:00Z",
            "relatedEntity": [{"id": "IMB/09001/X/000E", "@referredType": "Building"},
                              {"id": "IMB/09001/X/000Q", "@referredType": "Building"}],
            "issues": {"building.address.city": {"value": "Foix"}},
            "statusChanges": [],
            "child": {"a": 1}
        })
    }

    #[test]
    fn comparisons_text_and_numeric() {
        let t = ticket();
        assert!(hit(&t, "name=doudou"));
        assert!(hit(&t, "name[eq]=doudou") && hit(&t, "name[==]=doudou"));
        assert!(!hit(&t, "name[ne]=doudou") && hit(&t, "name[<>]=jean"));
        assert!(hit(&t, "missing[!=]=x"), "ne matches a ticket without the field");
        // Text: "10" < "9"; numbers: 10 > 9.
        assert!(!hit(&t, "acknowledgedDuration[gt]=9"));
        assert!(hit(&t, "acknowledgedDuration[gt,num]=9"));
        assert!(hit(&t, "acknowledgedDuration[>=,numeric]=10") && !hit(&t, "acknowledgedDuration[lt,number]=10"));
        assert!(hit(&t, "acknowledgedDuration[lte,num]=10") && hit(&t, "acknowledgedDuration[<=]=10"));
        assert!(!hit(&t, "name[gt,num]=1"), "a string is not a number");
        assert!(hit(&t, "date[>]=2020-01-10") && hit(&t, "name[<]=e") && hit(&t, "name[>=]=doudou"));
        assert!(hit(&t, "acknowledgedDuration[in,num]=5,10") && hit(&t, "name[in]=jean,doudou"));
        assert!(hit(&t, "name[nin]=jean,marc") && !hit(&t, "name[!in]=doudou"));
        assert!(hit(&t, "valid=true"));
    }

    #[test]
    fn paths_arrays_and_dotted_keys() {
        let t = ticket();
        assert!(hit(&t, "relatedEntity.id=IMB/09001/X/000Q"));
        assert!(hit(&t, "issues.building.address.city.value=Foix"));
        assert!(hit(&t, "relatedEntity.id[match]=^IMB/09001") && hit(&t, "name[=~]=dou.*"));
        assert!(hit(&t, "name[nre]=^jean") && !hit(&t, "name[!~]=dou"));
        assert!(hit(&t, r#"relatedEntity[json]={"id":"IMB/09001/X/000E"}"#));
        assert!(hit(
            &t,
            r#"relatedEntity[emj]={"@referredType":"Building","id":"IMB/09001/X/000Q"}"#
        ));
        assert!(!hit(&t, r#"relatedEntity[emjson]={"id":"IMB/1"}"#));
        assert!(
            hit(&t, r#"relatedEntity[nj]={"id":"IMB/1"}"#)
                && !hit(&t, r#"relatedEntity[!json]={"id":"IMB/09001/X/000E"}"#)
        );
    }

    #[test]
    fn is_and_isnot() {
        let t = ticket();
        for (w, expect) in [
            ("priority[is]=null", true),
            ("name[is]=nnull", true),
            ("priority[=]=exists", true),
            ("nothing[is]=notexists", true),
            ("nothing[is]=nexists", true),
            ("statusChanges[is]=empty", true),
            ("relatedEntity[is]=notempty", true),
            ("acknowledgedDuration[is]=integer", true),
            ("relatedEntity[is]=array", true),
            ("child[is]=object", true),
            ("name[is]=string", true),
            ("valid[is]=boolean", true),
            ("date[is]=date", true),
            ("name[is]=date", false),
            ("name[isnot]=null", true),
            ("priority[isnt]=notnull", true),
            ("name[not]=exists", false),
            ("nothing[nis]=exists", true),
            ("relatedEntity[!]=empty", true),
            ("child[!is]=object", false),
        ] {
            assert_eq!(hit(&t, w), expect, "{w}");
        }
    }

    #[test]
    fn answers_sort_page_and_select() {
        let all: Vec<Value> = (0..12)
            .map(|i| json!({"id": format!("t{i:02}"), "name": if i % 2 == 0 {"a"} else {"b"}, "n": i}))
            .collect();
        let query = Query::parse("sort=%2Bname,-id&offset=1&limit=3&fields=id").unwrap();
        let (page, total) = answer(all.clone(), &query, 50, &[]);
        assert_eq!(total, 12);
        assert_eq!(
            page,
            vec![json!({"id": "t08"}), json!({"id": "t06"}), json!({"id": "t04"})]
        );
        let (page, total) = answer(all, &Query::parse("n[gte,num]=10").unwrap(), 50, &[]);
        assert_eq!((page.len(), total), (2, 2));
    }
}
