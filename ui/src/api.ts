// The core's commands as the window calls them. The types mirror the Rust
// structs serialised by the core (src/app.rs, src/journal, src/catalog.rs).
import { invoke } from "@tauri-apps/api/core";

export type ProviderId = "orange-travel" | "amilon" | "internet-plus" | "anomalie-adresse";
/** Provider names as the providers write them (the core's `display_name`). */
export const PROVIDER_NAMES: Record<ProviderId, string> = {
  "orange-travel": "Orange Travel B2B",
  amilon: "Amilon",
  "internet-plus": "Internet+ Box (W-HA)",
  "anomalie-adresse": "Orange Anomalie Adresse",
};

export type OrderStatus = "pending" | "processing" | "delivered" | "failed" | "unknown" | "refunded" | "cancelled";
export type Paper = "receipt" | "a4";
export type TicketTo = "pdf" | "thermal" | "printer";
/** Where a ticket went: the PDF's path, the thermal printer, or the system printer (with its job). */
export interface Printed {
  order: string;
  to: string;
  job: string | null;
}
export interface SystemPrinter {
  name: string;
  default: boolean;
}
export interface ShopSettings {
  name: string | null;
  address: string | null;
  printer: string | null;
  system_printer: string | null;
  paper: Paper;
}
export type OrderKind = "esim" | "topup" | "giftcard" | "payment" | "subscription" | "ticket";

/** The core's error: the UI translates `code`, never matches `message`. */
export interface CoreError {
  kind: "invalid_input" | "refused" | "unavailable" | "unknown_outcome" | "config" | "internal";
  code: string;
  message: string;
  params?: Record<string, unknown>;
  provider_code?: string;
  provider_message?: string;
}

export interface ProviderStatus {
  provider: ProviderId;
  name: string;
  mode: "training" | "live" | "error";
  simulated: boolean;
  error?: CoreError;
}

export interface Status {
  version: string;
  data_dir: string;
  secret_store: "os" | "kernel";
  training: boolean;
  providers: ProviderStatus[];
  catalog_synced: { provider: ProviderId; synced_at: string; items: number }[];
}

export interface Connectivity {
  online: boolean;
  providers: { provider: ProviderId; reachable: boolean }[];
}

export interface CatalogItem {
  provider: ProviderId;
  id: string;
  type: "esim" | "topup" | "giftcard";
  name: string;
  price: number;
  cost: number | null;
  currency: string;
  stock: number | null;
  available: boolean;
  unavailable_reason: string | null;
  supplier: string | null;
  countries: string[];
  data_gb: number | null;
  validity_days: number | null;
  tags: string[];
  /** For top-ups: what the line is known by. */
  recipient: "msisdn" | "sim_id" | null;
  /** Gift cards: the retailer's cached logo (see `catalogLogo`). */
  logo?: string | null;
  min_quantity?: number | null;
  max_quantity?: number | null;
  synced_at: string;
}

/** A gift-card voucher as the core opens it from the journal. */
export interface VoucherCard {
  item: number;
  code: string | null;
  pin: string | null;
  url: string | null;
  expiry: string | null;
  value: number | null;
  currency: string | null;
  status: string | null;
  instructions: string | null;
  product_id: string | null;
  qr_payload: string | null;
  qr_svg: string | null;
}

export interface RetailerInfo {
  id: string;
  name: string;
  category: string | null;
  logo: string | null;
  hidden: boolean;
}

export interface GiftcardSettings {
  culture: string;
  cultures: string[];
  face_values: number[];
  retailers: RetailerInfo[];
}

export interface CatalogFilter {
  provider?: ProviderId;
  type?: string;
  search?: string;
  country?: string;
  supplier?: string;
  /** Gift cards: the category (one of the item's tags). */
  category?: string;
  min_data_gb?: number;
  min_validity_days?: number;
}

export interface Order {
  id: string;
  provider: ProviderId;
  kind: OrderKind;
  status: OrderStatus;
  provider_ref: string | null;
  product_id: string | null;
  product_name: string;
  quantity: number;
  customer_ref: string | null;
  phone: string | null;
  sim_id: string | null;
  iccid: string | null;
  amount: number;
  cost: number | null;
  fees: number | null;
  currency: string;
  training: boolean;
  details: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface OrderEvent {
  seq: number;
  at: string;
  event: string;
  from_status: OrderStatus | null;
  to_status: OrderStatus | null;
  message: string;
}

export interface EsimCard {
  order_id: string;
  product_name: string;
  activation_code: string;
  qr_svg: string;
  phone: string | null;
  iccid: string | null;
  pin: string | null;
  puk: string | null;
  data_gb: number | null;
  validity_days: number | null;
  kyc_url: string | null;
  kyc_deadline: string;
}

export interface Lookup<T> {
  data: T;
  fetched_at: string;
  from_cache: boolean;
}

export interface SimStatus {
  status: string;
  creation_date: string | null;
  activation_date: string | null;
  last_topup_date: string | null;
  expiration_date: string | null;
}

export interface UsageBalances {
  first_activation_date: string | null;
  number_expiration_date: string | null;
  buckets: {
    name: string | null;
    expiration_date: string | null;
    data_remaining: number | null;
    data_unit: string | null;
    airtime_remaining: number | null;
    airtime_unit: string | null;
    sms_remaining: number | null;
  }[];
}

export interface ReportLine {
  provider: ProviderId | null;
  kind: string | null;
  sales: number;
  amount: number;
  cost: number;
  fees: number;
  margin: number;
  refunds: number;
  refunded: number;
  cancellations: number;
}

export interface Report {
  from: string;
  to: string;
  lines: ReportLine[];
  totals: ReportLine;
  to_settle: string[];
}

export interface KeyStatus {
  local: string | null;
  server: string | null;
  ready: boolean;
}

export interface OrderFilter {
  search?: string;
  provider?: ProviderId;
  kind?: OrderKind;
  status?: OrderStatus;
  from?: string;
  to?: string;
  training?: boolean;
  sort?: OrderSort;
  limit?: number;
  offset?: number;
}
export type OrderSort = "newest" | "oldest" | "highest" | "lowest";

export const api = {
  status: () => invoke<Status>("app_status"),
  connectivity: () => invoke<Connectivity>("connectivity"),
  catalog: (filter: CatalogFilter) => invoke<CatalogItem[]>("catalog", { filter }),
  sync: (provider?: ProviderId) => invoke<{ provider: ProviderId; items: number; training: boolean }[]>("sync_catalog", { provider: provider ?? null }),
  orders: (filter: OrderFilter) => invoke<{ orders: Order[]; total: number }>("orders", { filter }),
  order: (id: string) => invoke<{ order: Order; events: OrderEvent[] }>("order", { id }),
  sellTopup: (offerId: string, target: { msisdn: string } | { sim_id: string }, customerRef: string | null) =>
    invoke<Order>("sell_topup", { offerId, target, customerRef }),
  sellEsim: (offerId: string, customerRef: string | null) => invoke<Order>("sell_esim", { offerId, customerRef }),
  esimCard: (orderId: string) => invoke<EsimCard>("esim_card", { orderId }),
  keysStatus: () => invoke<KeyStatus>("keys_status"),
  keysGenerate: (force: boolean) => invoke<KeyStatus>("keys_generate", { force }),
  keysUpload: () => invoke<KeyStatus>("keys_upload"),
  keysBackupSuggestion: () => invoke<string>("keys_backup_suggestion"),
  keysBackup: (path: string, passphrase: string, confirm: string) => invoke<void>("keys_backup", { path, passphrase, confirm }),
  keysRestore: (path: string, passphrase: string, force: boolean) => invoke<KeyStatus>("keys_restore", { path, passphrase, force }),
  esimStatus: (orderId: string) => invoke<Lookup<SimStatus> & { meaning: string }>("esim_status", { orderId }),
  esimUsage: (orderId: string) => invoke<Lookup<UsageBalances>>("esim_usage", { orderId }),
  customizeOffer: (offerId: string, name: string | null, fees: number | null, feesType: string | null) =>
    invoke<void>("customize_offer", { offerId, name, fees, feesType }),
  setCredentials: (provider: ProviderId, values: Record<string, string>) => invoke<void>("set_credentials", { provider, values }),
  report: (from: string, to: string) => invoke<Report>("report", { from, to }),
  exportOrders: (filter: OrderFilter, delimiter: "," | ";") => invoke<string>("export_orders", { filter, delimiter }),
  printTicket: (orderId: string, to: TicketTo, layout?: Paper) => invoke<Printed>("print_ticket", { orderId, to, layout }),
  systemPrinters: () => invoke<SystemPrinter[]>("system_printers"),
  shopSettings: () => invoke<ShopSettings>("shop_settings"),
  setShopSettings: (shop: ShopSettings) => invoke<void>("set_shop_settings", { shop }),
  importOrders: (path: string) => invoke<{ imported: number; skipped: number }>("import_orders", { path }),
  reportCsv: (from: string, to: string) => invoke<string>("report_csv", { from, to }),
  reconcile: () =>
    invoke<{ settled: { order: string; from: OrderStatus; to: OrderStatus }[]; unsettled: { order: string; error: CoreError }[] }>("reconcile"),
  sellGiftcard: (product: string, quantity: number, customerRef: string | null) =>
    invoke<Order>("sell_giftcard", { product, quantity, customerRef }),
  waitVouchers: (orderId: string) => invoke<Order>("wait_vouchers", { orderId }),
  stopWaiting: (orderId: string) => invoke<void>("stop_waiting", { orderId }),
  refreshOrder: (orderId: string) => invoke<Order>("refresh_order", { orderId }),
  vouchers: (orderId: string) => invoke<VoucherCard[]>("vouchers", { orderId }),
  catalogLogo: (name: string) => invoke<string>("catalog_logo", { name }),
  giftcardSettings: () => invoke<GiftcardSettings>("giftcard_settings"),
  setRetailerHidden: (retailer: string, hidden: boolean) => invoke<number>("set_retailer_hidden", { retailer, hidden }),
  setFaceValues: (values: number[]) => invoke<number>("set_face_values", { values }),
  setCulture: (culture: string) => invoke<unknown>("set_culture", { culture }),
  preferences: () => invoke<{ locale: "fr" | "en" | null }>("get_preferences"),
  setLocale: (locale: "fr" | "en" | null) => invoke<void>("set_locale", { locale }),
};

/** Anything thrown by a command, as a CoreError. */
export function asCoreError(e: unknown): CoreError {
  if (e && typeof e === "object" && "code" in e && "kind" in e) return e as CoreError;
  return { kind: "internal", code: "ui.unexpected", message: String(e) };
}
