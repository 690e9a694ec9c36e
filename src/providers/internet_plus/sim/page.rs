//! The operator's payment page (Orange's or Bouygues Telecom's, as the
//! simulator plays it): the customer confirms or cancels, and is sent back to
//! the shop's return URL with a query signed as W-HA signs it.

use super::super::model::status::*;
use super::super::signature;
use super::{money, now, Arc, Sim, Sub, Trx, World, DEFAULT_RETURN_URL, HMAC_SECRET, OFFERS, PAGE_PATH};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Duration;

/// The customer's answer on the page: the transaction (and subscription)
/// made or not, and the signed return URL.
pub(super) fn pay(w: &mut World, sid: &str, confirm: bool) -> Option<String> {
    let now = now(w);
    let s = w
        .sessions
        .iter_mut()
        .find(|s| s.id == sid && !s.ended && s.expires > now)?;
    s.ended = true;
    let s = s.clone();
    let offer = OFFERS.iter().find(|o| o.0 == s.offer_id)?;
    let mut params = vec![
        ("requestMerchantId", s.request_merchant_id.clone()),
        ("sid", s.id.clone()),
    ];
    if confirm {
        let user_id = format!("u{:015x}", crate::secrets::stable_hash(s.client_ip.as_bytes()) >> 4);
        let trx = Trx {
            id: uuid::Uuid::new_v4().to_string(),
            operator: s.operator,
            offer_id: s.offer_id.clone(),
            user_id: user_id.clone(),
            amount_cents: offer.2,
            status: AUTHORIZED.into(),
            created: now,
            confirm_or_cancel: None,
            refund: None,
        };
        params.insert(0, ("trxId", trx.id.clone()));
        if let Some(period) = offer.3 {
            let sub = Sub {
                id: uuid::Uuid::new_v4().to_string(),
                operator: s.operator,
                offer_id: s.offer_id.clone(),
                user_id,
                status: PENDING.into(),
                created: now,
                next_charge: now
                    + if period == "WEEKLY" {
                        Duration::weeks(1)
                    } else {
                        Duration::days(30)
                    },
                closing: None,
                trx: vec![trx.id.clone()],
            };
            params.push(("subId", sub.id.clone()));
            w.subscriptions.push(sub);
        }
        w.transactions.push(trx);
    }
    params.push((
        "action",
        if confirm { "purchaseSuccess" } else { "purchaseFailure" }.to_string(),
    ));
    let query = params
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let h = signature::sign(HMAC_SECRET, &query);
    let base = w.return_url.clone().unwrap_or_else(|| DEFAULT_RETURN_URL.to_string());
    let sep = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{sep}{query}&h={h}"))
}

/// The operator's payment page (Orange's or Bouygues Telecom's).
pub(super) async fn page(State(sim): State<Arc<Sim>>, Path(sid): Path<String>) -> Response {
    let w = sim.world.lock().unwrap();
    let now = now(&w);
    let Some(s) = w.sessions.iter().find(|s| s.id == sid) else {
        return (StatusCode::NOT_FOUND, Html("<p>Session inconnue.</p>".to_string())).into_response();
    };
    if s.ended || s.expires <= now {
        return Html("<p>Cette session de paiement est terminée.</p>".to_string()).into_response();
    }
    let offer = OFFERS.iter().find(|o| o.0 == s.offer_id).expect("known offer");
    let amount = money(offer.2).replace('.', ",");
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>{op} — Internet+</title>\
         <h1>Votre récapitulatif de paiement</h1><p>{name}</p>\
         <p>En confirmant votre achat, vous allez acheter {name} au prix de : <b>{amount}€ TTC</b>. \
         Ce montant sera reporté sur votre facture internet {op}. (Simulateur de formation.)</p>\
         <form method=post action=\"{PAGE_PATH}/{sid}/confirm\"><button id=confirm>Confirmer votre achat</button></form>\
         <form method=post action=\"{PAGE_PATH}/{sid}/cancel\"><button id=cancel>Annuler votre achat</button></form>",
        op = s.operator.display_name(),
        name = offer.1,
    ))
    .into_response()
}

pub(super) async fn answer(State(sim): State<Arc<Sim>>, Path((sid, answer)): Path<(String, String)>) -> Response {
    let confirm = match answer.as_str() {
        "confirm" => true,
        "cancel" => false,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    match sim.answer_page(&sid, confirm) {
        Some(url) => Redirect::to(&url).into_response(),
        None => Html("<p>Cette session de paiement est terminée.</p>".to_string()).into_response(),
    }
}
