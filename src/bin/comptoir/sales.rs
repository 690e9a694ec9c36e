//! Selling: eSIMs, top-ups and gift cards, and the cached catalog they are
//! sold from.

use crate::args::{CatalogArgs, SellCommand};
use crate::output::{order_line, Output};
use comptoir::catalog::CatalogFilter;
use comptoir::journal::Order;
use comptoir::{Comptoir, Result};

/// `comptoir sell ...`: one sale through the core's sale flow.
pub async fn sell(app: &Comptoir, out: &Output, command: SellCommand) -> Result<()> {
    match command {
        SellCommand::Giftcard {
            product,
            quantity,
            customer,
            no_wait,
        } => {
            let mut order = comptoir::giftcard::sell_giftcard(app, &product, quantity, customer).await?;
            if !no_wait && order.status.is_unsettled() {
                order = wait_vouchers(app, out, &order.id).await?;
            }
            out.print(&order, || {
                let mut lines = vec![order_line(&order)];
                if order.status == comptoir::journal::OrderStatus::Delivered {
                    lines.push(format!("vouchers: comptoir order show {} --reveal", order.id));
                } else if order.status.is_unsettled() {
                    lines.push(format!(
                        "vouchers not there yet: comptoir order refresh {} --wait",
                        order.id
                    ));
                }
                lines
            })
        }
        SellCommand::Topup {
            offer,
            msisdn,
            sim_id,
            customer,
        } => {
            let target = match (msisdn, sim_id) {
                (Some(m), _) => comptoir::esim::TopupTarget::Msisdn(m),
                (_, Some(s)) => comptoir::esim::TopupTarget::SimId(s),
                _ => unreachable!("clap requires one"),
            };
            let order = comptoir::esim::sell_topup(app, &offer, target, customer).await?;
            out.print(&order, || vec![order_line(&order)])
        }
        SellCommand::Esim { offer, customer } => {
            let order = comptoir::esim::sell_esim(app, &offer, customer).await?;
            out.print(&order, || {
                vec![
                    order_line(&order),
                    format!("QR code: comptoir order qr {} --out qr.png", order.id),
                ]
            })
        }
    }
}

/// `comptoir catalog`: the cached catalog, offline.
pub async fn catalog(app: &Comptoir, out: &Output, args: CatalogArgs) -> Result<()> {
    let CatalogArgs {
        provider,
        item_type,
        search,
        country,
        category,
        supplier,
        min_data,
        min_days,
    } = args;

    let filter = CatalogFilter {
        provider,
        item_type,
        search,
        country,
        supplier,
        category,
        min_data_gb: min_data,
        min_validity_days: min_days,
        limit: None,
    };
    let items = app.catalog(&filter).await?;
    out.print(&items, || {
        items
            .iter()
            .map(|i| {
                let stock = i.stock.map(|s| s.to_string()).unwrap_or_default();
                let state = i.unavailable_reason.as_deref().unwrap_or("");
                format!(
                    "{:<14} {:<8} {:>10} {:>5}  {}  {}  {}",
                    i.provider,
                    i.item_type,
                    crate::output::money(i.price_cents, &i.currency),
                    stock,
                    i.id,
                    i.name,
                    state
                )
            })
            .collect()
    })
}

/// Waits for a gift-card order's vouchers, showing progress on stderr;
/// Ctrl-C stops waiting (the order stays as it is, to refresh later).
pub async fn wait_vouchers(app: &Comptoir, out: &Output, id: &str) -> Result<Order> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let json = out.json;
    let order = comptoir::giftcard::wait(
        app,
        id,
        &|p| {
            if !json {
                eprintln!(
                    "waiting for the vouchers of {} ({}s, check {}{})…",
                    p.order,
                    p.elapsed_secs,
                    p.attempt,
                    p.error
                        .as_deref()
                        .map(|e| format!(", last check failed: {e}"))
                        .unwrap_or_default()
                );
            }
        },
        &stop,
    )
    .await;
    ctrl_c.abort();
    order
}
