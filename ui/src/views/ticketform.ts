// The guided form of a new address report: the kind (missing address, new
// building, an individual or a bulk correction, the number of housings),
// the address fields labelled with the document's IPE names, and the rules
// shown before sending. The form and the rules come from the core's own
// tables (`ticket_form`); the core checks the ticket again before anything
// is sent and names the rule a ticket breaks.
import { api, asCoreError, type TicketForm } from "../api";
import { h, clear } from "../dom";
import { errorText, locale, t, type Key } from "../i18n";
import { notice } from "./notice";

type Kind = "creation" | "newBuilding" | "modification" | "bulk" | "nbLogements";
const KINDS: Kind[] = ["creation", "newBuilding", "modification", "bulk", "nbLogements"];
const PROJECTIONS = ["WGS84", "RFG93", "RGFG95", "RGR92", "RGM04", "RGSPM06"];

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let at = target;
  for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
  at[parts[parts.length - 1]] = value;
}

export async function ticketFormView(root: HTMLElement): Promise<void> {
  let spec: TicketForm;
  try {
    spec = await api.ticketForm();
  } catch (e) {
    clear(root, notice(errorText(asCoreError(e)), "error"));
    return;
  }
  const label = (f: TicketForm["address_fields"][number]) => (locale() === "fr" ? f.label_fr : f.label_en);
  const input = (id: string, attrs: Record<string, string> = {}) => h("input", { id, autocomplete: "off", ...attrs });
  const result = h("div", { id: "form-result" });

  const kind = h("select", { id: "form-kind" }, KINDS.map((k) => h("option", { value: k }, t(`form.kind.${k}` as Key))));
  const codeOi = input("form-code-oi", { placeholder: "ORNG", maxlength: "4" });
  const codeOc = input("form-code-oc", { placeholder: spec.code_oc ?? "ABCD", maxlength: "4", value: spec.code_oc ?? "" });
  const customerRequest = h("input", { id: "form-customer-request", type: "checkbox", checked: true });
  const customer = input("form-customer");
  const priority = h("select", { id: "form-priority" }, ["LOW", "MEDIUM", "HIGH"].map((p) => h("option", { value: p }, t(`form.priority.${p}` as Key))));
  const description = h("textarea", { id: "form-description", rows: 2 });

  // A creation's address: every field of the table, by its IPE name.
  const address = new Map<string, HTMLInputElement>();
  const addressRows = spec.address_fields.map((f) => {
    const el = input(`form-${f.ipe}`);
    address.set(f.building_path, el);
    return [h("label", { for: el.id }, h("span", {}, label(f)), h("small", { class: "mono muted" }, ` ${f.ipe}`)), el];
  });
  const buildingType = h("select", { id: "form-building-type" }, ["IMMEUBLE", "PAVILLON"].map((x) => h("option", { value: x }, t(`form.type.${x}` as Key))));
  const newConstruction = h("input", { id: "form-new-construction", type: "checkbox" });
  const x = input("form-x", { inputmode: "decimal", placeholder: "1.6053" });
  const y = input("form-y", { inputmode: "decimal", placeholder: "42.9639" });
  const projection = h("select", { id: "form-projection" }, PROJECTIONS.map((p) => h("option", { value: p }, p)));
  const buildings = h("textarea", { id: "form-buildings", rows: 3, placeholder: "IMB/09001/X/000E" });
  const housings = input("form-housings", { type: "number", min: "0" });

  // The correction table: field (the IPE name when it has one), value, rule.
  const corrections = h("tbody", { id: "form-corrections" });
  const addCorrection = () => {
    const name = (key: string) => spec.address_fields.find((f) => f.issue === key);
    corrections.append(
      h(
        "tr",
        {},
        h("td", {}, h("select", { class: "c-key" }, spec.issue_keys.map((k) => h("option", { value: k }, name(k) ? `${label(name(k)!)} (${name(k)!.ipe})` : t(`issue.${k}` as Key))))),
        h("td", {}, h("input", { class: "c-value", autocomplete: "off" })),
        h("td", {}, h("input", { class: "c-description", autocomplete: "off" })),
      ),
    );
  };
  addCorrection();

  const creationPart = h(
    "fieldset",
    { id: "form-creation" },
    h("legend", {}, t("form.address")),
    h("div", { class: "form-grid" }, addressRows.flat()),
    h(
      "div",
      { class: "form-grid" },
      h("label", { for: "form-building-type" }, t("form.building_type")),
      buildingType,
      h("label", { for: "form-new-construction" }, t("form.new_construction")),
      newConstruction,
      h("label", { for: "form-x" }, t("form.location")),
      h("span", { class: "coords" }, x, y, projection),
    ),
  );
  const buildingsPart = h(
    "fieldset",
    { id: "form-buildings-part" },
    h("legend", {}, t("form.buildings")),
    buildings,
  );
  const correctionsPart = h(
    "fieldset",
    { id: "form-corrections-part" },
    h("legend", {}, t("form.corrections")),
    h(
      "table",
      { class: "offers-table" },
      h("thead", {}, h("tr", {}, h("th", {}, t("form.correction_field")), h("th", {}, t("form.correction_value")), h("th", {}, t("form.correction_description")))),
      corrections,
    ),
    h("button", { type: "button", id: "form-add-correction", onclick: addCorrection }, t("form.add_correction")),
  );
  const housingsPart = h("fieldset", { id: "form-housings-part" }, h("legend", {}, t("form.housings")), housings);

  const show = () => {
    const k = kind.value as Kind;
    creationPart.hidden = !(k === "creation" || k === "newBuilding");
    buildingsPart.hidden = k === "creation";
    correctionsPart.hidden = !(k === "modification" || k === "bulk");
    housingsPart.hidden = k !== "nbLogements";
  };
  kind.addEventListener("change", show);
  show();

  const build = (): Record<string, unknown> => {
    const k = kind.value as Kind;
    const type = k === "bulk" ? "modification" : k;
    const ticket: Record<string, unknown> = {
      "@type": `AnomalieAdresse.${type}`,
      code_oi: codeOi.value.trim().toUpperCase(),
      ticketType: customerRequest.checked ? "CUSTOMER_REQUEST" : "OC_REQUEST",
      priority: priority.value,
    };
    if (codeOc.value.trim()) ticket.code_oc = codeOc.value.trim().toUpperCase();
    if (description.value.trim()) ticket.description = description.value.trim();
    const ids = buildings.value.split(/\s+/).filter(Boolean);
    if (k !== "creation") ticket.relatedEntity = ids.map((id) => ({ id, "@referredType": "Building" }));
    if (k === "creation" || k === "newBuilding") {
      const building: Record<string, unknown> = { type: buildingType.value, newConstruction: newConstruction.checked };
      for (const [path, el] of address) if (el.value.trim()) setPath(building, path, el.value.trim());
      if (x.value.trim() || y.value.trim())
        building.geographicLocation = [{ x: Number(x.value.replace(",", ".")), y: Number(y.value.replace(",", ".")), type: projection.value }];
      ticket.building = building;
    }
    if (k === "modification" || k === "bulk") {
      const issues: Record<string, unknown> = {};
      for (const tr of Array.from(corrections.rows)) {
        const key = (tr.querySelector(".c-key") as HTMLSelectElement).value;
        const value = (tr.querySelector(".c-value") as HTMLInputElement).value.trim();
        const rule = (tr.querySelector(".c-description") as HTMLInputElement).value.trim();
        if (!value && !rule) continue;
        issues[key] = { ...(value ? { value } : {}), ...(rule ? { description: rule } : {}) };
      }
      ticket.issues = issues;
    }
    if (k === "nbLogements") ticket.issues = { "building.housingsNumber": { value: Number(housings.value) } };
    return ticket;
  };

  const send = h("button", { class: "primary", type: "submit", id: "form-send" }, t("form.send"));
  clear(
    root,
    h(
      "section",
      { class: "ticket-form", id: "ticket-form" },
      h("a", { href: "#/tickets", class: "back" }, t("ticket.back")),
      h("h1", {}, t("form.title")),
      h(
        "form",
        {
          class: "panel",
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            send.disabled = true;
            clear(result, notice(t("form.sending"), "info"));
            try {
              const v = await api.ticketNew(build(), customer.value.trim() || null);
              location.hash = `#/tickets/${encodeURIComponent(v.id)}`;
            } catch (e) {
              clear(result, notice(errorText(asCoreError(e)), "error"));
            } finally {
              send.disabled = false;
            }
          },
        },
        h(
          "div",
          { class: "form-grid" },
          h("label", { for: "form-kind" }, t("form.kind")),
          kind,
          h("label", { for: "form-code-oi" }, t("form.code_oi")),
          codeOi,
          h("label", { for: "form-code-oc" }, t("form.code_oc")),
          codeOc,
          h("label", { for: "form-customer-request" }, t("form.customer_request")),
          customerRequest,
          h("label", { for: "form-customer" }, t("form.customer")),
          customer,
          h("label", { for: "form-priority" }, t("form.priority")),
          priority,
          h("label", { for: "form-description" }, t("form.description")),
          description,
        ),
        creationPart,
        buildingsPart,
        correctionsPart,
        housingsPart,
        h(
          "div",
          { class: "rules", id: "form-rules" },
          h("p", {}, t("form.rules")),
          h(
            "ul",
            {},
            (["identification", "building", "modification", "bulk", "codes"] as const).map((r) => h("li", {}, t(`form.rule.${r}`))),
          ),
        ),
        send,
        result,
      ),
    ),
  );
}
