//! What the customer leaves with after an eSIM sale: the QR code to scan,
//! the line's number, PIN and PUK, and the identity-registration duty. The
//! activation code is decrypted here, on demand, and never stored in clear;
//! every time it is shown the order's history records it.

use crate::context::Comptoir;
use crate::counters::Sold;
use crate::crypto;
use crate::error::{Error, Result};
use crate::journal::OrderKind;
use crate::qr;
use serde::Serialize;

/// Prepaid lines must register an identity document within 30 days of
/// purchase or be cut (the document's KYC section).
pub const KYC_DAYS: i64 = 30;

#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct EsimCard {
    pub order_id: String,
    pub product_name: String,
    /// The LPA activation code: a secret, shown as a QR to the customer.
    pub activation_code: String,
    pub qr_svg: String,
    pub phone: Option<String>,
    pub iccid: Option<String>,
    pub pin: Option<String>,
    pub puk: Option<String>,
    pub data_gb: Option<f64>,
    pub validity_days: Option<f64>,
    pub kyc_url: Option<&'static str>,
    /// Last day to register the identity document (YYYY-MM-DD).
    pub kyc_deadline: String,
}

/// The registration form for the supplier's lines (document, KYC section).
pub fn kyc_url(supplier: &str) -> Option<&'static str> {
    match supplier {
        "Orange France" => Some("https://travel.orange.com/fr/orange-holidays"),
        "Welcome Travelers" => Some("https://travel.orange.com/fr/welcome-travelers"),
        _ => None,
    }
}

struct Sealed {
    code: String,
    pin: Option<String>,
    puk: Option<String>,
}

async fn open_sealed(app: &Comptoir, sold: &Sold) -> Result<(Sealed, String)> {
    let order = &sold.order;
    if order.kind != OrderKind::Esim {
        return Err(Error::invalid(
            "esim.not_an_esim",
            format!("order {} is not an eSIM sale", order.id),
        ));
    }
    let sealed = sold.sealed.clone().ok_or_else(|| {
        Error::invalid(
            "esim.no_code",
            format!("order {} has no activation code (not delivered?)", order.id),
        )
    })?;
    // Sealed (`v1:`) since PIN and PUK are kept out of the clear; an older
    // journal's plain JSON still reads.
    let plain = if sealed.starts_with("v1:") {
        crate::seal::open(app.secrets(), &sealed)?.expose().to_string()
    } else {
        sealed
    };
    let v: serde_json::Value = serde_json::from_str(&plain)
        .map_err(|_| Error::internal("esim.sealed_corrupt", "the stored activation code is unreadable"))?;
    let text = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    let key = super::keys::require(app)?;
    let clear = crypto::decrypt_activation_code(&key, &text("activation_code").unwrap_or_default())?;
    let matching = text("matching_id").filter(|m| !m.is_empty());
    let smdp = order.details.get("smdp_url").and_then(|x| x.as_str());
    // A bare matching id may come in the activation code or beside it.
    let decrypted = matching
        .filter(|_| !clear.expose().contains('$'))
        .unwrap_or_else(|| clear.expose().to_string());
    let payload = qr::lpa_payload(&decrypted, smdp)?;
    Ok((
        Sealed {
            code: payload.clone(),
            pin: text("pin_code"),
            puk: text("puk"),
        },
        payload,
    ))
}

/// The card for the QR screen; records the reveal in the order's history.
pub async fn card(app: &Comptoir, order_id: &str) -> Result<EsimCard> {
    let sold = crate::counters::sold(app, order_id).await?;
    let card = card_of(app, &sold).await?;
    crate::counters::note_reveal(app, &sold, "eSIM activation code shown").await?;
    Ok(card)
}

/// The card for a ticket: nothing is recorded here, since the ticket may
/// never reach paper; printing records the reveal once it did (`app::print`).
pub async fn card_for_ticket(app: &Comptoir, order_id: &str) -> Result<EsimCard> {
    card_of(app, &crate::counters::sold(app, order_id).await?).await
}

/// The card of a sale, this counter's or another's (`counters::sold`).
async fn card_of(app: &Comptoir, sold: &Sold) -> Result<EsimCard> {
    let order = &sold.order;
    app.require_reveal(order).await?;
    let (sealed, payload) = open_sealed(app, sold).await?;
    let detail = |k: &str| order.details.get(k).and_then(|x| x.as_f64());
    let supplier = order.details.get("supplier").and_then(|x| x.as_str()).unwrap_or("");
    let bought = chrono::DateTime::parse_from_rfc3339(&order.created_at)
        .map_err(|_| Error::internal("esim.bad_date", "the order's date is unreadable"))?;
    Ok(EsimCard {
        order_id: order.id.clone(),
        product_name: order.product_name.clone(),
        qr_svg: qr::svg(&payload)?,
        activation_code: sealed.code,
        phone: order.phone.clone(),
        iccid: order.iccid.clone(),
        pin: sealed.pin,
        puk: sealed.puk,
        data_gb: detail("data_gb"),
        validity_days: detail("validity_days"),
        kyc_url: kyc_url(supplier),
        kyc_deadline: (bought + chrono::Duration::days(KYC_DAYS))
            .format("%Y-%m-%d")
            .to_string(),
    })
}

/// The QR image of an order's activation code: PNG or SVG.
pub async fn qr_image(app: &Comptoir, order_id: &str, svg: bool) -> Result<Vec<u8>> {
    let sold = crate::counters::sold(app, order_id).await?;
    let (_, payload) = open_sealed(app, &sold).await?;
    let what = if svg {
        "QR code written (SVG)"
    } else {
        "QR code written (PNG)"
    };
    crate::counters::note_reveal(app, &sold, what).await?;
    if svg {
        Ok(qr::svg(&payload)?.into_bytes())
    } else {
        qr::png(&payload, 8)
    }
}
