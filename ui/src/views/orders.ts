// Orders: the journal, searchable and filterable, offline.
import { api, asCoreError, providers, type Everywhere, type Order, type OrderFilter, type OrderKind, type OrderSort, type OrderStatus, type ProviderId } from "../api";
import { h, clear } from "../dom";
import { errorText, plural, t, type Key } from "../i18n";
import { chooseFile } from "../files";
import { dateTime, money, number, phone } from "../format";
import { dateField } from "./datefield";
import { notice } from "./notice";

const PAGE = 25;
const KINDS: OrderKind[] = ["esim", "topup", "giftcard", "payment", "subscription", "ticket"];
const STATUSES: OrderStatus[] = ["pending", "processing", "delivered", "failed", "unknown", "refunded", "cancelled"];
const SORTS: OrderSort[] = ["newest", "oldest", "highest", "lowest"];

export function statusBadge(status: OrderStatus): HTMLElement {
  return h("span", { class: `status ${status}` }, t(`status.${status}` as Key));
}

export function ordersView(root: HTMLElement): void {
  const filter: OrderFilter = { limit: PAGE, offset: 0 };
  const table = h("div", { id: "orders-table" });
  const pager = h("div", { class: "pager" });
  const search = h("input", { type: "search", id: "orders-search", placeholder: t("orders.search"), autocomplete: "off" });
  const provider = h("select", { id: "orders-provider" }, h("option", { value: "" }, t("orders.all_providers")), providers().map(([id, name]) => h("option", { value: id }, name)));
  const status = h("select", { id: "orders-status" }, h("option", { value: "" }, t("orders.all_statuses")), STATUSES.map((s) => h("option", { value: s }, t(`status.${s}` as Key))));
  const kind = h("select", { id: "orders-kind" }, h("option", { value: "" }, t("orders.all_kinds")), KINDS.map((k) => h("option", { value: k }, t(`kind.${k}` as Key))));
  const sort = h("select", { id: "orders-sort", "aria-label": t("orders.sort") }, SORTS.map((s) => h("option", { value: s }, t(`orders.sort.${s}` as Key))));
  const liveOnly = h("input", { type: "checkbox", id: "orders-live" });
  // Every counter's orders, from the shop's database: offered only to a
  // counter that shares one.
  const everywhere = h("input", { type: "checkbox", id: "orders-everywhere" });
  const everywhereLabel = h("label", { class: "check", hidden: true }, everywhere, t("orders.everywhere"));
  const offline = h("div", { id: "orders-offline" });
  const exported = h("div", { id: "orders-exported" });
  const exportButton = h(
    "button",
    {
      id: "orders-export",
      onclick: async () => {
        try {
          const chosen = await chooseFile("orders_export");
          if (!chosen) return;
          const path = await api.exportOrders({ ...filter, limit: undefined, offset: undefined }, ";", chosen);
          clear(exported, notice(t("orders.exported", { path }), "success"));
        } catch (e) {
          clear(exported, notice(errorText(asCoreError(e)), "error"));
        }
      },
    },
    t("orders.export"),
  );
  const importButton = h(
    "button",
    {
      id: "orders-import",
      onclick: async () => {
        try {
          const path = await chooseFile("orders_import");
          if (!path) return;
          const r = await api.importOrders(path);
          const said = { imported: plural("orders.imported_n", r.imported), skipped: plural("orders.skipped_n", r.skipped) };
          clear(exported, notice(t("orders.imported", said), "success"));
          void load();
        } catch (e) {
          clear(exported, notice(errorText(asCoreError(e)), "error"));
        }
      },
    },
    t("orders.import"),
  );
  const from = dateField("orders-from", "orders.from");
  const to = dateField("orders-to", "orders.to");

  const apply = () => {
    filter.search = search.value || undefined;
    filter.provider = (provider.value || undefined) as ProviderId | undefined;
    filter.status = (status.value || undefined) as OrderStatus | undefined;
    filter.kind = (kind.value || undefined) as OrderKind | undefined;
    filter.training = liveOnly.checked ? false : undefined;
    filter.from = from.dataset.iso || undefined;
    filter.to = to.dataset.iso || undefined;
    filter.sort = sort.value as OrderSort;
    filter.offset = 0;
    void load();
  };
  for (const el of [search, provider, kind, status, from, to, sort, liveOnly, everywhere]) el.addEventListener(el === search ? "input" : "change", apply);

  // Each keystroke asks again, and answers may come back out of order (a
  // search across counters takes longer for a short prefix): only the
  // latest question's answer is drawn, or "06 8"'s empty answer, come
  // last, would hide what "06 84 58 75 87" found.
  let asked = 0;
  const loadEverywhere = async (question: number) => {
    const found: Everywhere = await api.ordersEverywhere(filter);
    if (question !== asked) return;
    renderTable(table, found.orders, true);
    clear(offline, found.offline && notice(t("orders.offline_everywhere"), "warning"));
    const offset = filter.offset ?? 0;
    const more = found.count > offset + found.orders.length;
    clear(
      pager,
      h("span", { id: "orders-count" }, plural("orders.count", found.count, { n: number(found.count) })),
      h("button", { disabled: offset === 0, onclick: () => { filter.offset = Math.max(0, offset - PAGE); void load(); } }, t("orders.prev")),
      h("button", { id: "orders-next", disabled: !more, onclick: () => { filter.offset = offset + PAGE; void load(); } }, t("orders.next")),
    );
  };

  const load = async () => {
    const question = ++asked;
    try {
      if (everywhere.checked) return await loadEverywhere(question);
      const page = await api.orders(filter);
      if (question !== asked) return;
      clear(offline);
      renderTable(table, page.orders);
      const offset = filter.offset ?? 0;
      clear(
        pager,
        // Past the core's count, "more than 10,000": the pages go on while full.
        h("span", { id: "orders-count" }, page.more ? t("orders.count.more", { n: number(page.total) }) : plural("orders.count", page.total, { n: number(page.total) })),
        h("button", { disabled: offset === 0, onclick: () => { filter.offset = Math.max(0, offset - PAGE); void load(); } }, t("orders.prev")),
        h("button", { id: "orders-next", disabled: page.more ? page.orders.length < PAGE : offset + PAGE >= page.total, onclick: () => { filter.offset = offset + PAGE; void load(); } }, t("orders.next")),
      );
    } catch (e) {
      if (question === asked) clear(table, notice(errorText(asCoreError(e)), "error"));
    }
  };

  clear(
    root,
    h("section", { class: "orders" }, h("h1", {}, t("orders.title")), h("div", { class: "filters" }, search, provider, kind, status, from, to, sort, h("label", { class: "check" }, liveOnly, t("orders.live_only")), everywhereLabel, exportButton), h("div", { class: "filters" }, importButton), exported, offline, table, pager),
  );
  search.focus();
  void load();
  void api.shareStatus(false).then((s) => (everywhereLabel.hidden = !s.database), () => undefined);
}

function renderTable(table: HTMLElement, orders: (Order & { counter?: string })[], counters = false): void {
  if (orders.length === 0) {
    clear(table, h("p", { class: "empty" }, t("orders.empty")));
    return;
  }
  const head: Key[] = ["orders.col.date", "orders.col.id", ...(counters ? (["orders.col.counter"] as Key[]) : []), "orders.col.product", "orders.col.customer", "orders.col.status", "orders.col.amount"];
  clear(
    table,
    h(
      "table",
      { class: "orders-table" },
      h("thead", {}, h("tr", {}, head.map((k) => h("th", {}, t(k))))),
      h(
        "tbody",
        {},
        orders.map((o) =>
          h(
            "tr",
            { "data-id": o.id, tabindex: 0, onclick: () => (location.hash = `#/orders/${encodeURIComponent(o.id)}`) },
            h("td", {}, dateTime(o.created_at)),
            h("td", { class: "mono" }, o.id),
            counters && h("td", { class: "at-counter" }, o.counter ?? ""),
            h("td", {}, o.product_name, o.training && h("span", { class: "tag" }, t("orders.training"))),
            h("td", {}, [o.customer_ref, phone(o.phone, o.details) ?? o.sim_id].filter(Boolean).join(" · ")),
            h("td", {}, statusBadge(o.status)),
            h("td", { class: "num" }, money(o.amount, o.currency)),
          ),
        ),
      ),
    ),
  );
}
