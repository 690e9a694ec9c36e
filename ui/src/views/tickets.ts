// The Tickets screen (Anomalie Adresse): the operator's list with filters,
// sorting and paging written in the API's filter language (and said so),
// Comptoir's copy when the operator does not answer, the full-text search
// of that copy, and a refresh from the operator's event feed.
import { api, asCoreError, type ListQuery, type TicketList, type TicketView } from "../api";
import { h, clear } from "../dom";
import { errorText, plural, t, type Key } from "../i18n";
import { dateTime } from "../format";
import { notice } from "./notice";

const PAGE = 20;
const STATUSES = ["ACKNOWLEDGED", "IN_PROGRESS", "PENDING", "RESOLVED", "CLOSED", "REJECTED", "CANCELED"];
const TYPES = ["AnomalieAdresse.creation", "AnomalieAdresse.newBuilding", "AnomalieAdresse.modification", "AnomalieAdresse.nbLogements"];
const SORTS: [string, Key][] = [
  ["", "tickets.sort.operator"],
  ["-creationDate", "tickets.sort.newest"],
  ["+creationDate", "tickets.sort.oldest"],
  ["+status,-creationDate", "tickets.sort.status"],
];

export function statusTag(status: string | null): HTMLElement {
  const s = status ?? "";
  const tone = s === "PENDING" || s === "RESOLVED" ? "low" : s === "REJECTED" ? "bad" : "";
  return h("span", { class: `badge tstatus ${tone}`, "data-status": s }, t(`tstatus.${s}` as Key));
}

export function deadlineText(v: TicketView): HTMLElement | string {
  const d = v.deadline;
  if (!d) return h("span", { class: "muted" }, "—");
  const date = dateTime(d.due);
  const cls = d.state === "overdue" ? "late" : d.state === "due_soon" ? "soon" : "muted";
  return h("span", { class: `deadline ${cls}`, "data-deadline": d.state }, t(`deadline.${d.state}` as Key, { date }));
}

/** The filters as the API's language writes them, in a fixed order. */
export function queryOf(status: string, type: string, building: string, sort: string, offset: number): ListQuery {
  const filters: string[] = [];
  if (status) filters.push(`status=${status}`);
  if (type) filters.push(`@type=${type}`);
  if (building.trim()) filters.push(`relatedEntity.id=${building.trim()}`);
  return { filters, sort: sort || null, fields: null, offset: offset || null, limit: PAGE };
}

export function ticketsView(root: HTMLElement): void {
  const result = h("div", { id: "tickets-result" });
  const source = h("p", { class: "muted", id: "tickets-source" });
  const list = h("div", { id: "tickets-list" });
  const search = h("input", { id: "tickets-search", type: "search", placeholder: t("tickets.search"), autocomplete: "off" });
  const status = h("select", { id: "tickets-status" }, h("option", { value: "" }, t("tickets.filter.any")), STATUSES.map((s) => h("option", { value: s }, t(`tstatus.${s}` as Key))));
  const type = h("select", { id: "tickets-type" }, h("option", { value: "" }, t("tickets.filter.any")), TYPES.map((s) => h("option", { value: s }, t(`type.${s}` as Key))));
  const building = h("input", { id: "tickets-building", placeholder: "IMB/09001/X/000E", autocomplete: "off" });
  const sort = h("select", { id: "tickets-sort" }, SORTS.map(([v, k]) => h("option", { value: v }, t(k))));
  let offset = 0;
  let latest = 0;

  const draw = async () => {
    const mine = ++latest;
    let page: TicketList;
    try {
      page = search.value.trim()
        ? await api.ticketSearch(search.value.trim(), PAGE, offset)
        : await api.ticketList(queryOf(status.value, type.value, building.value, sort.value, offset));
    } catch (e) {
      if (mine === latest) clear(list, notice(errorText(asCoreError(e)), "error"));
      return;
    }
    if (mine !== latest) return; // a later request answers for the screen
    source.textContent =
      page.source === "operator"
        ? page.query
          ? t("tickets.source.operator", { query: decodeURIComponent(page.query) })
          : t("tickets.source.operator_all")
        : t(`tickets.source.${page.source}` as Key);
    source.className = page.source === "cache" ? "offline-note" : "muted";
    drawList(list, page, offset, (o) => {
      offset = o;
      void draw();
    });
  };
  const again = () => {
    offset = 0;
    void draw();
  };
  let timer: number | undefined;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = window.setTimeout(again, 250);
  });
  for (const el of [status, type, sort]) el.addEventListener("change", again);
  building.addEventListener("change", again);

  // On opening the screen, news are said only when there are some; the
  // button always says what it did.
  const refresh = async (asked: boolean) => {
    try {
      const r = await api.ticketSync();
      if (asked || r.tickets.length > 0) clear(result, notice(t("tickets.refreshed", { events: plural("tickets.events_n", r.events), tickets: plural("tickets.updated_n", r.tickets.length) }), "success"));
    } catch (e) {
      clear(result, notice(errorText(asCoreError(e)), "error"));
    }
    await draw();
  };

  clear(
    root,
    h(
      "section",
      { class: "tickets", id: "tickets" },
      h("div", { class: "title-row" }, h("h1", {}, t("tickets.title")), h("a", { href: "#/tickets/new", class: "button primary", id: "tickets-new" }, t("tickets.new"))),
      h("p", { class: "muted" }, t("tickets.intro")),
      h(
        "div",
        { class: "panel filters", id: "tickets-filters" },
        search,
        h("label", {}, t("tickets.filter.status"), " ", status),
        h("label", {}, t("tickets.filter.type"), " ", type),
        h("label", {}, t("tickets.filter.building"), " ", building),
        h("label", {}, t("tickets.sort"), " ", sort),
        h("button", { id: "tickets-refresh", onclick: () => void refresh(true) }, t("tickets.refresh")),
      ),
      result,
      source,
      list,
    ),
  );
  // The operator's news first (the feed), then the list.
  void refresh(false);
}

function drawList(el: HTMLElement, page: TicketList, offset: number, go: (offset: number) => void): void {
  if (page.items.length === 0) {
    clear(el, h("p", { class: "muted", id: "tickets-none" }, t("tickets.none")));
    return;
  }
  const total = page.total ?? page.items.length;
  clear(
    el,
    h(
      "table",
      { class: "orders-table", id: "tickets-table" },
      h(
        "thead",
        {},
        h("tr", {}, (["ticket", "type", "status", "building", "customer", "deadline"] as const).map((c) => h("th", {}, t(`tickets.col.${c}`)))),
      ),
      h(
        "tbody",
        {},
        page.items.map((v) =>
          h(
            "tr",
            { "data-ticket": v.id, onclick: () => (location.hash = `#/tickets/${encodeURIComponent(v.id)}`) },
            h("td", {}, h("div", {}, v.ticket.name ?? ""), h("small", { class: "mono muted" }, v.id.slice(0, 8))),
            h("td", {}, v.ticket["@type"] ? t(`type.${v.ticket["@type"]}` as Key) : ""),
            h("td", {}, statusTag(v.ticket.status)),
            h("td", {}, h("div", {}, v.buildings.join(", ")), h("small", {}, v.address)),
            h("td", {}, v.customer ?? ""),
            h("td", {}, deadlineText(v)),
          ),
        ),
      ),
    ),
    h(
      "div",
      { class: "pager" },
      h("span", { class: "muted", id: "tickets-total" }, t("tickets.total", { shown: `${offset + 1}–${offset + page.items.length}`, total })),
      offset > 0 && h("button", { id: "tickets-prev", onclick: () => go(Math.max(0, offset - PAGE)) }, t("tickets.previous")),
      offset + page.items.length < total && h("button", { id: "tickets-next", onclick: () => go(offset + PAGE) }, t("tickets.next")),
    ),
  );
}
