//! The window's TypeScript types are generated from the Rust types the
//! Tauri commands take and return (ts-rs), and committed under
//! `ui/src/bindings/`. This test fails when they are stale; run
//! `make bindings` (`COMPTOIR_WRITE_BINDINGS=1` on this test) to write them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Every root type of the window's contract; ts-rs brings their
/// dependencies along.
fn export_all(dir: &Path) {
    macro_rules! export {
        ($($t:ty),* $(,)?) => { $( <$t>::export_all_to(dir).unwrap(); )* };
    }
    use comptoir::app::{self, credentials, orders, print, reconcile};
    use comptoir::{catalog, esim, giftcard, journal, lookup, printer, report};
    export!(
        app::Status,
        app::Connectivity,
        app::SyncReport,
        app::Preferences,
        credentials::ProviderForm,
        credentials::ConnectionTest,
        orders::OrdersPage,
        orders::OrderPage,
        orders::ShopSettings,
        print::Printed,
        print::TicketTo,
        reconcile::Reconciled,
        catalog::CatalogItem,
        catalog::CatalogFilter,
        catalog::Facets,
        journal::Order,
        journal::OrderFilter,
        journal::ImportReport,
        esim::EsimCard,
        esim::TopupTarget,
        esim::keys::KeyStatus,
        esim::support::SimStatusView,
        lookup::Lookup<comptoir::providers::orange_travel::model::UsageBalances>,
        giftcard::VoucherCard,
        giftcard::assortment::GiftcardSettings,
        printer::SystemPrinter,
        printer::Layout,
        report::Report,
        comptoir::Error,
        comptoir::payments::offers::PayOffer,
        comptoir::payments::view::PaymentView,
        comptoir::payments::view::Consulted,
        comptoir::payments::view::RefundReason,
        comptoir::providers::internet_plus::model::Subscription,
        comptoir::tickets::TicketForm,
        comptoir::tickets::TicketView,
        comptoir::tickets::TicketList,
        comptoir::tickets::ListQuery,
        comptoir::tickets::AttachmentContent,
        comptoir::tickets::FeedReport,
        comptoir::tickets::Change,
        comptoir::providers::anomalie_adresse::lifecycle::ShopAction,
        comptoir::app::cashiers::CashierState,
        comptoir::accounts::AuditEntry,
        comptoir::journal::Basket,
        comptoir::till::LineRequest,
        comptoir::till::Tendered,
        comptoir::till::TillSettings,
        comptoir::register::fiscal::FiscalSettings,
        comptoir::register::fiscal::TaxChoice,
        comptoir::register::verify::Verified,
        comptoir::register::closing::Closing,
        comptoir::register::closing::RateTotal,
        comptoir::register::closing::TenderTotal,
        comptoir::register::archive::Archived,
        comptoir::till::shift::ShiftReport,
        comptoir::app::till::Paid,
        comptoir::app::till::Receipt,
        comptoir::shop::ShareStatus,
        comptoir::app::share::Everywhere,
    );
}

/// Every `.ts` file under `dir`, by its path relative to `dir`.
fn files(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for path in entries.map(|e| e.unwrap().path()) {
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "ts") {
                let name = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn the_committed_typescript_bindings_are_the_rust_types() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings");
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path());
    let want = files(fresh.path());
    assert!(want.len() > 20, "the export made {} files", want.len());
    if std::env::var_os("COMPTOIR_WRITE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        std::fs::create_dir_all(&committed).unwrap();
        for (name, text) in &want {
            let path = committed.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }
    let have = files(&committed);
    let stale: Vec<_> = want
        .iter()
        .filter(|(name, text)| have.get(*name) != Some(text))
        .map(|(name, _)| name.as_str())
        .chain(have.keys().filter(|n| !want.contains_key(*n)).map(String::as_str))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/bindings/ is stale ({stale:?}): run `make bindings` and commit the result"
    );
}

/// The UI tests answer `provider_forms` with the core's own field tables,
/// written here so they cannot drift: `ui/tests/provider-forms.json`.
#[test]
fn the_ui_tests_provider_forms_are_the_cores() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/tests/provider-forms.json");
    let want = serde_json::to_string_pretty(&comptoir::app::credentials::blank_forms()).unwrap() + "\n";
    if std::env::var_os("COMPTOIR_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "ui/tests/provider-forms.json is stale: run `make bindings`"
    );
}

/// The UI tests answer `ticket_form` with the core's own tables:
/// `ui/tests/ticket-form.json`.
#[test]
fn the_ui_tests_ticket_form_is_the_cores() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/tests/ticket-form.json");
    let spec = comptoir::tickets::form_spec(Some("CPTR".into()), true);
    let want = serde_json::to_string_pretty(&spec).unwrap() + "\n";
    if std::env::var_os("COMPTOIR_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "ui/tests/ticket-form.json is stale: run `make bindings`");
}

#[test]
fn every_command_the_window_registers_has_its_typed_answer_in_the_ui() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let main = std::fs::read_to_string(root.join("src-tauri/src/commands.rs")).unwrap();
    let handler = main
        .split("generate_handler![")
        .nth(1)
        .unwrap()
        .split(']')
        .next()
        .unwrap();
    let registered: std::collections::BTreeSet<&str> = handler
        .split(',')
        .filter_map(|c| c.trim().rsplit("::").next())
        .filter(|c| !c.is_empty())
        .collect();
    let api = std::fs::read_to_string(root.join("ui/src/api.ts")).unwrap();
    let results = api
        .split("export interface Results {")
        .nth(1)
        .unwrap()
        .split('}')
        .next()
        .unwrap();
    let typed: std::collections::BTreeSet<&str> = results
        .lines()
        .filter_map(|l| l.trim().split_once(':').map(|(name, _)| name))
        .collect();
    assert_eq!(
        registered, typed,
        "src-tauri's commands and ui/src/api.ts's Results differ"
    );
}
