//! The shop's Internet+ offers, as Settings lists them: the offer id from
//! W-HA's console, a name, the amount, one-off or subscription (and its
//! period), and optionally what it sells: an item of another provider's
//! catalog (an eSIM, a gift card) delivered before the payment is confirmed.
//! The console stays the truth: an offer not listed can still be used from
//! the CLI (its amount is then learned from the transaction).

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::types::ProviderId;
use serde::{Deserialize, Serialize};

/// Settings key of the list.
pub const OFFERS: &str = "internet_plus.offers";

/// What an offer sells, delivered through that provider's own sale flow.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sells {
    /// `orange-travel` (an eSIM offer id) or `amilon` (a gift-card product code).
    pub provider: ProviderId,
    pub product: String,
}

#[derive(ts_rs::TS, Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayOffer {
    /// The console's offer id (`ID Offre`).
    pub id: String,
    pub name: String,
    #[serde(rename = "amount", with = "units")]
    #[ts(type = "number")]
    pub amount_cents: i64,
    /// `WEEKLY`, `MONTHLY`... for a subscription; none for a one-off purchase.
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub sells: Option<Sells>,
}

/// Amounts in settings and JSON as euros (`4.99`), kept in cents.
mod units {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
        crate::types::cents::serialize(v, s)
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        crate::providers::internet_plus::model::cents(&v)
            .ok_or_else(|| serde::de::Error::custom("an amount in euros, at most two decimals"))
    }
}

/// The offers in Settings; in training with none listed, the simulator's.
pub fn list(app: &Comptoir) -> Result<Vec<PayOffer>> {
    let listed = app.settings()?.all().get(OFFERS).cloned();
    if let Some(v) = listed {
        return serde_json::from_value(v).map_err(|e| {
            Error::config(
                "internet_plus.bad_offers",
                format!("the Internet+ offers in Settings are unreadable: {e}"),
            )
        });
    }
    if matches!(app.mode(ProviderId::InternetPlus), Ok(crate::config::Mode::Training)) {
        return Ok(crate::providers::internet_plus::sim::OFFERS
            .iter()
            .map(|(id, name, cents, period)| PayOffer {
                id: id.to_string(),
                name: name.to_string(),
                amount_cents: *cents,
                period: period.map(str::to_string),
                sells: None,
            })
            .collect());
    }
    Ok(Vec::new())
}

/// One offer by its console id, when Settings lists it.
pub fn find(app: &Comptoir, id: &str) -> Result<Option<PayOffer>> {
    Ok(list(app)?.into_iter().find(|o| o.id == id))
}

/// Adds or replaces an offer in Settings; what it sells must be in the
/// catalog as last synced (else every payment of it would fail to deliver).
pub async fn save(app: &Comptoir, offer: PayOffer) -> Result<()> {
    check(&offer)?;
    if let Some(s) = &offer.sells {
        if crate::catalog::get(&app.journal, s.provider, s.product.trim())
            .await?
            .is_none()
        {
            return Err(Error::invalid(
                "internet_plus.unknown_sells",
                format!(
                    "{}'s catalog has no `{}`: sync the catalog (`comptoir sync`), then choose a product it lists",
                    s.provider.display_name(),
                    s.product.trim()
                ),
            )
            .with("provider", s.provider.as_str())
            .with("product", s.product.trim()));
        }
    }
    let mut all = list(app)?;
    all.retain(|o| o.id != offer.id);
    all.push(offer);
    app.set_setting(OFFERS, Some(serde_json::to_value(all).expect("JSON")))
}

/// Removes an offer from Settings (W-HA's console keeps it).
pub fn remove(app: &Comptoir, id: &str) -> Result<()> {
    let mut all = list(app)?;
    let before = all.len();
    all.retain(|o| o.id != id);
    if all.len() == before {
        return Err(Error::invalid(
            "internet_plus.unknown_offer",
            format!("no Internet+ offer `{id}` in Settings"),
        )
        .with("offer", id));
    }
    app.set_setting(OFFERS, Some(serde_json::to_value(all).expect("JSON")))
}

fn check(o: &PayOffer) -> Result<()> {
    let id_ok = !o.id.is_empty()
        && o.id.len() <= 64
        && o.id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !id_ok {
        return Err(Error::invalid(
            "internet_plus.bad_offer_id",
            "the offer id is the console's `ID Offre` (letters, digits, - or _)",
        ));
    }
    if o.name.trim().is_empty() {
        return Err(Error::invalid("internet_plus.bad_offer_name", "give the offer a name"));
    }
    crate::types::text::field(
        "internet_plus.bad_offer_name",
        "the offer's name",
        &o.name,
        crate::types::text::NAME_MAX,
    )?;
    if !(1..=10_000_000).contains(&o.amount_cents) {
        return Err(Error::invalid(
            "internet_plus.bad_amount",
            "the amount is between 0.01 and 100000.00",
        ));
    }
    if let Some(s) = &o.sells {
        if !matches!(s.provider, ProviderId::OrangeTravel | ProviderId::Amilon) || s.product.trim().is_empty() {
            return Err(Error::invalid(
                "internet_plus.bad_sells",
                "an offer sells an Orange Travel eSIM (offer id) or an Amilon gift card (product code)",
            ));
        }
    }
    Ok(())
}
