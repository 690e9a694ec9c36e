// Support on a past Orange Travel sale: the SIM's status and what is left
// of the plan, with the age of the answer (the last one kept when offline).
import { api, asCoreError, type Lookup } from "../api";
import { h, clear } from "../dom";
import { errorText, t, type Key } from "../i18n";
import { dateTime, number } from "../format";
import { notice } from "./notice";

export function supportPanel(orderId: string): HTMLElement {
  const out = h("div", { id: "support-result" });
  const age = (l: Lookup<unknown>) =>
    l.from_cache ? notice(t("support.cached", { when: dateTime(l.fetched_at) }), "warning") : h("p", { class: "muted" }, t("support.as_of", { when: dateTime(l.fetched_at) }));
  const run = async (what: () => Promise<HTMLElement[]>) => {
    clear(out, h("p", { class: "muted" }, "…"));
    try {
      clear(out, await what());
    } catch (e) {
      clear(out, notice(errorText(asCoreError(e)), "error"));
    }
  };
  const status = async () => {
    const l = await api.esimStatus(orderId);
    return [h("p", { class: "sim-status" }, h("strong", {}, l.data.status), " — ", t(`sim.${l.data.status}` as Key)), age(l)];
  };
  const usage = async () => {
    const l = await api.esimUsage(orderId);
    const rows = l.data.buckets.map((b) =>
      h(
        "li",
        {},
        h("strong", {}, b.name ?? ""),
        " : ",
        [
          b.data_remaining ? t("support.data", { n: number(b.data_remaining), unit: b.data_unit ?? "" }) : null,
          b.airtime_remaining ? t("support.airtime", { n: b.airtime_remaining }) : null,
          b.sms_remaining ? t("support.sms", { n: b.sms_remaining }) : null,
          b.expiration_date ? t("support.until", { when: dateTime(b.expiration_date) }) : null,
        ]
          .filter(Boolean)
          .join(", "),
      ),
    );
    return [h("ul", { class: "usage" }, rows), age(l)];
  };
  return h(
    "div",
    { class: "panel support" },
    h("h2", {}, t("support.title")),
    h(
      "div",
      { class: "actions" },
      h("button", { id: "support-status", onclick: () => run(status) }, t("support.status")),
      h("button", { id: "support-usage", onclick: () => run(usage) }, t("support.usage")),
    ),
    out,
  );
}
