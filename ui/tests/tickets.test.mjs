// UI tests of the Anomalie Adresse screens in a real Chromium: the list in
// the API's filter language (and the cache offline), one ticket's page with
// its actions and the 412 round trip, notes and attachments, the guided form.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serve, launch, open, baseAnswers, ticketForm, ticketView } from "./harness.mjs";

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** @param {any[]} items @param {Partial<import("../src/api").TicketList>} over */
const list = (items, over = {}) => ({ items, total: items.length, result_count: items.length, source: "operator", query: "limit=20", ...over });

const overdue = ticketView(
  { id: "t-2", name: "AA-2026-000002", status: "PENDING", "@type": "AnomalieAdresse.modification", statusChangeReason: "WAITING_INFORMATION" },
  { id: "t-2", buildings: ["IMB/09001/X/000E"], address: "Rue Neuve", customer: "M. Martin",
    deadline: { case: "simple", starts: "2026-11-01T09:00:00+00:00", due: "2026-11-08T09:00:00+00:00", state: "overdue" }, actions: ["cancel", "answer"] },
);

test("tickets: filters go to the operator in the API's language, the list says so, a row opens the ticket", async () => {
  const app = await open(
    browser,
    server.url,
    baseAnswers({
      ticket_sync: { events: 3, tickets: ["t-2"], until: "2026-12-01T10:00:00.000Z" },
      ticket_list: (args) => list([ticketView(), overdue], { query: args.query.filters.length ? "status=PENDING&limit=20" : "limit=20" }),
      ticket_show: () => overdue,
    }),
    { hash: "#/tickets" },
  );
  const { page } = app;
  await page.waitForSelector("#tickets-table tr[data-ticket='t-2']");
  assert.match(await page.textContent("#tickets-result"), /3 events read, 1 ticket updated\./);
  assert.match(await page.textContent("#tickets-source"), /The operator's list \(the API's filter language\): limit=20/);
  const row = await page.textContent("#tickets-table tr[data-ticket='t-2']");
  assert.match(row, /Waiting for you/);
  assert.match(row, /IMB\/09001\/X\/000E/);
  assert.equal(await page.getAttribute("#tickets-table tr[data-ticket='t-2'] .deadline", "class"), "deadline late");
  await page.selectOption("#tickets-status", "PENDING");
  await page.selectOption("#tickets-sort", "-creationDate");
  await page.waitForFunction(() => document.querySelector("#tickets-source")?.textContent?.includes("status=PENDING"));
  const last = app.calls().filter(([c]) => c === "ticket_list").at(-1)[1];
  assert.deepEqual(last.query, { filters: ["status=PENDING"], sort: "-creationDate", fields: null, offset: null, limit: 20 });
  await page.click("#tickets-table tr[data-ticket='t-2']");
  await page.waitForSelector("#ticket[data-ticket='t-2']");
  assert.match(page.url(), /#\/tickets\/t-2$/);
  assert.deepEqual(app.errors, []);
  await app.close();
});

test("tickets: offline the list is Comptoir's copy and says so; the search box searches that copy", async () => {
  const app = await open(
    browser,
    server.url,
    baseAnswers({
      ticket_sync: { __reject: { kind: "unavailable", code: "anomalie_adresse.unavailable", message: "down" } },
      ticket_list: list([ticketView()], { source: "cache" }),
      ticket_search: (args) => list(args.text === "garcia" ? [ticketView()] : [], { source: "search" }),
    }),
    { hash: "#/tickets", locale: "fr-FR" },
  );
  const { page } = app;
  await page.waitForSelector("#tickets-table");
  assert.match(await page.textContent("#tickets-result"), /Anomalie Adresse ne répond pas/);
  assert.match(await page.textContent("#tickets-source"), /Copie locale de Comptoir : l'opérateur ne répond pas/);
  await page.fill("#tickets-search", "garcia");
  await page.waitForFunction(() => document.querySelector("#tickets-source")?.textContent?.includes("Recherche dans la copie locale"));
  assert.deepEqual(app.calls().filter(([c]) => c === "ticket_search").at(-1)[1], { text: "garcia", limit: 20, offset: 0 });
  assert.deepEqual(app.errors, []);
  await app.close();
});

test("ticket page: timeline with reasons and the deadline; a changed ticket shows what changed and applies again", async () => {
  const resolved = ticketView({ status: "RESOLVED", statusChangeReason: "RESOLVED" }, { actions: ["accept", "refuse"] });
  const closed = ticketView({ status: "CLOSED", statusChangeReason: "RESOLUTION_ACCEPTED" }, { actions: [] });
  let tries = 0;
  const app = await open(
    browser,
    server.url,
    baseAnswers({
      ticket_show: resolved,
      ticket_act: () =>
        ++tries === 1
          ? { __reject: { kind: "refused", code: "anomalie_adresse.stale", message: "changed", params: { changes: [{ field: "priority", before: "LOW", after: "HIGH" }] } } }
          : closed,
    }),
    { hash: "#/tickets/d28e4456-a88e-45da-8741-ace444102b4a" },
  );
  const { page } = app;
  await page.waitForSelector("#ticket-timeline li");
  const timeline = await page.textContent("#ticket-timeline");
  assert.match(timeline, /Received.*by the shop.*In progress.*by the operator.*reclassified as complex/s);
  assert.match(await page.textContent("#ticket"), /complex case \(4 weeks at most\)/);
  await page.fill("#ticket-details", "OK pour nous");
  await page.click("#ticket-actions button[data-action='accept']");
  await page.waitForSelector("#ticket-changed");
  assert.match(await page.textContent("#ticket-changed"), /priority : LOW → HIGH/);
  await page.click("#ticket-apply-again");
  await page.waitForSelector("#ticket .tstatus[data-status='CLOSED']");
  assert.match(await page.textContent("#ticket-actions"), /Nothing more to do/);
  const acts = app.calls().filter(([c]) => c === "ticket_act").map(([, a]) => a);
  assert.equal(acts.length, 2);
  assert.deepEqual(acts[0], { id: "d28e4456-a88e-45da-8741-ace444102b4a", action: "accept", details: "OK pour nous" });
  assert.deepEqual(app.errors, []);
  await app.close();
});

test("ticket page: a note and a photo are sent; a refused file type is explained; offline, the actions wait", async () => {
  let attached = false;
  let noted = false;
  let chosen = null;
  const note = { id: "n-1", text: "Le client passe jeudi", date: null, author: "OC" };
  const app = await open(
    browser,
    server.url,
    baseAnswers({
      ticket_show: () =>
        ticketView({}, {
          notes: noted ? [note] : [],
          attachments: attached ? [{ id: "a-1", name: "plaque.png", description: "plaque", mimeType: "image/png", size: 2048, creationDate: null }] : [],
        }),
      ticket_note: () => ((noted = true), note),
      choose_file: () => chosen,
      ticket_attach_file: (args) =>
        args.path.endsWith(".exe")
          ? { __reject: { kind: "invalid_input", code: "anomalie_adresse.file_type", message: "x", params: { allowed: "csv, jpeg, jpg, png, svg, pdf" } } }
          : ((attached = true), { id: "a-1", name: "plaque.png", description: args.description, mimeType: "image/png", size: 3, creationDate: null }),
      ticket_attachment: (args) => ({ name: "plaque.png", mime: "image/png", base64: "AQID", saved_to: args.to ?? "/home/shop/Documents/d28e4456-plaque.png" }),
    }),
    { hash: "#/tickets/d28e4456-a88e-45da-8741-ace444102b4a" },
  );
  const { page } = app;
  await page.waitForSelector("#ticket-note");
  await page.fill("#ticket-note", "Le client passe jeudi");
  await page.click("#ticket-note-add");
  await until(() => app.calls().some(([c]) => c === "ticket_note"));
  // The page is drawn again with the note before anything else is done on it.
  await page.waitForSelector("#ticket-notes li");
  assert.deepEqual(app.calls().find(([c]) => c === "ticket_note")[1], { id: "d28e4456-a88e-45da-8741-ace444102b4a", text: "Le client passe jeudi" });
  // A file type the operator does not take: said in words, with the types it takes.
  // The system's dialog, cancelled: nothing sent.
  await page.click("#ticket-attach");
  await until(() => app.calls().some(([c]) => c === "choose_file"));
  assert.deepEqual(app.calls().find(([c]) => c === "choose_file")[1], { purpose: "attachment", title: "Attach a file", name: null, buttons: { cancel: "Cancel", open: "Open", save: "Save", folder: "Choose this folder" }, language: "en" });
  assert.equal(app.calls().filter(([c]) => c === "ticket_attach_file").length, 0);
  chosen = "/home/shop/Téléchargements/setup.exe";
  await page.click("#ticket-attach");
  await page.waitForSelector("#ticket-attach-result .notice.error");
  assert.match(await page.textContent("#ticket-attach-result"), /not accepted: csv, jpeg/);
  // A photo of the street plate goes as base64 with its description.
  chosen = "/home/shop/Images/plaque.png";
  await page.fill("#ticket-file-description", "plaque");
  await page.click("#ticket-attach");
  await page.waitForSelector("#ticket-attachments li[data-attachment='a-1']");
  await page.locator("#ticket-attachments").scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL("../../target/ui-shots/ticket-attachments.png", import.meta.url).pathname });
  const sent = app.calls().filter(([c]) => c === "ticket_attach_file").at(-1)[1];
  assert.deepEqual(sent, { id: "d28e4456-a88e-45da-8741-ace444102b4a", path: "/home/shop/Images/plaque.png", description: "plaque" });
  // Save as: the dialog suggests the attachment's name; the copy goes where chosen.
  chosen = "/media/usb/plaque.png";
  await page.click("#ticket-attachments li[data-attachment='a-1'] .save-as");
  await page.waitForSelector("#ticket-preview img");
  assert.match(await page.textContent("#ticket-preview"), /Saved in \/media\/usb\/plaque\.png/);
  assert.deepEqual(app.calls().filter(([c]) => c === "choose_file").at(-1)[1], { purpose: "attachment_copy", title: "Save the attachment", name: "plaque.png", buttons: { cancel: "Cancel", open: "Open", save: "Save", folder: "Choose this folder" }, language: "en" });
  assert.deepEqual(app.calls().find(([c]) => c === "ticket_attachment")[1], { id: "d28e4456-a88e-45da-8741-ace444102b4a", attachment: "a-1", to: "/media/usb/plaque.png" });
  assert.deepEqual(app.errors, []);
  await app.close();
  // Offline: Comptoir's copy, said so; the actions wait for the network.
  const off = await open(browser, server.url, baseAnswers({ ticket_show: ticketView({}, { offline: true }) }), {
    hash: "#/tickets/d28e4456-a88e-45da-8741-ace444102b4a",
  });
  await off.page.waitForSelector("#ticket .notice.warning");
  assert.match(await off.page.textContent("#ticket"), /Comptoir's copy read on/);
  assert.equal(await off.page.isDisabled("#ticket-actions button[data-action='cancel']"), true);
  assert.equal(await off.page.$("#ticket-note"), null);
  await off.close();
});

test("new report: fields by their IPE names, the rules shown, the ticket built from the form, a broken rule named in French", async () => {
  let tries = 0;
  const app = await open(
    browser,
    server.url,
    baseAnswers({
      ticket_form: ticketForm(),
      ticket_new: () =>
        ++tries === 1
          ? { __reject: { kind: "invalid_input", code: "anomalie_adresse.rule.identification", message: "x", params: { rule: "identification" } } }
          : ticketView(),
      ticket_show: ticketView(),
    }),
    { hash: "#/tickets/new", locale: "fr-FR" },
  );
  const { page } = app;
  await page.waitForSelector("#form-CodePostalImmeuble");
  const form = await page.textContent("#ticket-form");
  for (const ipe of ["CodeVoieRivoliImmeuble", "CodeInseeImmeuble", "CodePostalImmeuble", "CommuneImmeuble", "CodeAdresseImmeuble", "TypeVoieImmeuble", "NomVoieImmeuble", "NumeroVoieImmeuble", "ComplementNumeroVoieImmeuble", "BatimentImmeuble"]) {
    assert.ok(form.includes(ipe), ipe);
  }
  assert.match(await page.textContent("#form-rules"), /quadruplet Rivoli/);
  assert.equal(await page.inputValue("#form-code-oc"), "CPTR");
  await page.fill("#form-code-oi", "orng");
  await page.fill("#form-CommuneImmeuble", "Foix");
  await page.fill("#form-customer", "Mme Garcia");
  await page.click("#form-send");
  await page.waitForSelector("#form-result .notice.error");
  assert.match(await page.textContent("#form-result"), /Identifiez l'adresse par l'un de/);
  await page.fill("#form-CodePostalImmeuble", "09000");
  await page.fill("#form-TypeVoieImmeuble", "RUE");
  await page.fill("#form-NomVoieImmeuble", "de la Faurie");
  await page.fill("#form-NumeroVoieImmeuble", "12");
  await page.check("#form-new-construction");
  await page.fill("#form-x", "1,6053");
  await page.fill("#form-y", "42.9639");
  await page.click("#form-send");
  await page.waitForSelector("#ticket");
  const sent = app.calls().filter(([c]) => c === "ticket_new").at(-1)[1];
  assert.deepEqual(sent, {
    customer: "Mme Garcia",
    ticket: {
      "@type": "AnomalieAdresse.creation", code_oi: "ORNG", code_oc: "CPTR", ticketType: "CUSTOMER_REQUEST", priority: "LOW",
      building: {
        type: "IMMEUBLE", newConstruction: true,
        address: { postcode: "09000", city: "Foix", streetType: "RUE", streetName: "de la Faurie", streetNr: "12" },
        geographicLocation: [{ x: 1.6053, y: 42.9639, type: "WGS84" }],
      },
    },
  });
  // A bulk correction: two buildings and a correction table.
  await page.goto(server.url + "#/tickets/new");
  await page.waitForSelector("#form-kind");
  await page.selectOption("#form-kind", "bulk");
  assert.equal(await page.isVisible("#form-creation"), false);
  await page.fill("#form-code-oi", "ORNG");
  await page.fill("#form-buildings", "IMB/09001/X/000E\nIMB/09001/X/000Q");
  await page.selectOption("#form-corrections select.c-key", "building.address.streetName");
  await page.fill("#form-corrections .c-description", "voie renommée");
  await page.click("#form-send");
  await page.waitForSelector("#ticket");
  const bulk = app.calls().filter(([c]) => c === "ticket_new").at(-1)[1].ticket;
  assert.deepEqual(bulk.relatedEntity.map((/** @type {any} */ r) => r.id), ["IMB/09001/X/000E", "IMB/09001/X/000Q"]);
  assert.deepEqual(bulk.issues, { "building.address.streetName": { description: "voie renommée" } });
  assert.equal(bulk["@type"], "AnomalieAdresse.modification");
  await app.close();
});

/** Waits until `done()` holds (the page answers asynchronously). */
async function until(done) {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(done());
}
