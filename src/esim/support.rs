//! Customer support on a past sale: the SIM's status and what is left of
//! its plan. Each answer is kept, so with the network down support still
//! sees the last known one, with its age.

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::Order;
use crate::lookup::{cached, Lookup};
use crate::providers::orange_travel::client::UsageBy;
use crate::providers::orange_travel::model::{SimStatus, UsageBalances};
use crate::types::ProviderId;

/// A SIM's status with what it means, as the order page shows it.
#[derive(ts_rs::TS, Debug, Clone, serde::Serialize)]
pub struct SimStatusView {
    #[serde(flatten)]
    #[ts(flatten)]
    pub lookup: Lookup<SimStatus>,
    pub meaning: &'static str,
}

/// The SIM status of a sold line and its meaning.
pub async fn sim_status_view(app: &Comptoir, order_id: &str) -> Result<SimStatusView> {
    let lookup = sim_status(app, order_id).await?;
    let meaning = status_meaning(&lookup.data.status);
    Ok(SimStatusView { lookup, meaning })
}

/// What each status of the document's table means for the cashier.
pub fn status_meaning(status: &str) -> &'static str {
    match status {
        "free" => "the (e)SIM is not attached to any plan",
        "not installed" => "the eSIM is not installed on the phone yet",
        "available" => "the line is active",
        "suspended fraud" => "the operator suspended the line after unusual use",
        "suspended kyc default" => "suspended: the customer did not register an identity document",
        "suspended by operator" => "the operator suspended the line",
        "suspended following a theft or loss" => "suspended after a theft or loss",
        "expired" => "the line has expired and cannot be used",
        "uninstalled" => "the eSIM was removed from the phone it was installed on",
        "revoked by operator" => "the operator revoked the line",
        "sim swap" => "the SIM was swapped",
        _ => "status unknown to Comptoir",
    }
}

fn line_of(order: &Order) -> Result<(String, String)> {
    if order.provider != ProviderId::OrangeTravel {
        return Err(Error::invalid(
            "support.not_orange",
            format!("order {} is not an Orange Travel sale", order.id),
        ));
    }
    let trx = order.provider_ref.clone().ok_or_else(|| {
        Error::invalid(
            "support.not_delivered",
            format!("order {} has no Orange transaction", order.id),
        )
    })?;
    let supplier = order
        .details
        .get("supplier_id")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| {
            Error::invalid(
                "support.no_supplier",
                format!("order {} does not say which supplier it is from", order.id),
            )
        })?;
    Ok((supplier, trx))
}

pub async fn sim_status(app: &Comptoir, order_id: &str) -> Result<Lookup<SimStatus>> {
    let order = app.journal.get(order_id).await?;
    let (supplier, trx) = line_of(&order)?;
    let key = format!("orange-travel:simstatus:{order_id}");
    cached(app, &key, async {
        let (client, _) = super::client(app).await?;
        client.sim_status(&supplier, &trx).await
    })
    .await
}

pub async fn usage_of_order(app: &Comptoir, order_id: &str) -> Result<Lookup<UsageBalances>> {
    let order = app.journal.get(order_id).await?;
    let (supplier, trx) = line_of(&order)?;
    let key = format!("orange-travel:usage:{order_id}");
    cached(app, &key, async {
        let (client, _) = super::client(app).await?;
        client.usage_balances(&supplier, UsageBy::Transaction(&trx)).await
    })
    .await
}

/// Usage of a Welcome Travelers SIM by its id (sold here or not).
pub async fn usage_of_sim(app: &Comptoir, sim_id: &str) -> Result<Lookup<UsageBalances>> {
    let sim_id = crate::providers::orange_travel::validate_sim_id(sim_id)?;
    let key = format!("orange-travel:usage-sim:{sim_id}");
    cached(app, &key, async {
        let (client, _) = super::client(app).await?;
        client
            .usage_balances(
                crate::providers::orange_travel::model::SUPPLIER_WELCOME,
                UsageBy::SimId(&sim_id),
            )
            .await
    })
    .await
}

/// Global usage over a period of at most 6 months (checked here, before a
/// request), by region or by country, for a supplier given by name or id.
pub async fn global_balances(
    app: &Comptoir,
    supplier: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    zone_level: &str,
) -> Result<crate::providers::orange_travel::model::GlobalBalances> {
    if !matches!(zone_level, "region" | "country") {
        return Err(Error::invalid(
            "balances.bad_zone",
            "the zone level is `region` or `country`",
        ));
    }
    let six_months_later = from.checked_add_months(chrono::Months::new(6)).unwrap_or(from);
    if to < from || to > six_months_later {
        return Err(Error::invalid(
            "balances.bad_period",
            "the period must end after it starts and last at most 6 months",
        )
        .with("from", from.to_string())
        .with("to", to.to_string()));
    }
    let (client, _) = super::client(app).await?;
    let suppliers = client.suppliers().await?;
    let id = suppliers
        .iter()
        .find(|s| s.id == supplier || s.name.eq_ignore_ascii_case(supplier))
        .map(|s| s.id.clone())
        .ok_or_else(|| {
            Error::invalid(
                "balances.unknown_supplier",
                format!("no supplier `{supplier}` at Orange Travel"),
            )
        })?;
    client
        .global_balances(&id, &from.to_string(), &to.to_string(), zone_level)
        .await
}

/// What the shop may change on an offer (the document's three properties).
#[derive(Debug, Clone, Default)]
pub struct OfferChanges {
    pub name: Option<String>,
    pub fees: Option<f64>,
    /// `percent` or `value`.
    pub fees_type: Option<String>,
    pub metadata: Option<String>,
}

/// Sends the changes, then refreshes the catalog so the counter shows them.
pub async fn customize_offer(
    app: &Comptoir,
    offer_id: &str,
    changes: OfferChanges,
) -> Result<crate::providers::orange_travel::model::Offer> {
    app.require(crate::accounts::Right::Administer, Some(offer_id)).await?;
    let mut patch = serde_json::Map::new();
    if let Some(name) = changes.name.map(|n| n.trim().to_string()) {
        if name.is_empty() || name.chars().count() > 120 {
            return Err(Error::invalid(
                "offers.bad_name",
                "the name must have 1 to 120 characters",
            ));
        }
        patch.insert("name".into(), name.into());
    }
    if let Some(fees) = changes.fees {
        // Bounded so that a price made with them stays a price: at most
        // 100 % of the offer, or 10,000 (euros) as a value.
        let most = if changes.fees_type.as_deref() == Some("percent") {
            100.0
        } else {
            10_000.0
        };
        if !fees.is_finite() || !(0.0..=most).contains(&fees) {
            return Err(Error::invalid(
                "offers.bad_fees",
                format!("fees are a number from 0 to {most} (percent: at most 100)"),
            )
            .with("max", most));
        }
        patch.insert("distributor_fees".into(), fees.into());
    }
    if let Some(t) = changes.fees_type {
        if !matches!(t.as_str(), "percent" | "value") {
            return Err(Error::invalid(
                "offers.bad_fees_type",
                "the fees type is `percent` or `value`",
            ));
        }
        patch.insert("distributor_fees_type".into(), t.into());
    }
    if let Some(m) = changes.metadata {
        patch.insert("metadata".into(), m.into());
    }
    if patch.is_empty() {
        return Err(Error::invalid(
            "offers.nothing_to_change",
            "give a name, fees, a fees type or metadata",
        ));
    }
    let (client, _) = super::client(app).await?;
    let offer = client
        .customize_offer(offer_id, &serde_json::Value::Object(patch))
        .await?;
    app.sync(Some(ProviderId::OrangeTravel)).await?;
    Ok(offer)
}

/// A supplier as the shop names it (`Orange France`, any case) or by
/// Orange's id, as Orange's id; one Orange does not know is refused with
/// the names it does.
pub async fn supplier_id(app: &Comptoir, given: &str) -> Result<String> {
    let (client, _) = super::client(app).await?;
    let suppliers = client.suppliers().await?;
    let given = given.trim();
    let found = suppliers.iter().find(|s| {
        s.id.eq_ignore_ascii_case(given)
            || crate::types::countries::fold(&s.name) == crate::types::countries::fold(given)
    });
    match found {
        Some(s) => Ok(s.id.clone()),
        None => {
            let names: Vec<&str> = suppliers.iter().map(|s| s.name.as_str()).collect();
            Err(Error::invalid(
                "transactions.unknown_supplier",
                format!("no supplier is named {given}: {}", names.join(", ")),
            )
            .with("supplier", given)
            .with("known", names.join(", ")))
        }
    }
}
