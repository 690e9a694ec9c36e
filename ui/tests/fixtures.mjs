// @ts-check
// What the core answers in the UI tests. Each fixture is checked by
// TypeScript against the types generated from the Rust ones
// (`ui/src/bindings/`, through `Results` in `ui/src/api.ts`), so a fixture
// cannot drift from what the real core sends. `npm test` checks them first.

import blankForms from "./provider-forms.json" with { type: "json" };
import ticketFormTables from "./ticket-form.json" with { type: "json" };

/** @typedef {import("../src/api").Results} Results */
/** @typedef {import("../src/api").CoreError} CoreError */
/**
 * What a test makes each command answer: a value, a function of the call's
 * arguments, or `{__reject: error}`.
 * A command that answers nothing (`void`) answers `null` over IPC.
 * @typedef {{ [K in keyof Results]?: Answer<Results[K]> | ((args: any) => Answer<Results[K]>) }} Answers
 */
/**
 * @template T
 * @typedef {(T extends void ? null : T) | { __reject: CoreError }} Answer
 */

/**
 * @param {Partial<Results["app_status"]>} over
 * @returns {Results["app_status"]}
 */
export const status = (over = {}) => ({
  version: "0.1.0",
  data_dir: "/tmp/comptoir",
  secret_store: "os",
  training: true,
  providers: [
    { provider: "orange-travel", name: "Orange Travel B2B", mode: "training", simulated: true },
    { provider: "amilon", name: "Amilon", mode: "error", simulated: false, error: { kind: "config", code: "provider.partial_credentials", message: "x", params: { provider: "amilon", missing: "COMPTOIR_AMILON_PASSWORD" } } },
  ],
  catalog_synced: [{ provider: "orange-travel", synced_at: "2026-11-22T10:00:00.000Z", items: 3 }],
  ...over,
});

/** @type {Results["catalog"]} */
export const items = [
  { provider: "orange-travel", id: "esim-eu", type: "esim", name: "Europe 30 Go", price: 30, cost: 27.5, currency: "EUR", stock: 120, available: true, unavailable_reason: null, supplier: "Orange France", countries: ["FR", "ES"], country_names: ["France", "Spain"], data_gb: 30, validity_days: 14, tags: [], recipient: null, logo: null, min_quantity: null, max_quantity: null, synced_at: "2026-11-22T10:00:00.000Z" },
  { provider: "orange-travel", id: "esim-zen", type: "esim", name: "Zen 12 Go", price: 19.9, cost: 17.9, currency: "EUR", stock: 3, available: true, unavailable_reason: null, supplier: "Orange France", countries: ["FR"], country_names: [], data_gb: 12, validity_days: 14, tags: [], recipient: null, logo: null, min_quantity: null, max_quantity: null, synced_at: "2026-11-22T10:00:00.000Z" },
  { provider: "orange-travel", id: "topup-fr", type: "topup", name: "Recharge Orange France 10 €", price: 10, cost: 7.92, currency: "EUR", stock: 101, available: true, unavailable_reason: null, supplier: "Orange France", countries: ["FR"], country_names: [], data_gb: 5, validity_days: 30, tags: [], recipient: "msisdn", logo: null, min_quantity: null, max_quantity: null, synced_at: "2026-11-22T10:00:00.000Z" },
  { provider: "orange-travel", id: "esim-us", type: "esim", name: "USA 5 Go", price: 22, cost: 19, currency: "EUR", stock: 0, available: false, unavailable_reason: "out_of_stock", supplier: "Welcome Travelers", countries: ["US"], country_names: [], data_gb: 5, validity_days: 15, tags: [], recipient: null, logo: null, min_quantity: null, max_quantity: null, synced_at: "2026-11-22T10:00:00.000Z" },
];

/** @type {Results["order"]["order"]} */
export const order = {
  id: "CPT-261122-7K3Q9X", provider: "orange-travel", kind: "topup", status: "delivered", provider_ref: "TRX-42",
  product_id: "o1", product_name: "Recharge Orange France 10 €", quantity: 1, customer_ref: "Dupont", phone: "684587587",
  sim_id: null, iccid: null, amount: 10, cost: 7.92, fees: 2.08, currency: "EUR", training: true, details: {},
  created_at: "2026-11-22T09:30:00.000Z", updated_at: "2026-11-22T09:30:01.000Z", cashier: null,
};

/**
 * Every provider's credentials form as a fresh installation's core sends
 * it (written by `tests/it/bindings.rs` from the field tables).
 * @returns {Results["provider_forms"]}
 */
export const forms = () => structuredClone(/** @type {Results["provider_forms"]} */ (blankForms));

/**
 * An Internet+ payment as the core shows it.
 * @param {Partial<Results["payment"]["order"]>} order
 * @param {Partial<Results["payment"]>} over
 * @returns {Results["payment"]}
 */
export const paymentView = (order = {}, over = {}) => ({
  order: {
    ...orderFixture(), id: "CPT-261201-PAY001", provider: "internet-plus", kind: "payment", status: "pending",
    provider_ref: null, product_id: "458723", product_name: "Recharge Internet+ 4,99 €", phone: null, amount: 4.99,
    cost: null, fees: null, ...order,
  },
  panel_url: "http://127.0.0.1:9/internet-plus/ppo/sid-1",
  qr_svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
  operator: "orange",
  page_expires_at: new Date(Date.now() + 14 * 60000).toISOString(),
  deadline: new Date(Date.now() + 23 * 3600000).toISOString(),
  seconds_left: 23 * 3600,
  subscription_id: null,
  transaction_id: null,
  sells: null,
  ...over,
});

/**
 * The guided form's tables as the core sends them (written by
 * `tests/it/bindings.rs` from the core's rules).
 * @returns {Results["ticket_form"]}
 */
export const ticketForm = () => structuredClone(/** @type {Results["ticket_form"]} */ (ticketFormTables));

/**
 * An Anomalie Adresse ticket as the core shows it.
 * @param {Partial<Results["ticket_show"]["ticket"]>} ticket
 * @param {Partial<Results["ticket_show"]>} over
 * @returns {Results["ticket_show"]}
 */
export const ticketView = (ticket = {}, over = {}) => ({
  id: "d28e4456-a88e-45da-8741-ace444102b4a",
  ticket: {
    id: "d28e4456-a88e-45da-8741-ace444102b4a", "@type": "AnomalieAdresse.creation", status: "IN_PROGRESS",
    statusChangeReason: "REQUALIFIED", statusChangeDetails: "intervention sur site", name: "AA-2026-000001",
    description: "Immeuble neuf absent de l'IPE", priority: "LOW", complexity: "COMPLEX", code_oi: "ORNG", code_oc: "CPTR",
    siret: null, siren: null, ticketType: "CUSTOMER_REQUEST", externalId: "CPT-261201-B3HPDV",
    creationDate: "2026-11-20T09:00:00.000Z", lastUpdateDate: "2026-11-21T09:04:00.000Z",
    expectedResolutionDate: "2026-12-18T09:02:00.000Z", resolutionDate: null, "@version": "v1",
    statusChange: [
      { status: "ACKNOWLEDGED", changeDate: "2026-11-20T09:00:00.000Z", changeReason: null, changeDetails: null, author: "OC" },
      { status: "IN_PROGRESS", changeDate: "2026-11-20T09:02:00.000Z", changeReason: null, changeDetails: null, author: "OI" },
      { status: "IN_PROGRESS", changeDate: "2026-11-21T09:04:00.000Z", changeReason: "REQUALIFIED", changeDetails: null, author: "OI" },
    ],
    relatedEntity: [],
    issues: null,
    building: { type: "IMMEUBLE", address: { postcode: "09000", city: "Foix", streetType: "RUE", streetName: "de la Faurie", streetNr: "12" } },
    ...ticket,
  },
  address: "12 RUE de la Faurie, 09000 Foix",
  buildings: [],
  customer: "Mme Garcia",
  training: true,
  deadline: { case: "complex", starts: "2026-11-20T09:02:00+00:00", due: "2026-12-18T09:02:00+00:00", state: "on_time" },
  actions: ["cancel"],
  notes: [],
  attachments: [],
  read_at: "2026-12-01T10:00:00.000Z",
  offline: false,
  ...over,
});

/** @returns {Results["order"]["order"]} */
const orderFixture = () => structuredClone(order);

/**
 * The cashiers as the core answers: none by default (a fresh install acts
 * as its owner), or a shop with an owner, a manager and a cashier.
 * @returns {Results["cashier_state"]}
 */
export const cashiers = (over = {}) => ({
  has_accounts: false, accounts: [], actor: null, lock_minutes: 5,
  rights: ["sell", "reveal_own_today", "reveal_any", "manage", "administer"],
  ...over,
});

export const staff = [
  { name: "Sophie", role: /** @type {const} */ ("owner"), active: true, locked_until: null },
  { name: "Marc", role: /** @type {const} */ ("manager"), active: true, locked_until: null },
  { name: "Léa", role: /** @type {const} */ ("cashier"), active: true, locked_until: null },
];

/**
 * @param {Answers} over
 * @returns {Answers}
 */
export const baseAnswers = (over = {}) => ({
  get_preferences: { locale: null, system: null },
  cashier_state: cashiers(),
  painted: null,
  provider_forms: forms(),
  pay_offers: [
    { id: "458723", name: "Recharge Internet+ 4,99 €", amount: 4.99, period: null, sells: null },
    { id: "1111", name: "Abonnement mensuel 2 €", amount: 2, period: "MONTHLY", sells: null },
  ],
  refund_reasons: [{ code: "EDITOR_EXPECTATION", description: "not what the customer expected" }],
  open_payments: [],
  app_status: status(),
  connectivity: { online: true, providers: [] },
  share_status: shareStatus(),
  catalog: (args) => items.filter((i) => !args.filter.type || i.type === args.filter.type).slice(0, args.filter.limit ?? Infinity),
  catalog_facets: {
    suppliers: [...new Set(items.flatMap((i) => (i.supplier ? [i.supplier] : [])))].sort(),
    categories: [...new Set(items.filter((i) => i.type === "giftcard").flatMap((i) => i.tags))].sort(),
  },
  sync_catalog: [{ provider: "orange-travel", items: 3, training: true }],
  orders: { orders: [order], total: 1, more: false },
  order: { order, events: [
    { seq: 1, at: "2026-11-22T09:30:00.000Z", event: "created", from_status: null, to_status: "pending", message: "", cashier: null },
    { seq: 2, at: "2026-11-22T09:30:01.000Z", event: "status", from_status: "pending", to_status: "delivered", message: "ok", cashier: null },
  ], sold_at: null },
  set_locale: null,
  keys_status: { local: null, server: null, ready: false },
  esim_card: {
    order_id: "CPT-E", product_name: "Europe 30 Go", activation_code: "LPA:1$smdp.io$K2-X",
    qr_svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>',
    phone: "0612345678", iccid: "8933200000000000001", pin: "0000", puk: "71289750", data_gb: 30, validity_days: 14,
    kyc_url: "https://travel.orange.com/fr/orange-holidays", kyc_deadline: "2026-12-22",
  },
  ...over,
});

/**
 * The till as the core keeps it, in memory: the counter's basket, the
 * shift, receipts. Lines are priced from `catalog`; a line whose product
 * is in `refuse` is not delivered and given back cash first, as the core does.
 * @param {{ open?: boolean, catalog?: Results["catalog"], refuse?: string[], unknown?: string[] }} options
 * @returns {Answers & { state: { basket: Results["basket"], receipts: Results["receipt"][], shift: Results["till_open"] | null } }}
 */
export const till = ({ open = true, catalog = items, refuse = [], unknown = [] } = {}) => {
  /** @type {Results["till_open"]} */
  const shift = {
    shift: "S-1", counter: "C1", opened_at: "2026-12-04T08:00:00.000Z", opened_by: "Léa", closed_at: null, closed_by: null,
    float: 150, float_counted: true, expected_cash: 150, counted_cash: null, difference: null, tenders: {}, refunds: 0,
    refunds_by_tender: {}, cash_in: 0, cash_out: 0, receipts: 0, by_product: [], by_cashier: [], abandoned_baskets: 0,
    abandoned: 0, unsettled: [], currency: "EUR",
  };
  /** @returns {Results["basket"]} */
  const empty = () => ({ id: "B-1", counter: "C1", status: "open", cashier: null, created_at: "2026-12-04T09:00:00.000Z", lines: [], total: 0, currency: "EUR", receipt: null });
  const state = { basket: empty(), receipts: /** @type {Results["receipt"][]} */ ([]), shift: open ? shift : null };
  const total = () => Math.round(state.basket.lines.reduce((s, l) => s + l.amount * 100, 0)) / 100;
  const recount = () => ((state.basket.total = total()), structuredClone(state.basket));
  /** @param {string} tender @param {number} amount */
  const take = (tender, amount) => {
    if (!state.shift) return;
    state.shift.tenders[tender] = Math.round(((state.shift.tenders[tender] ?? 0) + amount) * 100) / 100;
    if (tender === "cash") state.shift.expected_cash = Math.round((state.shift.expected_cash + amount) * 100) / 100;
  };
  return {
    state,
    basket: () => recount(),
    basket_add: (/** @type {{ line: Results["basket"]["lines"][0] & Record<string, any> }} */ { line }) => {
      const id = line.kind === "giftcard" ? line.product : line.offer;
      const item = catalog.find((i) => i.id === id);
      if (!item) return { __reject: { kind: "invalid_input", code: "sale.unknown_offer", message: "x", params: {} } };
      const quantity = line.quantity ?? 1;
      const n = Math.max(0, ...state.basket.lines.map((l) => l.line)) + 1;
      state.basket.lines.push({
        line: n, kind: /** @type {any} */ (line.kind), provider: item.provider, product: item.id, name: item.name, quantity, unit_price: item.price,
        amount: Math.round(item.price * quantity * 100) / 100, currency: "EUR", msisdn: line.msisdn ?? null, sim_id: line.sim_id ?? null, failure: null,
      });
      return recount();
    },
    basket_remove: (/** @type {{ line: number }} */ { line }) => ((state.basket.lines = state.basket.lines.filter((l) => l.line !== line)), recount()),
    basket_clear: () => ((state.basket = empty()), recount()),
    basket_pay: (/** @type {{ given: Results["basket_pay"]["receipt"]["payments"][0] & Record<string, any>, customerRef: string | null }} */ { given }) => {
      const due = Math.round(total() * 100);
      const cash = given.cash ?? 0;
      const card = given.card ?? 0;
      if (cash + card < due) return { __reject: { kind: "invalid_input", code: "till.short", message: "x", params: { missing: (due - cash - card) / 100 } } };
      const opened = !state.shift;
      if (!state.shift) state.shift = { ...shift, float: 0, float_counted: false, expected_cash: 0 };
      const change = cash + card - due;
      /** @type {Results["receipt"]["payments"]} */
      const payments = [];
      if (cash > 0) payments.push({ tender: "cash", amount: (cash - change) / 100, given: cash / 100, authorisation: null });
      if (card > 0) payments.push({ tender: "card", amount: card / 100, given: null, authorisation: given.authorisation ?? null });
      for (const p of payments) take(p.tender, p.amount);
      const number = `C1-${String(state.receipts.length + 1).padStart(6, "0")}`;
      /** @type {Results["receipt"]["refunds"]} */
      const refunds = [];
      let cashLeft = (cash - change) / 100;
      const lines = state.basket.lines.map((l, i) => {
        const refused = refuse.includes(l.product);
        const lost = unknown.includes(l.product);
        if (refused) {
          const inCash = Math.min(cashLeft, l.amount);
          cashLeft -= inCash;
          if (inCash > 0) refunds.push({ receipt: number, line: l.line, tender: "cash", amount: inCash, shift: "S-1", created_at: "2026-12-04T09:05:00.000Z", reason: "amilon.insufficient_funds" });
          if (l.amount - inCash > 0) refunds.push({ receipt: number, line: l.line, tender: "card", amount: l.amount - inCash, shift: "S-1", created_at: "2026-12-04T09:05:00.000Z", reason: "amilon.insufficient_funds" });
          if (inCash > 0 && state.shift) state.shift.expected_cash -= inCash;
        }
        /** @type {Results["receipt"]["lines"][0]["order"]} */
        const o = { ...order, id: `CPT-${i + 1}`, kind: l.kind, provider: l.provider, product_name: l.name, amount: l.amount, quantity: l.quantity, status: refused ? "failed" : lost ? "unknown" : "delivered", details: { receipt: number, receipt_line: l.line } };
        /** @type {Results["receipt"]["lines"][0]["state"]} */
        const lineState = refused ? "refunded" : lost ? "to_settle" : "delivered";
        return { ...l, state: lineState, order: o };
      });
      const refundDue = refunds.reduce((s, r) => s + r.amount, 0);
      // What was given back at payment: one cancellation receipt, as the core numbers it.
      const givenBack = [...new Set(refunds.map((r) => r.line))];
      /** @type {Results["receipt"]["corrections"]} */
      const corrections = givenBack.length === 0 ? [] : [{ number: `${number}-R1`, receipt: number, lines: givenBack, whole: givenBack.length === lines.length, amount: refundDue, at: "2026-12-04T10:05:00+01:00" }];
      /** @type {Results["receipt"]} */
      const receipt = {
        number, counter: "C1", created_at: "2026-12-04T09:05:00.000Z", cashier: null, customer_ref: null, total: due / 100, change: change / 100,
        currency: "EUR", payments, lines, refunds, corrections, refund_due: refundDue, settled: !lines.some((l) => l.state === "to_settle"), training: true,
      };
      state.receipts.push(receipt);
      if (state.shift) state.shift.receipts += 1;
      state.basket = empty();
      return { receipt, opened_till: opened };
    },
    receipt: (/** @type {{ number: string }} */ { number }) =>
      state.receipts.find((r) => r.number === number) ?? { __reject: { kind: "invalid_input", code: "till.no_receipt", message: "x", params: {} } },
    print_receipt: (/** @type {{ number: string }} */ { number }) => ({ order: number, to: "Office", job: "Office-9" }),
    till_state: () => (state.shift ? structuredClone(state.shift) : null),
    till_open: (/** @type {{ floatCents: number }} */ { floatCents }) => (state.shift = { ...shift, float: floatCents / 100, expected_cash: floatCents / 100 }),
    till_cash: (/** @type {{ putIn: boolean, amountCents: number, reason: string }} */ { putIn, amountCents, reason }) => {
      if (!state.shift) return { __reject: { kind: "invalid_input", code: "till.not_open", message: "x", params: {} } };
      if (!reason.trim()) return { __reject: { kind: "invalid_input", code: "till.no_reason", message: "x", params: {} } };
      if (putIn) state.shift.cash_in += amountCents / 100;
      else state.shift.cash_out += amountCents / 100;
      state.shift.expected_cash += (putIn ? 1 : -1) * amountCents / 100;
      return structuredClone(state.shift);
    },
    till_close: (/** @type {{ countedCents: number }} */ { countedCents }) => {
      if (!state.shift) return { __reject: { kind: "invalid_input", code: "till.not_open", message: "x", params: {} } };
      const closed = { ...state.shift, closed_at: "2026-12-04T19:00:00.000Z", closed_by: "Marc", counted_cash: countedCents / 100, difference: Math.round(countedCents - state.shift.expected_cash * 100) / 100 };
      state.shift = null;
      return closed;
    },
    print_shift: (/** @type {{ shift: string }} */ { shift: id }) => ({ order: id, to: "Office", job: "Office-10" }),
  };
};

/**
 * This counter and the shop's database: working alone unless `over` says otherwise.
 * @param {Partial<Results["share_status"]>} over
 * @returns {Results["share_status"]}
 */
export function shareStatus(over = {}) {
  return {
    counter: "C1", database: null, reachable: false, unsent: 0, oldest_unsent_at: null,
    unsent_sales: 0, oldest_unsent_sale_at: null, last_push_at: null, conflicts: 0, problem: null, ...over,
  };
}
