//! Orange Travel B2B at the counter: eSIM and top-up sales, the eSIM the
//! customer leaves with (QR, number, PIN, PUK), the shop's distributor key,
//! line support (SIM status, usage), the catalog sync and the ticket's
//! sections. The wire side is `providers::orange_travel`.

pub mod card;
pub mod keys;
pub mod receipt;
pub mod sale;
pub mod support;

pub use card::{card, kyc_url, qr_image, EsimCard, KYC_DAYS};
pub use sale::{reconcile_one, sell_esim, sell_topup, TopupTarget};

use crate::catalog::{self, OnStep};
use crate::context::Comptoir;
use crate::error::Result;
use crate::providers::orange_travel::{self, Client};
use crate::types::ProviderId;

/// The Orange Travel client in force (training or live), and whether it is training.
pub async fn client(app: &Comptoir) -> Result<(Client, bool)> {
    let (config, training) = app.provider_config(ProviderId::OrangeTravel).await?;
    Ok((
        Client::new(&config, training, app.tokens(), app.http().clone())?,
        training,
    ))
}

/// Replaces the cached catalog with Orange's offers and suppliers (a
/// supplier's outage disables its offers). Returns the item count.
pub async fn sync(app: &Comptoir, on_step: OnStep<'_>) -> Result<(usize, bool)> {
    on_step("offers");
    let (client, training) = client(app).await?;
    let (offers, suppliers) = tokio::try_join!(client.offers(), client.suppliers())?;
    // Names for the counter's search; a server without `/countries` (the
    // prose document has none) leaves the codes alone.
    let names = match client.countries().await {
        Ok(list) => list.into_iter().filter_map(|c| Some((c.iso_code, c.name?))).collect(),
        Err(e) => {
            tracing::info!(code = %e.code, "no country names from Orange: codes only");
            Default::default()
        }
    };
    let items = orange_travel::catalog_items(&offers, &suppliers, &names);
    catalog::replace(&app.journal, ProviderId::OrangeTravel, &items).await?;
    tracing::info!(items = items.len(), training, "Orange Travel catalog synced");
    Ok((items.len(), training))
}
