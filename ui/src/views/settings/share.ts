// Settings › the shop's shared database: which database, this counter's
// code, the last push, what waits and any conflict; a button to share now.
// The database is set on the command line (its password goes to the
// keyring there), as the README's "Several counters" says.
import { api, asCoreError, type ShareStatus } from "../../api";
import { h, clear } from "../../dom";
import { dateTime } from "../../format";
import { errorText, t } from "../../i18n";
import { notice } from "../notice";

export function sharePanel(): HTMLElement {
  const panel = h("div", { class: "panel", id: "share" }, h("h2", {}, t("settings.share")));
  const result = h("div", { id: "share-result" });
  const row = (label: string, value: string, id: string) =>
    h("div", { class: "row" }, h("span", { class: "label" }, label), h("span", { class: "value", id }, value));
  const draw = (s: ShareStatus) => {
    if (!s.database) {
      clear(panel, h("h2", {}, t("settings.share")), h("p", { class: "muted", id: "share-alone" }, t("settings.share.alone")));
      return;
    }
    clear(
      panel,
      h("h2", {}, t("settings.share")),
      h(
        "div",
        { class: "rows" },
        row(t("settings.share.database"), s.database, "share-database"),
        row(t("settings.share.counter"), s.counter, "share-counter"),
        row(t("settings.share.reachable"), s.reachable ? t("settings.share.ok") : t("settings.share.down"), "share-reachable"),
        row(t("settings.share.last_push"), s.last_push_at ? dateTime(s.last_push_at) : t("settings.share.never"), "share-last-push"),
        row(t("settings.share.unsent"), t("settings.share.unsent_value", { n: s.unsent, s: s.unsent_sales }), "share-unsent"),
        row(t("settings.share.conflicts"), String(s.conflicts), "share-conflicts"),
      ),
      s.problem ? notice(s.problem, "error") : null,
      s.conflicts > 0 ? notice(t("settings.share.conflicts_hint"), "error") : null,
      h(
        "button",
        {
          id: "share-push",
          class: "primary",
          type: "button",
          onclick: async () => {
            try {
              draw(await api.sharePush());
              clear(result, notice(t("settings.share.pushed"), "success"));
            } catch (e) {
              clear(result, notice(errorText(asCoreError(e)), "error"));
            }
          },
        },
        t("settings.share.push"),
      ),
      result,
    );
  };
  void api.shareStatus(true).then(draw, (e) => clear(panel, h("h2", {}, t("settings.share")), notice(errorText(asCoreError(e)), "error")));
  return panel;
}
