//! The window's listener for Internet+ Box's signed returns: W-HA's page
//! sends the customer back to the shop's return URL
//! (`COMPTOIR_INTERNET_PLUS_RETURN_URL`, by default
//! `http://127.0.0.1:47813/internet-plus/return`); when that browser is on
//! this computer, the return arrives here and the core records it, delivers
//! and confirms (`app::pay::complete`). Only a loopback address is served.

use comptoir::Comptoir;
use tauri::{AppHandle, Manager};

/// Starts the listener in the background; a return URL that is not on this
/// computer, or a port already taken, is logged (the cashier can still scan
/// or paste the return).
pub fn start(handle: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let core = handle.state::<Comptoir>();
        let Ok(configured) = core.option(comptoir::providers::ProviderId::InternetPlus, "return_url") else {
            return;
        };
        let url = if configured.is_empty() {
            comptoir::providers::internet_plus::sim::DEFAULT_RETURN_URL.to_string()
        } else {
            configured
        };
        if let Err(e) = serve(handle.clone(), &url).await {
            tracing::warn!(%url, "Internet+ returns are not received here: {e}");
        }
    });
}

async fn serve(handle: AppHandle, url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
    let host = parsed.host_str().unwrap_or_default().to_string();
    if !matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]") {
        return Err(format!("{host} is not this computer"));
    }
    let port = parsed.port_or_known_default().unwrap_or(80);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| e.to_string())?;
    let base = format!("{}://{}:{port}{}", parsed.scheme(), host, parsed.path());
    let app = axum::Router::new().route(
        parsed.path(),
        axum::routing::get(move |uri: axum::http::Uri| {
            let handle = handle.clone();
            let base = base.clone();
            async move {
                // The query exactly as received: `h` signs it as it was encoded.
                let url = format!("{base}?{}", uri.query().unwrap_or_default());
                let core = handle.state::<Comptoir>();
                let text = match comptoir::app::pay::complete(&core, &url).await {
                    Ok(o) => format!(
                        "Paiement enregistré ({}) — Payment recorded. Vous pouvez fermer cette page.",
                        o.status
                    ),
                    Err(e) => format!("Retour refusé — Return refused: {}", e.message),
                };
                axum::response::Html(format!(
                    "<!doctype html><meta charset=utf-8><title>Comptoir</title><p>{}</p>",
                    html_escape(&text)
                ))
            }
        }),
    );
    tracing::info!(port, "listening for Internet+ returns");
    axum::serve(listener, app).await.map_err(|e| e.to_string())
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
