//! Comptoir's desktop shell: opens the core, registers its commands and the
//! settings store, shows the window. Logic lives in the core crate.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod preferences;
mod returns;

use comptoir::{Comptoir, Options};

fn main() {
    let data_dir = comptoir::paths::data_dir(None);
    // Logging first, so a failure to open the journal is in the log too.
    let _log = comptoir::logging::init(&data_dir).ok();
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    tauri::async_runtime::set(runtime.handle().clone());
    let core = match runtime.block_on(Comptoir::open(Options {
        data_dir: Some(data_dir),
        training: false,
        secret_store: None,
        share_training: true,
    })) {
        Ok(core) => core,
        Err(e) => {
            tracing::error!("cannot open Comptoir: {e}");
            eprintln!("Comptoir cannot start: {e}");
            std::process::exit(e.kind.exit_code());
        }
    };
    let settings_file = comptoir::paths::settings_path(core.data_dir());
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .setup(|app| {
            // Orders a crash or a lost answer left open are settled at start,
            // in the background: the counter is usable meanwhile.
            returns::start(app.handle().clone());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let core = tauri::Manager::state::<Comptoir>(&handle);
                match comptoir::app::reconcile::reconcile(&core).await {
                    Ok(done) => tracing::info!(
                        settled = done.settled.len(),
                        unsettled = done.unsettled.len(),
                        "start-up reconciliation done"
                    ),
                    Err(e) => tracing::warn!("start-up reconciliation failed: {e}"),
                }
                // Gift cards still waiting for vouchers when the app closed
                // are awaited again, as if the wait had never stopped.
                let never = std::sync::atomic::AtomicBool::new(false);
                if let Err(e) = comptoir::giftcard::resume_waiting(&core, &never).await {
                    tracing::warn!("resuming voucher waits failed: {e}");
                }
            });
            Ok(())
        })
        .manage(core)
        .manage(commands::Waits::default())
        .manage(preferences::SettingsFile(settings_file))
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::connectivity,
            commands::catalog,
            commands::sync_catalog,
            commands::orders,
            commands::order,
            commands::sell_topup,
            commands::reconcile,
            commands::sell_esim,
            commands::esim_card,
            commands::keys_status,
            commands::keys_generate,
            commands::keys_upload,
            commands::keys_backup_suggestion,
            commands::keys_backup,
            commands::keys_restore,
            commands::esim_status,
            commands::esim_usage,
            commands::customize_offer,
            commands::set_credentials,
            commands::provider_forms,
            commands::clear_credentials,
            commands::test_connection,
            commands::report,
            commands::export_orders,
            commands::print_ticket,
            commands::system_printers,
            commands::import_orders,
            commands::report_csv,
            commands::shop_settings,
            commands::sell_giftcard,
            commands::wait_vouchers,
            commands::stop_waiting,
            commands::refresh_order,
            commands::vouchers,
            commands::catalog_logo,
            commands::giftcard_settings,
            commands::set_retailer_hidden,
            commands::set_face_values,
            commands::set_culture,
            commands::set_shop_settings,
            commands::pay_offers,
            commands::save_pay_offer,
            commands::remove_pay_offer,
            commands::pay_session,
            commands::payment,
            commands::open_payments,
            commands::pay_return,
            commands::pay_confirm,
            commands::pay_cancel,
            commands::pay_refund,
            commands::pay_consult,
            commands::refund_reasons,
            commands::subscriptions_of,
            commands::terminate_subscription,
            preferences::get_preferences,
            preferences::set_locale,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("error while running Comptoir");
}
