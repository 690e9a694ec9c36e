//! The window's commands: each one line into the core. Errors cross to the
//! UI as the core's `{kind, code, message, params}`, never as strings.

use comptoir::app::orders::ShopSettings;
use comptoir::app::orders::{OrderPage, OrdersPage};
use comptoir::app::{Connectivity, Status, SyncReport};
use comptoir::catalog::{CatalogFilter, CatalogItem};
use comptoir::esim::{keys, support};
use comptoir::giftcard::assortment;
use comptoir::journal::{Order, OrderFilter};
use comptoir::providers::ProviderId;
use comptoir::{Comptoir, Error};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tauri::State;

type Result<T> = std::result::Result<T, Error>;

/// When this process started (set first thing in `main`).
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The window drew its first screen: the log keeps how long the start
/// took (support reads it; make bench times the line's arrival).
#[tauri::command]
pub fn painted(view: String) {
    let ms = STARTED.get().map_or(0, |t| t.elapsed().as_millis() as u64);
    tracing::info!(view = %view.chars().take(40).collect::<String>(), ms, "first screen painted");
}

#[tauri::command]
pub async fn app_status(app: State<'_, Comptoir>) -> Result<Status> {
    app.status().await
}

/// Where this counter stands with the shop's database; `check`: ask it now.
#[tauri::command]
pub async fn share_status(app: State<'_, Comptoir>, check: bool) -> Result<comptoir::shop::ShareStatus> {
    comptoir::app::share::status(&app, check).await
}

/// Pushes what waits now (the badge's click), then says where it stands.
#[tauri::command]
pub async fn share_push(app: State<'_, Comptoir>) -> Result<comptoir::shop::ShareStatus> {
    comptoir::app::share::push(&app, std::time::Duration::from_secs(10)).await?;
    comptoir::app::share::status(&app, false).await
}

#[tauri::command]
pub async fn connectivity(app: State<'_, Comptoir>) -> Result<Connectivity> {
    app.connectivity().await
}

#[tauri::command]
pub async fn catalog(app: State<'_, Comptoir>, filter: CatalogFilter) -> Result<Vec<CatalogItem>> {
    app.catalog(&filter).await
}

#[tauri::command]
pub async fn catalog_facets(app: State<'_, Comptoir>) -> Result<comptoir::catalog::Facets> {
    app.catalog_facets().await
}

#[tauri::command]
pub async fn sync_catalog(app: State<'_, Comptoir>, provider: Option<ProviderId>) -> Result<Vec<SyncReport>> {
    app.sync(provider).await
}

#[tauri::command]
pub async fn orders(app: State<'_, Comptoir>, filter: OrderFilter) -> Result<OrdersPage> {
    comptoir::app::orders::page(&app, &filter).await
}

#[tauri::command]
pub async fn order(app: State<'_, Comptoir>, id: String) -> Result<OrderPage> {
    comptoir::app::orders::order(&app, &id).await
}

/// Every counter's orders from the shop's database (this counter's own,
/// said, when it cannot be reached).
#[tauri::command]
pub async fn orders_everywhere(
    app: State<'_, Comptoir>,
    filter: OrderFilter,
) -> Result<comptoir::app::share::Everywhere> {
    comptoir::app::share::orders_everywhere(&app, &filter).await
}

#[tauri::command]
pub async fn reconcile(app: State<'_, Comptoir>) -> Result<comptoir::app::reconcile::Reconciled> {
    comptoir::app::reconcile::reconcile(&app).await
}

#[tauri::command]
pub async fn esim_card(app: State<'_, Comptoir>, order_id: String) -> Result<comptoir::esim::EsimCard> {
    comptoir::esim::card(&app, &order_id).await
}

#[tauri::command]
pub async fn keys_status(app: State<'_, Comptoir>) -> Result<keys::KeyStatus> {
    keys::status(&app).await
}

/// Key generation takes seconds of CPU: off the async workers.
#[tauri::command]
pub async fn keys_generate(app: State<'_, Comptoir>, force: bool) -> Result<keys::KeyStatus> {
    let core = app.inner();
    tokio::task::block_in_place(|| keys::generate(core, force))?;
    keys::status(core).await
}

#[tauri::command]
pub async fn keys_upload(app: State<'_, Comptoir>) -> Result<keys::KeyStatus> {
    keys::upload(&app).await
}

#[tauri::command]
pub async fn esim_status(app: State<'_, Comptoir>, order_id: String) -> Result<support::SimStatusView> {
    support::sim_status_view(&app, &order_id).await
}

#[tauri::command]
pub async fn esim_usage(
    app: State<'_, Comptoir>,
    order_id: String,
) -> Result<comptoir::lookup::Lookup<comptoir::providers::orange_travel::model::UsageBalances>> {
    support::usage_of_order(&app, &order_id).await
}

#[tauri::command]
pub async fn customize_offer(
    app: State<'_, Comptoir>,
    offer_id: String,
    name: Option<String>,
    fees: Option<f64>,
    fees_type: Option<String>,
) -> Result<()> {
    let changes = support::OfferChanges {
        name,
        fees,
        fees_type,
        metadata: None,
    };
    support::customize_offer(&app, &offer_id, changes).await.map(|_| ())
}

/// Stores a provider's credentials: clear values in the settings file,
/// secrets in the keyring. Empty values are left as they are.
#[tauri::command]
pub async fn set_credentials(
    app: State<'_, Comptoir>,
    provider: ProviderId,
    values: std::collections::BTreeMap<String, String>,
) -> Result<()> {
    app.set_credentials(provider, &values)
}

/// Every provider's credentials form, from the core's field tables.
#[tauri::command]
pub async fn provider_forms(app: State<'_, Comptoir>) -> Result<Vec<comptoir::app::credentials::ProviderForm>> {
    app.provider_forms()
}

/// Forgets a provider's credentials (back to training).
#[tauri::command]
pub async fn clear_credentials(app: State<'_, Comptoir>, provider: ProviderId) -> Result<()> {
    app.clear_credentials(provider)
}

/// Asks the provider for a token with the credentials in force.
#[tauri::command]
pub async fn test_connection(
    app: State<'_, Comptoir>,
    provider: ProviderId,
) -> Result<comptoir::app::credentials::ConnectionTest> {
    app.test_connection(provider).await
}

#[tauri::command]
pub async fn keys_backup_suggestion(app: State<'_, Comptoir>) -> Result<String> {
    Ok(keys::suggested_backup_path(&app)?.display().to_string())
}

/// Writes the passphrase-encrypted backup (scrypt: seconds of CPU).
#[tauri::command]
pub async fn keys_backup(app: State<'_, Comptoir>, path: String, passphrase: String, confirm: String) -> Result<()> {
    if passphrase != confirm {
        return Err(comptoir::Error::invalid(
            "secret.mismatch",
            "the two passphrases differ",
        ));
    }
    let core = app.inner();
    let secret = comptoir::secrets::Secret::new(passphrase);
    tokio::task::block_in_place(|| keys::write_backup(core, std::path::Path::new(&path), &secret))
}

#[tauri::command]
pub async fn keys_restore(
    app: State<'_, Comptoir>,
    path: String,
    passphrase: String,
    force: bool,
) -> Result<keys::KeyStatus> {
    let core = app.inner();
    let secret = comptoir::secrets::Secret::new(passphrase);
    tokio::task::block_in_place(|| keys::restore_file(core, std::path::Path::new(&path), &secret, force))?;
    keys::status(core).await
}

#[tauri::command]
pub async fn report(
    app: State<'_, Comptoir>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<comptoir::report::Report> {
    comptoir::report::report(&app.journal, from, to).await
}

/// Prints the order's ticket (or saves it as PDF) and says where it went.
#[tauri::command]
pub async fn print_ticket(
    app: State<'_, Comptoir>,
    order_id: String,
    to: comptoir::app::print::TicketTo,
    layout: Option<comptoir::receipt::Layout>,
    path: Option<String>,
) -> Result<comptoir::app::print::Printed> {
    // A PDF goes where the cashier chose in the system's dialog, if they did.
    let to = match (to, path.filter(|p| !p.trim().is_empty())) {
        (comptoir::app::print::TicketTo::Pdf, Some(p)) => comptoir::app::print::Destination::Pdf(p.into()),
        (to, _) => to.destination(&order_id),
    };
    comptoir::app::print::print(&app, &order_id, to, layout).await
}

/// The computer's printers, for Settings.
#[tauri::command]
pub async fn system_printers() -> Result<Vec<comptoir::printer::SystemPrinter>> {
    tokio::task::spawn_blocking(comptoir::printer::printers)
        .await
        .map_err(|e| comptoir::Error::internal("printer.list_failed", e.to_string()))?
}

/// The shop's details printed on tickets, and the printers.
#[tauri::command]
pub async fn shop_settings(app: State<'_, Comptoir>) -> Result<ShopSettings> {
    comptoir::app::orders::shop_settings(&app)
}

#[tauri::command]
pub async fn set_shop_settings(app: State<'_, Comptoir>, shop: ShopSettings) -> Result<()> {
    comptoir::app::orders::set_shop_settings(&app, shop)
}

/// Stop flags of the voucher waits under way, by order id.
#[derive(Default)]
pub struct Waits(std::sync::Mutex<std::collections::HashMap<String, Arc<AtomicBool>>>);

/// Waits for an order's vouchers (the core's backoff); returns the order
/// when it is settled, stopped, or too late. The window counts the seconds.
#[tauri::command]
pub async fn wait_vouchers(app: State<'_, Comptoir>, waits: State<'_, Waits>, order_id: String) -> Result<Order> {
    let stop = Arc::new(AtomicBool::new(false));
    waits.0.lock().unwrap().insert(order_id.clone(), stop.clone());
    let result = comptoir::giftcard::wait(&app, &order_id, &|_| {}, &stop).await;
    waits.0.lock().unwrap().remove(&order_id);
    result
}

#[tauri::command]
pub fn stop_waiting(waits: State<'_, Waits>, order_id: String) {
    if let Some(stop) = waits.0.lock().unwrap().get(&order_id) {
        stop.store(true, Ordering::SeqCst);
    }
}

#[tauri::command]
pub async fn refresh_order(app: State<'_, Comptoir>, order_id: String) -> Result<Order> {
    comptoir::giftcard::refresh(&app, &order_id).await
}

#[tauri::command]
pub async fn vouchers(app: State<'_, Comptoir>, order_id: String) -> Result<Vec<comptoir::giftcard::VoucherCard>> {
    comptoir::giftcard::vouchers(&app, &order_id).await
}

#[tauri::command]
pub fn catalog_logo(app: State<'_, Comptoir>, name: String) -> Result<String> {
    assortment::image_data_url(&app, &name)
}

#[tauri::command]
pub async fn giftcard_settings(app: State<'_, Comptoir>) -> Result<assortment::GiftcardSettings> {
    assortment::settings(&app).await
}

#[tauri::command]
pub async fn set_retailer_hidden(app: State<'_, Comptoir>, retailer: String, hidden: bool) -> Result<usize> {
    assortment::set_hidden(&app, &retailer, hidden).await
}

#[tauri::command]
pub async fn set_face_values(app: State<'_, Comptoir>, values: Vec<f64>) -> Result<usize> {
    assortment::set_face_values(&app, &values).await
}

/// Changes the catalog's culture and syncs it (names and retailers differ).
#[tauri::command]
pub async fn set_culture(app: State<'_, Comptoir>, culture: String) -> Result<Vec<SyncReport>> {
    assortment::set_culture(&app, &culture)?;
    app.sync(Some(ProviderId::Amilon)).await
}

// ------------------------------------------------------------- Internet+ Box

use comptoir::payments::{self, offers::PayOffer, view::PaymentView};

#[tauri::command]
pub async fn pay_offers(app: State<'_, Comptoir>) -> Result<Vec<PayOffer>> {
    payments::offers::list(&app)
}

#[tauri::command]
pub async fn save_pay_offer(app: State<'_, Comptoir>, offer: PayOffer) -> Result<()> {
    payments::offers::save(&app, offer).await
}

#[tauri::command]
pub async fn remove_pay_offer(app: State<'_, Comptoir>, id: String) -> Result<()> {
    payments::offers::remove(&app, &id)
}

/// Opens a payment session; the view has the page's QR code for the customer.
#[tauri::command]
pub async fn pay_session(
    app: State<'_, Comptoir>,
    offer_id: String,
    client_ip: String,
    customer_ref: Option<String>,
) -> Result<PaymentView> {
    let order = payments::open_session(&app, &offer_id, &client_ip, customer_ref).await?;
    payments::view::view(order)
}

#[tauri::command]
pub async fn payment(app: State<'_, Comptoir>, id: String) -> Result<PaymentView> {
    payments::view::payment(&app, &id).await
}

#[tauri::command]
pub async fn open_payments(app: State<'_, Comptoir>) -> Result<Vec<PaymentView>> {
    payments::view::open(&app).await
}

/// A return URL scanned or pasted by the cashier: verified, recorded, then
/// (on success) the product delivered and the payment confirmed.
#[tauri::command]
pub async fn pay_return(app: State<'_, Comptoir>, url: String) -> Result<Order> {
    comptoir::app::pay::complete(&app, &url).await
}

#[tauri::command]
pub async fn pay_confirm(app: State<'_, Comptoir>, id: String) -> Result<Order> {
    comptoir::app::pay::confirm(&app, &id).await
}

#[tauri::command]
pub async fn pay_cancel(app: State<'_, Comptoir>, id: String) -> Result<Order> {
    comptoir::app::pay::cancel(&app, &id).await
}

#[tauri::command]
pub async fn pay_refund(app: State<'_, Comptoir>, id: String, reason: String, comment: String) -> Result<Order> {
    payments::refund(&app, &id, &reason, &comment).await
}

#[tauri::command]
pub async fn pay_consult(app: State<'_, Comptoir>, id: String) -> Result<payments::view::Consulted> {
    let (order, transaction) = payments::consult(&app, &id).await?;
    Ok(payments::view::Consulted { order, transaction })
}

#[tauri::command]
pub async fn refund_reasons() -> Result<Vec<payments::view::RefundReason>> {
    Ok(payments::view::refund_reasons())
}

#[tauri::command]
pub async fn subscriptions_of(
    app: State<'_, Comptoir>,
    user: String,
) -> Result<Vec<comptoir::providers::internet_plus::model::Subscription>> {
    payments::subscriptions_of(&app, &user).await
}

#[tauri::command]
pub async fn terminate_subscription(
    app: State<'_, Comptoir>,
    sub: String,
    at_due: bool,
) -> Result<comptoir::providers::internet_plus::model::Subscription> {
    payments::terminate(&app, &sub, at_due).await
}

// -------------------------------------------------------- Anomalie Adresse

use comptoir::providers::anomalie_adresse::lifecycle::ShopAction;
use comptoir::providers::anomalie_adresse::model::Note;
use comptoir::tickets::{self, FeedReport, ListQuery, TicketForm, TicketList, TicketView};

#[tauri::command]
pub async fn ticket_form(app: State<'_, Comptoir>) -> Result<TicketForm> {
    tickets::form(&app).await
}

/// Files a ticket the guided form built; checked by the core's rules first.
#[tauri::command]
pub async fn ticket_new(
    app: State<'_, Comptoir>,
    ticket: serde_json::Value,
    customer: Option<String>,
) -> Result<TicketView> {
    tickets::create(&app, ticket, customer).await
}

#[tauri::command]
pub async fn ticket_list(app: State<'_, Comptoir>, query: ListQuery) -> Result<TicketList> {
    tickets::list(&app, &query.query()?).await
}

#[tauri::command]
pub async fn ticket_search(app: State<'_, Comptoir>, text: String, limit: i64, offset: i64) -> Result<TicketList> {
    tickets::search(&app, &text, limit, offset).await
}

#[tauri::command]
pub async fn ticket_show(app: State<'_, Comptoir>, id: String) -> Result<TicketView> {
    tickets::show(&app, &id).await
}

#[tauri::command]
pub async fn ticket_note(app: State<'_, Comptoir>, id: String, text: String) -> Result<Note> {
    tickets::note(&app, &id, &text).await
}

#[tauri::command]
pub async fn ticket_act(
    app: State<'_, Comptoir>,
    id: String,
    action: ShopAction,
    details: Option<String>,
) -> Result<TicketView> {
    tickets::act(&app, &id, action, details.as_deref()).await
}

#[tauri::command]
pub async fn ticket_answer(app: State<'_, Comptoir>, id: String, text: String) -> Result<TicketView> {
    tickets::answer(&app, &id, &text).await
}

#[tauri::command]
pub async fn ticket_sync(app: State<'_, Comptoir>) -> Result<FeedReport> {
    tickets::sync(&app).await
}

/// Every command the window may call; `ui/src/api.ts` types each one's
/// answer (`tests/it/bindings.rs` checks the two lists match).
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        painted,
        catalog_facets,
        app_status,
        share_status,
        orders_everywhere,
        share_push,
        connectivity,
        catalog,
        sync_catalog,
        orders,
        order,
        reconcile,
        esim_card,
        keys_status,
        keys_generate,
        keys_upload,
        keys_backup_suggestion,
        keys_backup,
        keys_restore,
        esim_status,
        esim_usage,
        customize_offer,
        set_credentials,
        provider_forms,
        clear_credentials,
        test_connection,
        report,
        crate::files::export_orders,
        crate::files::choose_file,
        print_ticket,
        system_printers,
        crate::files::import_orders,
        crate::files::report_csv,
        shop_settings,
        wait_vouchers,
        stop_waiting,
        refresh_order,
        vouchers,
        catalog_logo,
        giftcard_settings,
        set_retailer_hidden,
        set_face_values,
        set_culture,
        set_shop_settings,
        pay_offers,
        save_pay_offer,
        remove_pay_offer,
        pay_session,
        payment,
        open_payments,
        pay_return,
        pay_confirm,
        pay_cancel,
        pay_refund,
        pay_consult,
        refund_reasons,
        subscriptions_of,
        terminate_subscription,
        ticket_form,
        ticket_new,
        ticket_list,
        ticket_search,
        ticket_show,
        ticket_note,
        crate::files::ticket_attachment,
        crate::files::ticket_attach_file,
        ticket_act,
        ticket_answer,
        ticket_sync,
        crate::preferences::get_preferences,
        crate::preferences::set_locale,
        crate::cashiers::cashier_state,
        crate::cashiers::sign_in,
        crate::cashiers::sign_out,
        crate::cashiers::approve,
        crate::cashiers::end_approval,
        crate::cashiers::add_cashier,
        crate::cashiers::list_cashiers,
        crate::cashiers::disable_cashier,
        crate::cashiers::set_cashier_pin,
        crate::till::basket,
        crate::till::basket_add,
        crate::till::basket_remove,
        crate::till::basket_clear,
        crate::till::basket_pay,
        crate::till::receipt,
        crate::till::print_receipt,
        crate::till::till_state,
        crate::till::till_open,
        crate::till::till_cash,
        crate::till::till_close,
        crate::till::print_shift,
        crate::till::till_settings,
        crate::till::set_till_settings,
        crate::till::fiscal_settings,
        crate::till::set_fiscal_settings,
        crate::till::register_verify,
        crate::till::register_closings,
        crate::till::print_closing,
        crate::till::register_archive,
        crate::till::register_export,
        crate::till::register_key,
    ]
}
