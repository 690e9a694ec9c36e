//! The shop's till, provider-blind: which counter this is, the means the
//! shop accepts, how a payment covers a basket and what change comes
//! back, how a failed line is refunded (cash first), and the drawer from
//! its float to its close (`shift`). Buying a basket's lines through
//! their providers is `app::till`'s; what the journal keeps, `journal::till`.

pub mod shift;

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::{Payment, Refund};
use crate::settings::{COUNTER_ID, DEFAULT_TENDER, TENDERS};
use crate::types::tax::{self, Treatment};
use crate::types::Tender;

/// This counter's code, for receipt numbers (`C1-000042`). The
/// environment (`COMPTOIR_COUNTER`) wins over the setting.
pub fn counter(app: &Comptoir) -> Result<String> {
    if let Some(c) = std::env::var("COMPTOIR_COUNTER").ok().filter(|c| !c.is_empty()) {
        crate::settings::check(COUNTER_ID, &c)?;
        return Ok(c);
    }
    let settings = app.settings()?;
    Ok(settings.get_str(COUNTER_ID).unwrap_or(DEFAULT_COUNTER).to_string())
}

pub const DEFAULT_COUNTER: &str = "C1";

/// How VAT applies to what the shop sells: Settings, else the defaults
/// (`types::tax`, written in the README for the accountant to confirm).
#[derive(Default)]
pub struct Taxes(std::collections::BTreeMap<String, Treatment>);

impl Taxes {
    pub fn of(&self, provider: &str, kind: &str) -> Treatment {
        self.0
            .get(&tax::setting_key(provider, kind))
            .copied()
            .unwrap_or_else(|| tax::default_for(provider, kind))
    }
}

pub fn taxes(app: &Comptoir) -> Result<Taxes> {
    let settings = app.settings()?;
    let mut set = std::collections::BTreeMap::new();
    for (provider, kind, _) in tax::DEFAULTS {
        let key = tax::setting_key(provider, kind);
        if let Some(v) = settings.get_str(&key) {
            set.insert(key, v.parse()?);
        }
    }
    Ok(Taxes(set))
}

/// A receipt is a dummy when every provider it buys from is in training.
pub fn training(app: &Comptoir, providers: impl IntoIterator<Item = crate::types::ProviderId>) -> Result<bool> {
    for p in providers {
        if !matches!(app.mode(p)?, crate::config::Mode::Training) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The shop's SIRET, when set.
pub fn siret(app: &Comptoir) -> Result<Option<String>> {
    Ok(app
        .settings()?
        .get_str(crate::settings::SIRET)
        .map(|s| s.replace(' ', "")))
}

/// The means the shop accepts (Settings; all of them when unset).
pub fn accepted(app: &Comptoir) -> Result<Vec<Tender>> {
    let settings = app.settings()?;
    match settings.get_str(TENDERS) {
        None => Ok(Tender::ALL.to_vec()),
        Some(list) => list.split(',').map(|t| t.trim().parse()).collect(),
    }
}

/// The means a one-line sale is paid by when none is said.
pub fn default_tender(app: &Comptoir) -> Result<Tender> {
    let settings = app.settings()?;
    settings.get_str(DEFAULT_TENDER).unwrap_or("card").parse()
}

/// What Settings › Till shows and saves.
#[derive(ts_rs::TS, Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TillSettings {
    /// This counter's code (receipt numbers start with it).
    pub counter: String,
    /// The means the shop takes.
    pub tenders: Vec<Tender>,
    /// How `comptoir sell` is paid when no means is said.
    pub default_tender: Tender,
}

pub fn settings(app: &Comptoir) -> Result<TillSettings> {
    Ok(TillSettings {
        counter: counter(app)?,
        tenders: accepted(app)?,
        default_tender: default_tender(app)?,
    })
}

/// Saves Settings › Till (the owner's); each value checked before any is written.
pub fn set_settings(app: &Comptoir, s: &TillSettings) -> Result<()> {
    if s.tenders.is_empty() {
        return Err(Error::invalid(
            "till.no_tender",
            "the shop takes at least one means of payment",
        ));
    }
    if s.default_tender == Tender::InternetPlus || !s.tenders.contains(&s.default_tender) {
        return Err(Error::invalid(
            "till.bad_default_tender",
            "the default means is cash or card, and one the shop takes",
        ));
    }
    let tenders = s.tenders.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(",");
    let counter = s.counter.trim();
    for (key, value) in [
        (COUNTER_ID, counter),
        (TENDERS, tenders.as_str()),
        (DEFAULT_TENDER, s.default_tender.as_str()),
    ] {
        app.check_setting(key, Some(&serde_json::json!(value)))?;
    }
    app.set_setting(COUNTER_ID, Some(counter.into()))?;
    app.set_setting(TENDERS, Some(tenders.into()))?;
    app.set_setting(DEFAULT_TENDER, Some(s.default_tender.as_str().into()))
}

/// A line the cashier asks for: what the counter's forms and the
/// command line's `basket add` give.
#[derive(ts_rs::TS, Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum LineRequest {
    Esim {
        offer: String,
    },
    Topup {
        offer: String,
        msisdn: Option<String>,
        sim_id: Option<String>,
    },
    Giftcard {
        product: String,
        quantity: u32,
    },
}

impl LineRequest {
    /// The request that would make this line again (checked again at payment).
    pub fn of(line: &crate::journal::BasketLine) -> Option<LineRequest> {
        use crate::types::OrderKind;
        match line.kind {
            OrderKind::Esim => Some(LineRequest::Esim {
                offer: line.product.clone(),
            }),
            OrderKind::Topup => Some(LineRequest::Topup {
                offer: line.product.clone(),
                msisdn: line.msisdn.clone(),
                sim_id: line.sim_id.clone(),
            }),
            OrderKind::Giftcard => Some(LineRequest::Giftcard {
                product: line.product.clone(),
                quantity: line.quantity,
            }),
            _ => None,
        }
    }
}

/// What the customer hands over for a basket.
#[derive(ts_rs::TS, Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
#[ts(optional_fields)]
pub struct Tendered {
    /// Cash handed over, in cents (may exceed what is due: change).
    #[ts(type = "number | null")]
    pub cash: Option<i64>,
    /// Paid on the card terminal, in cents.
    #[ts(type = "number | null")]
    pub card: Option<i64>,
    /// The terminal's authorisation number, when the cashier keys it.
    pub authorisation: Option<String>,
}

/// How the tendered amounts pay `total`: each means' share and the change.
/// Card pays at most what is due (a terminal gives no change); cash pays
/// the rest, and what it exceeds by comes back as change.
pub fn plan(total: i64, given: &Tendered, accepted: &[Tender]) -> Result<(Vec<Payment>, i64)> {
    let card = given.card.unwrap_or(0);
    let cash = given.cash.unwrap_or(0);
    for (tender, amount) in [(Tender::Card, card), (Tender::Cash, cash)] {
        if amount > 0 && !accepted.contains(&tender) {
            return Err(Error::invalid(
                "till.tender_refused",
                format!("the shop does not take {tender} (Settings › Till)"),
            )
            .with("tender", tender.as_str()));
        }
    }
    if card > total {
        return Err(Error::invalid(
            "till.card_too_much",
            "the card pays more than is due: a card terminal gives no change; key the amount due",
        )
        .with("due", crate::types::cents::to_units(total)));
    }
    if card + cash < total {
        return Err(Error::invalid(
            "till.short",
            format!(
                "{} is still due: the payment must cover the total",
                crate::types::cents::format(total - card - cash)
            ),
        )
        .with("missing", crate::types::cents::to_units(total - card - cash)));
    }
    if let Some(a) = &given.authorisation {
        crate::types::text::check("authorisation", a, 32, false)
            .map_err(|why| Error::invalid("till.bad_authorisation", why))?;
    }
    let change = cash + card - total;
    let mut payments = Vec::new();
    if cash > 0 {
        payments.push(Payment {
            tender: Tender::Cash,
            amount_cents: cash - change,
            given_cents: Some(cash),
            authorisation: None,
        });
    }
    if card > 0 {
        payments.push(Payment {
            tender: Tender::Card,
            amount_cents: card,
            given_cents: None,
            authorisation: given.authorisation.clone().filter(|a| !a.trim().is_empty()),
        });
    }
    Ok((payments, change))
}

/// How `amount` goes back to the customer for a failed line: through
/// cash first (as far as cash paid, less what was already given back),
/// then the card, then the rest.
pub fn allocate_refund(payments: &[Payment], already: &[Refund], amount: i64) -> Vec<(Tender, i64)> {
    let mut left = amount;
    let mut out = Vec::new();
    let mut means: Vec<&Payment> = payments.iter().collect();
    means.sort_by_key(|p| p.tender.refund_rank());
    for p in means {
        if left == 0 {
            break;
        }
        let given_back: i64 = already
            .iter()
            .filter(|r| r.tender == p.tender)
            .map(|r| r.amount_cents)
            .sum();
        let room = (p.amount_cents - given_back).max(0);
        let take = room.min(left);
        if take > 0 {
            out.push((p.tender, take));
            left -= take;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tendered(cash: Option<i64>, card: Option<i64>) -> Tendered {
        Tendered {
            cash,
            card,
            authorisation: None,
        }
    }

    #[test]
    fn cash_and_card_cover_the_total_and_cash_gives_the_change() {
        let all = Tender::ALL;
        // 80 € due: 50 € cash and 30 € card, no change.
        let (p, change) = plan(8000, &tendered(Some(5000), Some(3000)), &all).unwrap();
        assert_eq!(change, 0);
        assert_eq!(
            p.iter().map(|p| (p.tender, p.amount_cents)).collect::<Vec<_>>(),
            [(Tender::Cash, 5000), (Tender::Card, 3000)]
        );
        // 30 € due, 50 € in cash: 20 € back, 30 € kept.
        let (p, change) = plan(3000, &tendered(Some(5000), None), &all).unwrap();
        assert_eq!((change, p[0].amount_cents, p[0].given_cents), (2000, 3000, Some(5000)));
        assert_eq!(
            plan(3000, &tendered(Some(1000), Some(1000)), &all).unwrap_err().code,
            "till.short"
        );
        assert_eq!(
            plan(3000, &tendered(None, Some(3100)), &all).unwrap_err().code,
            "till.card_too_much"
        );
        assert_eq!(
            plan(3000, &tendered(Some(3000), None), &[Tender::Card])
                .unwrap_err()
                .code,
            "till.tender_refused"
        );
    }

    #[test]
    fn a_refund_goes_back_in_cash_first_then_by_card() {
        let payments = [
            Payment {
                tender: Tender::Card,
                amount_cents: 3000,
                given_cents: None,
                authorisation: None,
            },
            Payment {
                tender: Tender::Cash,
                amount_cents: 5000,
                given_cents: Some(5000),
                authorisation: None,
            },
        ];
        assert_eq!(allocate_refund(&payments, &[], 2500), [(Tender::Cash, 2500)]);
        let earlier = Refund {
            receipt: "C1-1".into(),
            line: 1,
            tender: Tender::Cash,
            amount_cents: 4000,
            shift: None,
            created_at: String::new(),
            reason: String::new(),
        };
        assert_eq!(
            allocate_refund(&payments, &[earlier], 2500),
            [(Tender::Cash, 1000), (Tender::Card, 1500)]
        );
    }
}
