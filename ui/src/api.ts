// The core's commands as the window calls them. Every type of their
// arguments and results is generated from the Rust types (ts-rs) into
// `bindings/`, never written here: `tests/it/bindings.rs` fails when they
// are stale (`make bindings` writes them).
import { invoke } from "@tauri-apps/api/core";
import type { CatalogFilter } from "./bindings/CatalogFilter";
import type { CatalogItem } from "./bindings/CatalogItem";
import type { Facets } from "./bindings/Facets";
import type { ConnectionTest } from "./bindings/ConnectionTest";
import type { Connectivity } from "./bindings/Connectivity";
import type { CoreError } from "./bindings/CoreError";
import type { EsimCard } from "./bindings/EsimCard";
import type { GiftcardSettings } from "./bindings/GiftcardSettings";
import type { ImportReport } from "./bindings/ImportReport";
import type { KeyStatus } from "./bindings/KeyStatus";
import type { Layout } from "./bindings/Layout";
import type { Line } from "./bindings/Line";
import type { Lookup } from "./bindings/Lookup";
import type { Order } from "./bindings/Order";
import type { CashierState } from "./bindings/CashierState";
import type { Account } from "./bindings/Account";
import type { Actor } from "./bindings/Actor";
import type { Right } from "./bindings/Right";
import type { ShareStatus } from "./bindings/ShareStatus";
import type { Everywhere } from "./bindings/Everywhere";
import type { OrderFilter } from "./bindings/OrderFilter";
import type { OrderKind } from "./bindings/OrderKind";
import type { OrderPage } from "./bindings/OrderPage";
import type { OrdersPage } from "./bindings/OrdersPage";
import type { OrderStatus } from "./bindings/OrderStatus";
import type { Preferences } from "./bindings/Preferences";
import type { Printed } from "./bindings/Printed";
import type { ProviderForm } from "./bindings/ProviderForm";
import type { ProviderId } from "./bindings/ProviderId";
import type { ProviderStatus } from "./bindings/ProviderStatus";
import type { Reconciled } from "./bindings/Reconciled";
import type { Report } from "./bindings/Report";
import type { ShopSettings } from "./bindings/ShopSettings";
import type { SimStatusView } from "./bindings/SimStatusView";
import type { Sort } from "./bindings/Sort";
import type { Status } from "./bindings/Status";
import type { SyncReport } from "./bindings/SyncReport";
import type { SystemPrinter } from "./bindings/SystemPrinter";
import type { TicketTo } from "./bindings/TicketTo";
import type { UsageBalances } from "./bindings/UsageBalances";
import type { VoucherCard } from "./bindings/VoucherCard";
import type { PayOffer } from "./bindings/PayOffer";
import type { PaymentView } from "./bindings/PaymentView";
import type { Consulted } from "./bindings/Consulted";
import type { RefundReason } from "./bindings/RefundReason";
import type { Subscription } from "./bindings/Subscription";
import type { TicketForm } from "./bindings/TicketForm";
import type { TicketView } from "./bindings/TicketView";
import type { TicketList } from "./bindings/TicketList";
import type { ListQuery } from "./bindings/ListQuery";
import type { AttachmentContent } from "./bindings/AttachmentContent";
import type { FeedReport } from "./bindings/FeedReport";
import type { ShopAction } from "./bindings/ShopAction";
import type { Note } from "./bindings/Note";
import type { Attachment } from "./bindings/Attachment";
import type { Change } from "./bindings/Change";
import type { Basket } from "./bindings/Basket";
import type { LineRequest } from "./bindings/LineRequest";
import type { Paid } from "./bindings/Paid";
import type { Receipt } from "./bindings/Receipt";
import type { ShiftReport } from "./bindings/ShiftReport";
import type { Tendered } from "./bindings/Tendered";
import type { TillSettings } from "./bindings/TillSettings";
import type { FiscalSettings } from "./bindings/FiscalSettings";
import type { Verified } from "./bindings/Verified";
import type { Closing } from "./bindings/Closing";
import type { Archived } from "./bindings/Archived";

export type {
  CatalogFilter, CatalogItem, ConnectionTest, CoreError, EsimCard, KeyStatus, Lookup, Order, OrderFilter, OrderKind,
  OrderStatus, ProviderForm, ProviderId, ProviderStatus, Report, ShopSettings, Status, VoucherCard,
};
export type { FieldView } from "./bindings/FieldView";
export type { CashierState, Account, Actor, Right };
export type { ShareStatus, Everywhere };
export type { Basket, LineRequest, Paid, Receipt, ShiftReport, Tendered };
export type { PayOffer, PaymentView, Consulted, RefundReason, Subscription };
export type { TicketForm, TicketView, TicketList, ListQuery, AttachmentContent, FeedReport, ShopAction, Note, Attachment, Change };
/** The paper a ticket is laid out for. */
export type Paper = Layout;
export type OrderSort = Sort;
export type ReportLine = Line;

/** Providers as the core names them, learned from the status it sends. */
const names = new Map<ProviderId, string>();
function knowProviders(providers: ProviderStatus[]): void {
  for (const p of providers) names.set(p.provider, p.name);
}
/** A provider's own name (`Orange Travel B2B`), as the core gives it. */
export function providerName(id: ProviderId): string {
  return names.get(id) ?? id;
}
/** Every provider, in the core's order, once the status has been read. */
export function providers(): [ProviderId, string][] {
  return [...names.entries()];
}

/** What each command answers, by its name (the UI tests' fixtures are checked against it). */
/** The file dialog's buttons, in the window's language. */
export type FileButtons = { cancel: string; open: string; save: string; folder: string };
/** What a file is chosen for, in the system's dialog (`src-tauri/src/files.rs`). */
export type FilePurpose =
  | "orders_import"
  | "orders_export"
  | "report_export"
  | "ticket_pdf"
  | "attachment"
  | "attachment_copy"
  | "keys_backup"
  | "keys_restore"
  | "register_archive"
  | "register_export";

export interface Results {
  painted: null;
  cashier_state: CashierState;
  sign_in: Actor;
  sign_out: null;
  approve: Actor;
  end_approval: null;
  add_cashier: Account;
  list_cashiers: Account[];
  disable_cashier: Account;
  set_cashier_pin: Account;
  app_status: Status;
  share_status: ShareStatus;
  share_push: ShareStatus;
  connectivity: Connectivity;
  catalog: CatalogItem[];
  catalog_facets: Facets;
  sync_catalog: SyncReport[];
  orders: OrdersPage;
  orders_everywhere: Everywhere;
  order: OrderPage;
  esim_card: EsimCard;
  keys_status: KeyStatus;
  keys_generate: KeyStatus;
  keys_upload: KeyStatus;
  keys_backup_suggestion: string;
  keys_backup: void;
  keys_restore: KeyStatus;
  esim_status: SimStatusView;
  esim_usage: Lookup<UsageBalances>;
  customize_offer: void;
  set_credentials: void;
  provider_forms: ProviderForm[];
  clear_credentials: void;
  test_connection: ConnectionTest;
  report: Report;
  choose_file: string | null;
  export_orders: string;
  print_ticket: Printed;
  system_printers: SystemPrinter[];
  shop_settings: ShopSettings;
  set_shop_settings: void;
  import_orders: ImportReport;
  report_csv: string;
  reconcile: Reconciled;
  wait_vouchers: Order;
  stop_waiting: void;
  refresh_order: Order;
  vouchers: VoucherCard[];
  catalog_logo: string;
  giftcard_settings: GiftcardSettings;
  set_retailer_hidden: number;
  set_face_values: number;
  set_culture: SyncReport[];
  get_preferences: Preferences;
  set_locale: void;
  pay_offers: PayOffer[];
  save_pay_offer: void;
  remove_pay_offer: void;
  pay_session: PaymentView;
  payment: PaymentView;
  open_payments: PaymentView[];
  pay_return: Order;
  pay_confirm: Order;
  pay_cancel: Order;
  pay_refund: Order;
  pay_consult: Consulted;
  refund_reasons: RefundReason[];
  subscriptions_of: Subscription[];
  terminate_subscription: Subscription;
  ticket_form: TicketForm;
  ticket_new: TicketView;
  ticket_list: TicketList;
  ticket_search: TicketList;
  ticket_show: TicketView;
  ticket_note: Note;
  ticket_attachment: AttachmentContent;
  ticket_attach_file: Attachment;
  ticket_act: TicketView;
  ticket_answer: TicketView;
  ticket_sync: FeedReport;
  basket: Basket;
  basket_add: Basket;
  basket_remove: Basket;
  basket_clear: Basket;
  basket_pay: Paid;
  receipt: Receipt;
  print_receipt: Printed;
  till_state: ShiftReport | null;
  till_open: ShiftReport;
  till_cash: ShiftReport;
  till_close: ShiftReport;
  print_shift: Printed;
  till_settings: TillSettings;
  set_till_settings: void;
  fiscal_settings: FiscalSettings;
  set_fiscal_settings: void;
  register_verify: Verified;
  register_key: string;
  register_closings: Closing[];
  print_closing: Printed;
  register_archive: Archived;
  register_export: Archived;
}

/** Calls a command of the core; its answer has the generated type. */
/** Asked when the core refuses an action for lack of a right: true once a manager approved it. */
let approval: ((right: string) => Promise<boolean>) | null = null;
export function onForbidden(ask: (right: string) => Promise<boolean>): void {
  approval = ask;
}

/**
 * Calls a core command. Refused for lack of a right (`cashier.forbidden`),
 * it asks for a manager's approval in place and, once given, calls again;
 * the approval ends with that one action.
 */
async function call<K extends keyof Results>(cmd: K, args?: Record<string, unknown>): Promise<Results[K]> {
  try {
    return await invoke<Results[K]>(cmd, args);
  } catch (e) {
    const err = asCoreError(e);
    if (err.code !== "cashier.forbidden" || !approval || cmd === "approve") throw e;
    if (!(await approval(String(err.params?.right ?? "")))) throw e;
    try {
      return await invoke<Results[K]>(cmd, args);
    } finally {
      await invoke("end_approval").catch(() => undefined);
    }
  }
}

export const api = {
  painted: (view: string) => call("painted", { view }),
  cashierState: () => call("cashier_state"),
  signIn: (name: string, pin: string) => call("sign_in", { name, pin }),
  signOut: (why: "lock" | "logout") => call("sign_out", { why }),
  approve: (name: string, pin: string) => call("approve", { name, pin }),
  addCashier: (name: string, role: Account["role"], pin: string) => call("add_cashier", { name, role, pin }),
  listCashiers: () => call("list_cashiers"),
  disableCashier: (name: string) => call("disable_cashier", { name }),
  setCashierPin: (name: string, pin: string) => call("set_cashier_pin", { name, pin }),
  status: () => call("app_status").then((s) => (knowProviders(s.providers), s)),
  connectivity: () => call("connectivity"),
  shareStatus: (check: boolean) => call("share_status", { check }),
  sharePush: () => call("share_push"),
  catalog: (filter: CatalogFilter) => call("catalog", { filter }),
  catalogFacets: () => call("catalog_facets"),
  sync: (provider?: ProviderId) => call("sync_catalog", { provider: provider ?? null }),
  orders: (filter: OrderFilter) => call("orders", { filter }),
  ordersEverywhere: (filter: OrderFilter) => call("orders_everywhere", { filter }),
  order: (id: string) => call("order", { id }),
  esimCard: (orderId: string) => call("esim_card", { orderId }),
  keysStatus: () => call("keys_status"),
  keysGenerate: (force: boolean) => call("keys_generate", { force }),
  keysUpload: () => call("keys_upload"),
  keysBackupSuggestion: () => call("keys_backup_suggestion"),
  keysBackup: (path: string, passphrase: string, confirm: string) => call("keys_backup", { path, passphrase, confirm }),
  keysRestore: (path: string, passphrase: string, force: boolean) => call("keys_restore", { path, passphrase, force }),
  esimStatus: (orderId: string) => call("esim_status", { orderId }),
  esimUsage: (orderId: string) => call("esim_usage", { orderId }),
  customizeOffer: (offerId: string, name: string | null, fees: number | null, feesType: string | null) =>
    call("customize_offer", { offerId, name, fees, feesType }),
  setCredentials: (provider: ProviderId, values: Record<string, string>) => call("set_credentials", { provider, values }),
  providerForms: () => call("provider_forms"),
  clearCredentials: (provider: ProviderId) => call("clear_credentials", { provider }),
  testConnection: (provider: ProviderId) => call("test_connection", { provider }),
  report: (from: string, to: string) => call("report", { from, to }),
  chooseFile: (purpose: FilePurpose, title: string, name: string | null, buttons: FileButtons, language: string) =>
    call("choose_file", { purpose, title, name, buttons, language }),
  exportOrders: (filter: OrderFilter, delimiter: "," | ";", path: string) => call("export_orders", { filter, delimiter, path }),
  printTicket: (orderId: string, to: TicketTo, layout?: Paper, path?: string) => call("print_ticket", { orderId, to, layout, path: path ?? null }),
  systemPrinters: () => call("system_printers"),
  shopSettings: () => call("shop_settings"),
  setShopSettings: (shop: ShopSettings) => call("set_shop_settings", { shop }),
  importOrders: (path: string) => call("import_orders", { path }),
  reportCsv: (from: string, to: string, path: string) => call("report_csv", { from, to, path }),
  reconcile: () => call("reconcile"),
  waitVouchers: (orderId: string) => call("wait_vouchers", { orderId }),
  stopWaiting: (orderId: string) => call("stop_waiting", { orderId }),
  refreshOrder: (orderId: string) => call("refresh_order", { orderId }),
  vouchers: (orderId: string) => call("vouchers", { orderId }),
  catalogLogo: (name: string) => call("catalog_logo", { name }),
  giftcardSettings: () => call("giftcard_settings"),
  setRetailerHidden: (retailer: string, hidden: boolean) => call("set_retailer_hidden", { retailer, hidden }),
  setFaceValues: (values: number[]) => call("set_face_values", { values }),
  setCulture: (culture: string) => call("set_culture", { culture }),
  preferences: () => call("get_preferences"),
  setLocale: (locale: "fr" | "en" | null) => call("set_locale", { locale }),
  payOffers: () => call("pay_offers"),
  savePayOffer: (offer: PayOffer) => call("save_pay_offer", { offer }),
  removePayOffer: (id: string) => call("remove_pay_offer", { id }),
  paySession: (offerId: string, clientIp: string, customerRef: string | null) => call("pay_session", { offerId, clientIp, customerRef }),
  payment: (id: string) => call("payment", { id }),
  openPayments: () => call("open_payments"),
  payReturn: (url: string) => call("pay_return", { url }),
  payConfirm: (id: string) => call("pay_confirm", { id }),
  payCancel: (id: string) => call("pay_cancel", { id }),
  payRefund: (id: string, reason: string, comment: string) => call("pay_refund", { id, reason, comment }),
  payConsult: (id: string) => call("pay_consult", { id }),
  refundReasons: () => call("refund_reasons"),
  subscriptionsOf: (user: string) => call("subscriptions_of", { user }),
  terminateSubscription: (sub: string, atDue: boolean) => call("terminate_subscription", { sub, atDue }),
  ticketForm: () => call("ticket_form"),
  ticketNew: (ticket: Record<string, unknown>, customer: string | null) => call("ticket_new", { ticket, customer }),
  ticketList: (query: ListQuery) => call("ticket_list", { query }),
  ticketSearch: (text: string, limit: number, offset: number) => call("ticket_search", { text, limit, offset }),
  ticketShow: (id: string) => call("ticket_show", { id }),
  ticketNote: (id: string, text: string) => call("ticket_note", { id, text }),
  ticketAttachFile: (id: string, path: string, description: string | null) => call("ticket_attach_file", { id, path, description }),
  ticketAttachment: (id: string, attachment: string, to: string | null) => call("ticket_attachment", { id, attachment, to }),
  ticketAct: (id: string, action: ShopAction, details: string | null) => call("ticket_act", { id, action, details }),
  ticketAnswer: (id: string, text: string) => call("ticket_answer", { id, text }),
  ticketSync: () => call("ticket_sync"),
  basket: () => call("basket"),
  basketAdd: (line: LineRequest) => call("basket_add", { line }),
  basketRemove: (line: number) => call("basket_remove", { line }),
  basketClear: () => call("basket_clear"),
  basketPay: (given: Tendered, customerRef: string | null) => call("basket_pay", { given, customerRef }),
  receipt: (number: string) => call("receipt", { number }),
  printReceipt: (number: string, to: TicketTo, layout?: Paper) => call("print_receipt", { number, to, layout }),
  tillState: () => call("till_state"),
  tillOpen: (floatCents: number) => call("till_open", { floatCents }),
  tillCash: (putIn: boolean, amountCents: number, reason: string) => call("till_cash", { putIn, amountCents, reason }),
  tillClose: (countedCents: number) => call("till_close", { countedCents }),
  printShift: (shift: string, to: TicketTo, layout?: Paper) => call("print_shift", { shift, to, layout }),
  tillSettings: () => call("till_settings"),
  setTillSettings: (till: TillSettings) => call("set_till_settings", { till }),
  fiscalSettings: () => call("fiscal_settings"),
  setFiscalSettings: (fiscal: FiscalSettings) => call("set_fiscal_settings", { fiscal }),
  registerVerify: () => call("register_verify"),
  registerKey: () => call("register_key"),
  registerClosings: () => call("register_closings"),
  printClosing: (seq: number, to: TicketTo, layout?: Paper) => call("print_closing", { seq, to, layout }),
  registerArchive: (from: string, to: string, path: string) => call("register_archive", { from, to, path }),
  registerExport: (from: string, to: string, folder: string) => call("register_export", { from, to, folder }),
};

/** Anything thrown by a command, as a CoreError. */
export function asCoreError(e: unknown): CoreError {
  if (e && typeof e === "object" && "code" in e && "kind" in e) return e as CoreError;
  return { kind: "internal", code: "ui.unexpected", message: String(e) };
}
