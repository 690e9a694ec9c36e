// One ticket's page: its status and timeline with the reasons, the
// regulatory deadline, what it asks, notes, attachments (add a photo or a
// plan, open one), and the shop's actions. An action refused because the
// ticket changed meanwhile shows what changed and offers to apply again.
import { api, asCoreError, type Change, type ShopAction, type TicketView } from "../api";
import { h, clear } from "../dom";
import { errorText, t, type Key } from "../i18n";
import { chooseFile } from "../files";
import { dateTime } from "../format";
import { notice } from "./notice";
import { deadlineText, statusTag } from "./tickets";

export async function ticketView(root: HTMLElement, id: string): Promise<void> {
  const back = h("a", { href: "#/tickets", class: "back" }, t("ticket.back"));
  let v: TicketView;
  try {
    v = await api.ticketShow(id);
  } catch (e) {
    clear(root, h("section", { class: "ticket" }, back, notice(errorText(asCoreError(e)), "error")));
    return;
  }
  draw(root, v, back);
}

function reasonText(reason: string | null | undefined): string {
  return reason ? t(`reason.${reason}` as Key) : "";
}

function draw(root: HTMLElement, v: TicketView, back: HTMLElement): void {
  const tk = v.ticket;
  const row = (label: Key, value: Node | string | null | undefined) =>
    value && h("div", { class: "row" }, h("span", { class: "label" }, t(label)), h("span", { class: "value" }, value));
  const redraw = (next: TicketView) => draw(root, next, back);
  clear(
    root,
    h(
      "section",
      { class: "ticket", id: "ticket", "data-ticket": v.id },
      back,
      h(
        "h1",
        {},
        tk["@type"] ? t(`type.${tk["@type"]}` as Key) : "",
        " ",
        statusTag(tk.status),
        v.training && h("span", { class: "tag" }, t("orders.training")),
      ),
      h("p", { class: "mono" }, v.id),
      v.offline && notice(t("ticket.offline", { date: dateTime(v.read_at) }), "warning"),
      h(
        "div",
        { class: "rows" },
        row("ticket.name", tk.name),
        row("ticket.reference", tk.externalId),
        row("ticket.customer", v.customer),
        row("ticket.created", tk.creationDate && dateTime(tk.creationDate)),
        row("ticket.buildings", v.buildings.join(", ")),
        row("ticket.address", v.address),
        row("ticket.complexity", tk.complexity),
        row("ticket.expected", tk.expectedResolutionDate && dateTime(tk.expectedResolutionDate)),
        row(
          "ticket.deadline",
          v.deadline
            ? h("span", {}, deadlineText(v), " — ", t(`deadline.case.${v.deadline.case}` as Key))
            : h("span", { class: "muted" }, t("deadline.none")),
        ),
      ),
      tk.statusChangeReason &&
        h("p", { class: "reason", id: "ticket-reason" }, reasonText(tk.statusChangeReason), tk.statusChangeDetails ? ` — ${tk.statusChangeDetails}` : ""),
      issues(v),
      actionsPanel(v, redraw),
      h("h2", {}, t("ticket.timeline")),
      h(
        "ol",
        { class: "timeline", id: "ticket-timeline" },
        tk.statusChange.map((c) =>
          h(
            "li",
            {},
            h("span", { class: "when" }, c.changeDate ? dateTime(c.changeDate) : ""),
            statusTag(c.status),
            c.changeReason && h("span", { class: "msg" }, reasonText(c.changeReason)),
            c.author && h("span", { class: "muted" }, t(`ticket.by.${c.author}` as Key)),
          ),
        ),
      ),
      notesPanel(v, redraw),
      attachmentsPanel(v, redraw),
    ),
  );
}

function issues(v: TicketView): HTMLElement | null {
  const entries = Object.entries(v.ticket.issues ?? {}).filter(([, i]) => i !== null);
  if (entries.length === 0) return null;
  const text = (x: unknown) => (Array.isArray(x) ? x.join(", ") : x === undefined || x === null ? "" : String(x));
  return h(
    "div",
    { class: "panel", id: "ticket-issues" },
    h("h2", {}, t("ticket.issues")),
    h(
      "table",
      { class: "orders-table" },
      h(
        "tbody",
        {},
        entries.map(([key, issue]) => {
          const i = issue as { value?: unknown; description?: unknown };
          return h("tr", {}, h("td", { class: "mono" }, key), h("td", {}, text(i.value)), h("td", { class: "muted" }, text(i.description)));
        }),
      ),
    ),
  );
}

function changesBox(changes: Change[], again: () => void): HTMLElement {
  const show = (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x));
  return h(
    "div",
    { class: "notice warning", id: "ticket-changed", role: "alert" },
    h("p", {}, t("ticket.changed")),
    h(
      "ul",
      {},
      changes.filter((c) => c.field !== "statusChange").map((c) => h("li", {}, h("b", {}, c.field), " : ", show(c.before), " → ", show(c.after))),
    ),
    h("button", { id: "ticket-apply-again", onclick: again }, t("ticket.apply_again")),
  );
}

function actionsPanel(v: TicketView, redraw: (v: TicketView) => void): HTMLElement {
  const result = h("div", { id: "ticket-action-result" });
  const details = h("input", { id: "ticket-details", placeholder: t("ticket.details"), autocomplete: "off" });
  const answer = h("textarea", { id: "ticket-answer", placeholder: t("ticket.answer_placeholder"), rows: 2 });
  const run = async (action: ShopAction) => {
    try {
      const next =
        action === "answer" ? await api.ticketAnswer(v.id, answer.value) : await api.ticketAct(v.id, action, details.value.trim() || null);
      redraw(next);
    } catch (e) {
      const err = asCoreError(e);
      const changes = (err.params?.changes ?? null) as Change[] | null;
      if (err.code === "anomalie_adresse.stale" && changes) {
        // The ticket was read again by the core: applying again sends its new ETag.
        clear(result, changesBox(changes, () => void run(action)));
      } else {
        clear(result, notice(errorText(err), "error"));
      }
    }
  };
  const offline = v.offline;
  return h(
    "div",
    { class: "panel", id: "ticket-actions" },
    h("h2", {}, t("ticket.actions")),
    v.actions.length === 0
      ? h("p", { class: "muted" }, t("ticket.no_actions"))
      : h(
          "div",
          { class: "actions" },
          v.actions.includes("answer") && answer,
          v.actions.some((a) => a !== "answer") && details,
          v.actions.map((a) =>
            h(
              "button",
              { "data-action": a, class: a === "accept" || a === "answer" ? "primary" : "", disabled: offline, onclick: () => void run(a) },
              t(`ticket.action.${a}` as Key),
            ),
          ),
        ),
    result,
  );
}

function notesPanel(v: TicketView, redraw: (v: TicketView) => void): HTMLElement {
  const text = h("textarea", { id: "ticket-note", rows: 2, placeholder: t("ticket.note_placeholder") });
  const result = h("div", { id: "ticket-note-result" });
  return h(
    "div",
    { class: "panel", id: "ticket-notes" },
    h("h2", {}, t("ticket.notes")),
    v.notes.length === 0
      ? h("p", { class: "muted" }, t("ticket.no_notes"))
      : h(
          "ul",
          { class: "notes" },
          v.notes.map((n) =>
            h(
              "li",
              {},
              h("span", { class: "when" }, n.date ? dateTime(n.date) : ""),
              n.author && h("span", { class: "muted" }, ` ${t(`ticket.by.${n.author}` as Key)} `),
              h("span", {}, n.text ?? ""),
            ),
          ),
        ),
    !v.offline &&
      h(
        "form",
        {
          class: "note-form",
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            try {
              await api.ticketNote(v.id, text.value);
              redraw(await api.ticketShow(v.id));
            } catch (e) {
              clear(result, notice(errorText(asCoreError(e)), "error"));
            }
          },
        },
        text,
        h("button", { type: "submit", id: "ticket-note-add" }, t("ticket.note_add")),
      ),
    result,
  );
}

function attachmentsPanel(v: TicketView, redraw: (v: TicketView) => void): HTMLElement {
  const result = h("div", { id: "ticket-attach-result" });
  const preview = h("div", { id: "ticket-preview" });
  const types = ["csv", "jpeg", "jpg", "png", "svg", "pdf", "ods", "odt", "xlsx", "docx"];
  const description = h("input", { id: "ticket-file-description", placeholder: t("ticket.attach_description"), autocomplete: "off" });
  // Opening previews the file and keeps a copy in the documents folder;
  // "Save as" asks where first (cancelling changes nothing).
  const open = async (aid: string, saveAs: string | null) => {
    try {
      const to = saveAs === null ? null : await chooseFile("attachment_copy", saveAs);
      if (saveAs !== null && !to) return;
      const c = await api.ticketAttachment(v.id, aid, to);
      const url = `data:${c.mime};base64,${c.base64}`;
      clear(
        preview,
        c.mime.startsWith("image/") ? h("img", { src: url, alt: c.name, class: "attachment-preview" }) : null,
        h("p", { class: "muted" }, t("ticket.saved_to", { path: c.saved_to })),
      );
    } catch (e) {
      clear(preview, notice(errorText(asCoreError(e)), "error"));
    }
  };
  return h(
    "div",
    { class: "panel", id: "ticket-attachments" },
    h("h2", {}, t("ticket.attachments")),
    v.attachments.length === 0
      ? h("p", { class: "muted" }, t("ticket.no_attachments"))
      : h(
          "ul",
          { class: "attachments" },
          v.attachments.map((a) =>
            h(
              "li",
              { "data-attachment": a.id ?? "" },
              h("span", {}, a.name ?? ""),
              h("small", { class: "muted" }, ` ${t("ticket.size_kb", { n: Math.ceil((a.size ?? 0) / 1024) })} `),
              a.description && h("small", {}, a.description, " "),
              !v.offline && a.id && h("button", { onclick: () => void open(a.id!, null) }, t("ticket.open")),
              !v.offline && a.id && h("button", { class: "save-as", onclick: () => void open(a.id!, a.name ?? a.id!) }, t("ticket.save_as")),
            ),
          ),
        ),
    !v.offline &&
      h(
        "form",
        {
          class: "attach-form",
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            try {
              const path = await chooseFile("attachment");
              if (!path) return;
              await api.ticketAttachFile(v.id, path, description.value.trim() || null);
              redraw(await api.ticketShow(v.id));
            } catch (e) {
              clear(result, notice(errorText(asCoreError(e)), "error"));
            }
          },
        },
        h("p", { class: "muted" }, t("ticket.attach_help", { types: types.join(", ") })),
        description,
        h("button", { type: "submit", id: "ticket-attach" }, t("ticket.attach")),
      ),
    result,
    preview,
  );
}
