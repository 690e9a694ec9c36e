// The counter: the catalog on the left; on the right, the chosen product
// and the basket it is added to, paid at once for every line.
import { api, asCoreError, type CatalogItem, type LineRequest } from "../api";
import { h, clear } from "../dom";
import { errorText, t, type Key } from "../i18n";
import { dateTime, money, number } from "../format";
import { notice } from "./notice";
import { basketPanel, type BasketPanel } from "./basket";

const LOW_STOCK = 5;
/** How long typing may pause before the catalog is searched. */
const SEARCH_PAUSE_MS = 150;
/** Items drawn at once; one more is asked for, to know there are more. */
const SHOWN = 60;

interface State {
  items: CatalogItem[];
  type: "" | "esim" | "topup" | "giftcard";
  search: string;
  category: string;
  supplier: string;
  minData: string;
  minDays: string;
  selected: CatalogItem | null;
}

export function counterView(root: HTMLElement): void {
  let typing: ReturnType<typeof setTimeout> | undefined;
  let asked = 0;
  const state: State = { items: [], type: "", search: "", category: "", supplier: "", minData: "", minDays: "", selected: null };
  const list = h("div", { class: "catalog-grid", id: "catalog" });
  const info = h("div", { class: "catalog-info", id: "catalog-info" });
  // Sync problems stay visible above the cached catalog until the next sync.
  const warning = h("div", { id: "catalog-warning" });
  const chosen = h("div", { id: "sale" });
  const basket = basketPanel();
  const sale = h("aside", { class: "sale-panel" }, chosen, basket.el);
  const search = h("input", {
    type: "search",
    id: "catalog-search",
    placeholder: t("counter.search"),
    autocomplete: "off",
    oninput: () => {
      state.search = search.value;
      // A keystroke waits for the next: one search per pause, not per letter.
      clearTimeout(typing);
      typing = setTimeout(() => void load(), SEARCH_PAUSE_MS);
    },
  });
  const tabs = h("div", { class: "tabs", role: "tablist" });
  const supplier = h("select", { id: "filter-supplier" }, h("option", { value: "" }, t("counter.any_supplier")));
  const minData = h(
    "select",
    { id: "filter-data" },
    h("option", { value: "" }, t("counter.any_data")),
    [1, 5, 10, 20].map((n) => h("option", { value: n }, t("counter.min_data", { n }))),
  );
  const minDays = h(
    "select",
    { id: "filter-days" },
    h("option", { value: "" }, t("counter.any_validity")),
    [7, 14, 30].map((n) => h("option", { value: n }, t("counter.min_validity", { n }))),
  );
  const category = h("select", { id: "filter-category", hidden: true }, h("option", { value: "" }, t("counter.any_category")));
  for (const [el, key] of [[supplier, "supplier"], [minData, "minData"], [minDays, "minDays"], [category, "category"]] as const) {
    el.addEventListener("change", () => {
      state[key] = el.value;
      void load();
    });
  }
  // Every supplier and category of the cached catalog, from the core.
  void api.catalogFacets().then((facets) => {
    for (const name of facets.suppliers) supplier.append(h("option", { value: name }, name));
    for (const name of facets.categories) category.append(h("option", { value: name }, categoryName(name)));
  }, () => undefined);

  const renderTabs = () =>
    clear(
      tabs,
      (["", "esim", "topup", "giftcard"] as const).map((type) =>
        h(
          "button",
          {
            class: state.type === type ? "tab active" : "tab",
            role: "tab",
            "data-type": type || "all",
            onclick: () => {
              state.type = type;
              // Gift cards are chosen by category; data and validity are for eSIMs and top-ups.
              category.hidden = type !== "giftcard";
              minData.hidden = minDays.hidden = type === "giftcard";
              if (type !== "giftcard") state.category = category.value = "";
              renderTabs();
              void load();
            },
          },
          t(({ "": "counter.all", esim: "counter.esim", topup: "counter.topup", giftcard: "counter.giftcard" } as const)[type]),
        ),
      ),
    );

  const renderList = () => {
    if (state.items.length === 0) {
      clear(list, h("p", { class: "empty" }, t(state.search || state.type ? "counter.no_match" : "counter.empty")));
      return;
    }
    // A screenful: past SHOWN the cashier narrows the search rather than
    // scroll (a contract of 20,000 gift cards would take a second to draw).
    clear(
      list,
      state.items.slice(0, SHOWN).map((item) => card(item, state.selected?.id === item.id, () => select(item))),
      state.items.length > SHOWN && h("p", { class: "empty", id: "catalog-more" }, t("counter.more", { n: number(SHOWN) })),
    );
  };

  const select = (item: CatalogItem) => {
    state.selected = item;
    renderList();
    renderSale(chosen, item, basket);
  };

  const load = async () => {
    // Only the latest search's answer is drawn: a slow earlier answer
    // arriving after a later one is dropped.
    const mine = ++asked;
    try {
      const items = await api.catalog({
        type: state.type || undefined,
        search: state.search || undefined,
        supplier: state.supplier || undefined,
        category: state.category || undefined,
        min_data_gb: state.minData ? Number(state.minData) : undefined,
        min_validity_days: state.minDays ? Number(state.minDays) : undefined,
        limit: SHOWN + 1,
      });
      if (mine !== asked) return;
      state.items = items;
      const synced = state.items[0]?.synced_at;
      clear(info, synced ? t("counter.synced", { when: dateTime(synced) }) : "");
      renderList();
    } catch (e) {
      if (mine === asked) clear(list, notice(errorText(asCoreError(e)), "error"));
    }
  };

  renderTabs();
  renderSale(chosen, null, basket);
  void basket.refresh();
  clear(
    root,
    h("section", { class: "counter" }, h("div", { class: "catalog" }, h("div", { class: "catalog-bar" }, search, tabs), h("div", { class: "catalog-filters" }, supplier, category, minData, minDays), info, warning, list), sale),
  );
  search.focus();
  void load().then(async () => {
    // Refresh the cache in the background; the cached catalog stays usable.
    clear(info, t("counter.syncing"));
    try {
      await api.sync();
      clear(warning);
    } catch (e) {
      clear(warning, notice(errorText(asCoreError(e)), "warning"));
    }
    await load();
  });
}

/** A gift card's category in the shop's words: Amilon names them with
 * English slugs whatever the culture (`food-delivery`); one it adds later
 * is shown as it comes. */
function categoryName(slug: string): string {
  const key = `category.${slug}` as Key;
  const said = t(key);
  return said === key ? slug : said;
}

function card(item: CatalogItem, selected: boolean, onSelect: () => void): HTMLElement {
  const low = item.available && item.stock !== null && item.stock <= LOW_STOCK;
  const badges = [
    !item.available && item.unavailable_reason && h("span", { class: "badge bad" }, t(`reason.${item.unavailable_reason}` as Key)),
    low && h("span", { class: "badge low" }, t("counter.low_stock", { n: item.stock })),
  ];
  return h(
    "button",
    {
      class: ["card", selected && "selected", !item.available && "disabled", low && "low"].filter(Boolean).join(" "),
      "data-id": item.id,
      disabled: !item.available,
      title: item.available ? null : t(`reason.${item.unavailable_reason}` as Key),
      onclick: onSelect,
    },
    item.type === "giftcard" ? logo(item) : null,
    h("span", { class: "kind" }, item.type === "esim" ? "eSIM" : item.type === "giftcard" ? t("counter.kind_giftcard") : t("counter.kind_topup")),
    h("strong", { class: "name" }, item.name),
    h(
      "span",
      { class: "facts" },
      [item.data_gb !== null && t("counter.data", { n: number(item.data_gb) }), item.validity_days !== null && t("counter.days", { n: item.validity_days })]
        .filter(Boolean)
        .join(" · "),
    ),
    item.type === "giftcard"
      ? h("span", { class: "countries" }, [item.supplier, item.tags[0] && categoryName(item.tags[0])].filter(Boolean).join(" · "))
      : h("span", { class: "countries" }, item.countries.slice(0, 8).join(" ")),
    h("span", { class: "price" }, money(item.price, item.currency)),
    h("span", { class: "badges" }, badges),
  );
}

function renderSale(panel: HTMLElement, item: CatalogItem | null, basket: BasketPanel): void {
  if (!item) {
    clear(panel, h("p", { class: "muted" }, t("sale.none")));
    return;
  }
  const row = (label: string, value: string) => h("div", { class: "row" }, h("span", { class: "label" }, label), h("span", { class: "value" }, value));
  clear(
    panel,
    h("div", { class: "sale-item" }, h("strong", { class: "sale-name" }, item.name), h("span", { class: "sale-price", id: "sale-price" }, money(item.price, item.currency))),
    h(
      "div",
      { class: "rows" },
      item.supplier && row(t("sale.supplier"), item.supplier),
      item.type !== "giftcard" && item.countries.length > 0 &&
        row(t("sale.countries"), (item.country_names.length === item.countries.length ? item.country_names : item.countries).join(", ")),
      item.cost !== null && row(t("sale.cost"), money(item.cost, item.currency)),
      item.cost !== null && row(t("sale.margin"), money(item.price - item.cost, item.currency)),
      item.stock !== null && row(t("counter.stock", { n: "" }).replace(/\s*:?\s*$/, ""), String(item.stock)),
    ),
    item.type === "topup" ? topupForm(item, basket) : item.type === "giftcard" ? giftcardForm(item, basket) : esimForm(item, basket),
  );
}

/** The eSIM form: Add to the basket. */
function esimForm(item: CatalogItem, basket: BasketPanel): HTMLElement {
  const result = h("div", { id: "sale-result", "aria-live": "polite" });
  const add = h("button", { id: "sale-add", class: "primary big", type: "submit" }, t("basket.add"));
  return h(
    "form",
    { class: "sale-form", onsubmit: onAdd(add, result, basket, item, () => ({ kind: "esim", offer: item.id }), () => (add.disabled = false)) },
    add,
    result,
  );
}

/** The top-up form: the line's number (typed, or a scanner's digits then
 *  Enter, which adds the line at once), and Add. */
function topupForm(item: CatalogItem, basket: BasketPanel): HTMLElement {
  const bySimId = item.recipient === "sim_id";
  const result = h("div", { id: "sale-result", "aria-live": "polite" });
  const line = h("input", { id: "sale-line", inputmode: "tel", autocomplete: "off", placeholder: bySimId ? "1956392841179" : "06 84 58 75 87" });
  const add = h("button", { id: "sale-add", class: "primary big", type: "submit", disabled: true }, t("basket.add"));
  line.addEventListener("input", () => (add.disabled = line.value.trim() === ""));
  const request = (): LineRequest => ({ kind: "topup", offer: item.id, msisdn: bySimId ? null : line.value, sim_id: bySimId ? line.value : null });
  const form = h(
    "form",
    {
      class: "sale-form",
      onsubmit: onAdd(add, result, basket, item, request, () => (add.disabled = line.value.trim() === ""), () => {
        // Ready for the next number, from the keyboard or the scanner.
        line.value = "";
        line.focus();
      }),
    },
    h("label", { for: "sale-line" }, t(bySimId ? "sale.sim_id" : "sale.msisdn")),
    line,
    add,
    result,
  );
  queueMicrotask(() => line.focus());
  return form;
}

// Logos are read once from the core's cache, as data: URLs (the window's CSP).
const logos = new Map<string, Promise<string>>();

/** The retailer's logo, filled in when the core has it; nothing otherwise. */
function logo(item: CatalogItem): HTMLElement {
  const img = h("img", { class: "logo", alt: item.supplier ?? "", hidden: true }) as HTMLImageElement;
  if (item.logo) {
    if (!logos.has(item.logo)) logos.set(item.logo, api.catalogLogo(item.logo));
    logos.get(item.logo)!.then(
      (src) => {
        img.src = src;
        img.hidden = false;
      },
      () => undefined,
    );
  }
  return img;
}

/** The gift-card form: quantity within the card's limits, the line's
 *  amount, and Add. */
function giftcardForm(item: CatalogItem, basket: BasketPanel): HTMLElement {
  const min = item.min_quantity ?? 1;
  const max = item.max_quantity ?? 99;
  const result = h("div", { id: "sale-result", "aria-live": "polite" });
  const quantity = h("input", { id: "sale-quantity", type: "number", min, max, step: 1, value: min, inputmode: "numeric" }) as HTMLInputElement;
  const total = h("span", { class: "value", id: "sale-total" });
  const add = h("button", { id: "sale-add", class: "primary big", type: "submit" }, t("basket.add"));
  const update = () => {
    const n = Number(quantity.value);
    const ok = Number.isInteger(n) && n >= min && n <= max;
    total.textContent = ok ? money(item.price * n, item.currency) : "—";
    add.disabled = !ok;
  };
  quantity.addEventListener("input", update);
  update();
  return h(
    "form",
    { class: "sale-form", onsubmit: onAdd(add, result, basket, item, () => ({ kind: "giftcard", product: item.id, quantity: Number(quantity.value) }), update) },
    h("label", { for: "sale-quantity" }, t("sale.quantity", { min, max })),
    quantity,
    h("div", { class: "rows" }, h("div", { class: "row" }, h("span", { class: "label" }, t("sale.total")), total)),
    add,
    result,
  );
}

/** A form's submit: the line added to the basket (checked by the core as
 *  its sale would be), or why not; then the button is given back. */
function onAdd(
  add: HTMLButtonElement,
  result: HTMLElement,
  basket: BasketPanel,
  item: CatalogItem,
  request: () => LineRequest,
  settle: () => void,
  added: () => void = () => undefined,
) {
  return async (ev: Event) => {
    ev.preventDefault();
    if (add.disabled) return;
    add.disabled = true;
    clear(result);
    try {
      basket.show(await api.basketAdd(request()));
      clear(result, notice(t("basket.added", { name: item.name }), "success"));
      added();
    } catch (e) {
      clear(result, notice(errorText(asCoreError(e)), "error"));
    } finally {
      settle();
    }
  };
}
