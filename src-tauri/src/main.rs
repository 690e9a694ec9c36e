//! Comptoir's desktop shell: opens the core, registers its commands and the
//! settings store, shows the window. Logic lives in the core crate.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod cashiers;
mod commands;
mod dialog;
mod files;
mod preferences;
mod returns;
mod till;

use comptoir::{Comptoir, Options};

fn main() {
    // Started again as the file dialog: nothing of Comptoir is opened.
    dialog::run_if_asked();
    commands::STARTED.get_or_init(std::time::Instant::now);
    // The window is forms and lists: WebKit's GPU compositing buys it
    // nothing, and without a GPU (a shop's small PC, Xvfb) it renders
    // through Mesa's software GL, which held 130 MB in the web process
    // (make bench: 531 MB resident in all, 419 MB without). A variable the
    // user set wins.
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    comptoir::files::keep_private();
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
    let window_file = comptoir::paths::window_preferences_path(core.data_dir());
    tauri::Builder::default()
        .plugin(tauri_plugin_store::Builder::new().build())
        .setup(|app| {
            // The register holds the window's start, and its stop: on the
            // window closed, and on the session's SIGTERM or a Ctrl-C (a
            // shutdown or a logout), which end it as closing it would.
            let started = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let core = tauri::Manager::state::<Comptoir>(&started);
                comptoir::register::record_run(&core, "start").await;
            });
            #[cfg(unix)]
            {
                let ending = app.handle().clone();
                tauri::async_runtime::spawn(async move {
                    use tokio::signal::unix::{signal, SignalKind};
                    let (Ok(mut term), Ok(mut int)) =
                        (signal(SignalKind::terminate()), signal(SignalKind::interrupt()))
                    else {
                        return;
                    };
                    tokio::select! {
                        _ = term.recv() => {},
                        _ = int.recv() => {},
                    }
                    ending.exit(0);
                });
            }
            // Orders a crash or a lost answer left open are settled at start,
            // in the background: the counter is usable meanwhile.
            returns::start(app.handle().clone());
            // What this counter sold goes to the shop's database in the
            // background, never on a sale's path (`shop`).
            let pusher = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let core = tauri::Manager::state::<Comptoir>(&pusher);
                comptoir::app::share::keep_pushing(&core).await;
            });
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let core = tauri::Manager::state::<Comptoir>(&handle);
                match comptoir::app::reconcile::settle_all(&core).await {
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
        .manage(preferences::WindowFile(window_file))
        .invoke_handler(commands::handler())
        .build(tauri::generate_context!("../tauri.conf.json"))
        .expect("error while building Comptoir")
        .run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                let core = tauri::Manager::state::<Comptoir>(handle);
                tauri::async_runtime::block_on(comptoir::register::record_run(&core, "stop"));
            }
        });
}
