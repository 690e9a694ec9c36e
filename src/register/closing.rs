//! Closings as the shop reads them: `comptoir register close|closings`,
//! the Register screen, and their printout (roll and A4). Making and
//! recomputing them is the journal's (`journal::closing`).

use crate::context::Comptoir;
use crate::error::Result;
use crate::journal::{ClosingKind, Period, Record};
use crate::receipt::{self, Section, Ticket};
use crate::types::cents;
use serde::Serialize;

/// One rate's totals.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct RateTotal {
    /// Basis points: 2000 is 20 %.
    #[ts(type = "number")]
    pub rate: i64,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub base: i64,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub tax: i64,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub total: i64,
}

/// What a means of payment took in the period, net of refunds.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct TenderTotal {
    pub tender: String,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount: i64,
}

/// A closing, as `shared/spec/cli.md` names its fields.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Closing {
    pub kind: String,
    pub period: String,
    pub from: String,
    pub to: String,
    /// Its record in the `closing` chain.
    #[ts(type = "number")]
    pub seq: i64,
    /// When it was made (local time with its offset).
    pub at: String,
    pub counter: String,
    #[ts(type = "number")]
    pub receipts: i64,
    #[ts(type = "number")]
    pub refunds: i64,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub period_total: i64,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub perpetual_total: i64,
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub perpetual_absolute: i64,
    pub by_rate: Vec<RateTotal>,
    /// Receipts outside the shop's VAT (agent sales, multi-purpose vouchers).
    #[serde(serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub out_of_scope: i64,
    pub tenders: Vec<TenderTotal>,
    pub currency: String,
    pub hash: String,
    pub signature: Option<String>,
    /// Made by this command (false: it was made before).
    pub made: bool,
}

impl Closing {
    pub fn of(r: &Record, made: bool) -> Self {
        let v = &r.values;
        let n = |k: &str| v[k].as_i64().unwrap_or(0);
        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
        Closing {
            kind: s("kind"),
            period: s("period"),
            from: s("from"),
            to: s("to"),
            seq: r.seq,
            at: r.at.clone(),
            counter: r.counter.clone(),
            receipts: n("receipts"),
            refunds: n("refunds"),
            period_total: n("period_total"),
            perpetual_total: n("perpetual_total"),
            perpetual_absolute: n("perpetual_absolute"),
            by_rate: v["taxes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| {
                    let n = |k: &str| t[k].as_i64().unwrap_or(0);
                    RateTotal {
                        rate: n("rate"),
                        base: n("base"),
                        tax: n("tax"),
                        total: n("total"),
                    }
                })
                .collect(),
            out_of_scope: n("out_of_scope"),
            tenders: v["tenders"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| TenderTotal {
                    tender: t["tender"].as_str().unwrap_or("").to_string(),
                    amount: t["amount"].as_i64().unwrap_or(0),
                })
                .collect(),
            currency: s("currency"),
            hash: r.hash.clone(),
            signature: r.signature.clone(),
            made,
        }
    }
}

/// `register close KIND [--date DAY]`: the closing of the period holding
/// `day` (default: the last one over), made now if it is due.
pub async fn close(app: &Comptoir, kind: ClosingKind, day: Option<chrono::NaiveDate>) -> Result<Closing> {
    let fiscal_end = app.journal.fiscal_year_end();
    let today = chrono::Local::now().date_naive();
    let period = match day {
        Some(d) => Period::of(kind, d, fiscal_end),
        // The last period over: the one holding the day before this one's start.
        None => {
            let current = Period::of(kind, today, fiscal_end);
            Period::of(kind, current.from.pred_opt().unwrap_or(today), fiscal_end)
        }
    };
    let (record, made) = app.journal.close_period(period).await?;
    Ok(Closing::of(&record, made))
}

/// The closings made, newest first.
pub async fn list(app: &Comptoir, kind: Option<ClosingKind>) -> Result<Vec<Closing>> {
    app.journal.close_due().await?;
    let mut all: Vec<Closing> = app
        .journal
        .closings(kind)
        .await?
        .iter()
        .map(|r| Closing::of(r, false))
        .collect();
    all.reverse();
    Ok(all)
}

/// One closing, by its record's number in the `closing` chain.
pub async fn by_seq(app: &Comptoir, seq: i64) -> Result<Closing> {
    app.journal
        .register_range(crate::journal::closing::CHAIN, seq - 1, seq)
        .await?
        .first()
        .map(|r| Closing::of(r, false))
        .ok_or_else(|| {
            crate::error::Error::invalid("register.no_closing", format!("no closing n° {seq} in the register"))
                .with("seq", seq)
        })
}

struct Words {
    title: &'static str,
    day: &'static str,
    month: &'static str,
    year: &'static str,
    receipts: &'static str,
    refunds: &'static str,
    vat: &'static str,
    base: &'static str,
    tax: &'static str,
    incl: &'static str,
    out_of_scope: &'static str,
    by_tender: &'static str,
    period_total: &'static str,
    perpetual_total: &'static str,
    perpetual_absolute: &'static str,
    record: &'static str,
    key: &'static str,
}

const FR: Words = Words {
    title: "Clôture",
    day: "journalière",
    month: "mensuelle",
    year: "de l'exercice",
    receipts: "Tickets",
    refunds: "Remboursements",
    vat: "TVA",
    base: "HT",
    tax: "TVA",
    incl: "TTC",
    out_of_scope: "Hors champ de TVA",
    by_tender: "Par moyen de paiement",
    period_total: "Total de la période",
    perpetual_total: "Grand total perpétuel",
    perpetual_absolute: "Total perpétuel absolu",
    record: "Clôture",
    key: "Clé publique de signature",
};

const EN: Words = Words {
    title: "Closing",
    day: "daily",
    month: "monthly",
    year: "fiscal year",
    receipts: "Receipts",
    refunds: "Refunds",
    vat: "VAT",
    base: "excl.",
    tax: "VAT",
    incl: "incl.",
    out_of_scope: "Outside VAT",
    by_tender: "By means of payment",
    period_total: "Period total",
    perpetual_total: "Perpetual grand total",
    perpetual_absolute: "Perpetual absolute total",
    record: "Closing",
    key: "Public signing key",
};

/// The closing's printout: its totals, its record, its signature and
/// the public key that checks it.
pub fn ticket(app: &Comptoir, c: &Closing) -> Result<Ticket> {
    let settings = app.settings()?;
    let w = receipt::words(&settings);
    let t = if w.lang == "fr" { &FR } else { &EN };
    let money = |v: i64| receipt::money(v, &c.currency, w);
    let kind = match c.kind.as_str() {
        "day" => t.day,
        "month" => t.month,
        _ => t.year,
    };
    let mut facts = vec![
        (t.receipts.to_string(), c.receipts.to_string()),
        (t.refunds.to_string(), c.refunds.to_string()),
    ];
    let mut taxes = Vec::new();
    for r in &c.by_rate {
        taxes.push((
            format!("{} {} %", t.vat, crate::types::tax::rate_text(r.rate)),
            format!(
                "{} {}  {} {}  {} {}",
                t.base,
                money(r.base),
                t.tax,
                money(r.tax),
                t.incl,
                money(r.total)
            ),
        ));
    }
    taxes.push((t.out_of_scope.to_string(), money(c.out_of_scope)));
    let tenders = c
        .tenders
        .iter()
        .map(|p| {
            let name = match p.tender.parse::<crate::types::Tender>() {
                Ok(crate::types::Tender::Cash) => w.cash.to_string(),
                Ok(crate::types::Tender::Card) => w.card.to_string(),
                Ok(crate::types::Tender::InternetPlus) => w.internet_plus.to_string(),
                Err(_) => p.tender.clone(),
            };
            (name, money(p.amount))
        })
        .collect();
    facts.push((t.period_total.into(), money(c.period_total)));
    facts.push((t.perpetual_total.into(), money(c.perpetual_total)));
    facts.push((t.perpetual_absolute.into(), money(c.perpetual_absolute)));
    let key = super::public_key(app)?;
    let mut record = vec![
        (t.record.to_string(), format!("n° {}", c.seq)),
        ("SHA-256".to_string(), c.hash.clone()),
    ];
    if let Some(s) = &c.signature {
        record.push(("Ed25519".into(), s.clone()));
    }
    let siret = settings.get_str(crate::settings::SIRET).map(str::to_string);
    let day = |d: &str| {
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .map(|d| {
                d.format(if w.lang == "fr" { "%d/%m/%Y" } else { "%Y-%m-%d" })
                    .to_string()
            })
            .unwrap_or_else(|_| d.to_string())
    };
    let period = match c.kind.as_str() {
        "day" => day(&c.from),
        "month" => c
            .from
            .get(..7)
            .map(|m| format!("{}/{}", &m[5..], &m[..4]))
            .unwrap_or_default(),
        _ => format!("{} – {}", day(&c.from), day(&c.to)),
    };
    let mut notes = vec![t.key.to_string()];
    notes.extend(key.lines().map(str::to_string));
    Ok(Ticket {
        shop: settings
            .get_str(crate::settings::SHOP_NAME)
            .unwrap_or("Comptoir")
            .to_string(),
        address: settings.get_str(crate::settings::SHOP_ADDRESS).map(str::to_string),
        order_id: format!(
            "{} {}",
            c.counter,
            siret.map(|s| format!("SIRET {s}")).unwrap_or_default()
        ),
        date: receipt::local_time(&c.at),
        product: format!("{} {kind} {period}", t.title),
        price: money(c.period_total),
        sections: vec![
            Section {
                heading: None,
                qr: None,
                facts,
            },
            Section {
                heading: Some(t.vat.into()),
                qr: None,
                facts: taxes,
            },
            Section {
                heading: Some(t.by_tender.into()),
                qr: None,
                facts: tenders,
            },
            Section {
                heading: None,
                qr: None,
                facts: record,
            },
        ],
        facts: Vec::new(),
        notes,
        colon: w.colon,
    })
}
