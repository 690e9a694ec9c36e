// The badge under the header for a counter that shares the shop's database: the
// sales that wait on this counter while the database cannot be reached,
// the oldest one's time, and a click to try again. Hidden when the
// counter works alone or everything is shared (a sale waits a moment
// before the background push: not worth a badge).
import { api, type ShareStatus } from "./api";
import { h } from "./dom";
import { clock } from "./format";
import { t } from "./i18n";

const WORTH_SAYING_MS = 10_000;

const badge = h("button", { id: "share-badge", class: "share-badge", type: "button" });
badge.hidden = true;
badge.addEventListener("click", () => void pushNow());

export function shareBadge(): HTMLElement {
  return badge;
}

export function startShare(): void {
  void refresh();
  setInterval(() => void refresh(), 5_000);
}

async function refresh(): Promise<void> {
  try {
    render(await api.shareStatus(false));
  } catch {
    badge.hidden = true;
  }
}

async function pushNow(): Promise<void> {
  badge.disabled = true;
  badge.textContent = t("share.badge.sending");
  try {
    render(await api.sharePush());
  } catch {
    await refresh();
  } finally {
    badge.disabled = false;
  }
}

function render(s: ShareStatus): void {
  const oldest = s.oldest_unsent_sale_at;
  const waited = oldest ? Date.now() - new Date(oldest).getTime() : 0;
  if (!s.database || s.unsent_sales === 0 || !oldest || (!s.problem && waited < WORTH_SAYING_MS)) {
    badge.hidden = true;
    return;
  }
  badge.hidden = false;
  badge.textContent =
    s.unsent_sales === 1 ? t("share.badge.one", { at: clock(oldest) }) : t("share.badge", { n: s.unsent_sales, at: clock(oldest) });
  badge.title = t("share.badge.hint") + (s.problem ? `\n${s.problem}` : "");
}
