// Who is at the counter: the lock screen (the PIN pad over the screen,
// which stays as it was: a sale in progress is kept), the idle lock after
// `lock_minutes`, switching cashier in two taps (the badge, then
// "Switch cashier"), and a manager's approval asked in place when the core
// refuses an action for lack of a right.
import { api, onForbidden, type Account, type Actor, type CashierState, type Right } from "./api";
import { h, clear } from "./dom";
import { t, type Key } from "./i18n";
import { pinPad } from "./views/pinpad";

let state: CashierState | null = null;
let lastInput = Date.now();
let onChange: () => void = () => undefined;
const overlay = h("div", { class: "lock-screen", id: "lock-screen", hidden: true });
const badge = h("span", { class: "cashier-badge", id: "cashier-badge" });

/** Whether the one at the counter may do `right` (the core checks anyway). */
export function can(right: Right): boolean {
  return !state || state.rights.includes(right);
}

export function cashierBadge(): HTMLElement {
  return badge;
}

export function lockScreen(): HTMLElement {
  return overlay;
}

/** Reads who is signed in; shows the pad when someone must sign in. */
export async function startCashiers(changed: () => void): Promise<void> {
  onChange = changed;
  for (const ev of ["pointerdown", "keydown"]) document.addEventListener(ev, () => (lastInput = Date.now()), true);
  setInterval(() => void idleCheck(), 5_000);
  onForbidden(askApproval);
  window.addEventListener("comptoir-cashiers", () => void refresh());
  await refresh();
}

async function refresh(): Promise<void> {
  state = await api.cashierState();
  renderBadge();
  if (state.has_accounts && !state.actor) showLock();
  else hideLock();
  onChange();
}

async function idleCheck(): Promise<void> {
  if (!state?.has_accounts || !state.actor) return;
  if (Date.now() - lastInput < state.lock_minutes * 60_000) return;
  await lock("lock");
}

async function lock(why: "lock" | "logout"): Promise<void> {
  await api.signOut(why).catch(() => undefined);
  await refresh();
}

function renderBadge(): void {
  const actor = state?.actor;
  if (!state?.has_accounts || !actor) return clear(badge);
  let open = false;
  const menu = h(
    "span",
    { class: "cashier-menu", hidden: true },
    h("button", { type: "button", id: "cashier-switch", onclick: () => void lock("logout") }, t("cashier.switch")),
    h("button", { type: "button", id: "cashier-lock", onclick: () => void lock("lock") }, t("cashier.lock")),
    h("button", { type: "button", id: "cashier-own-pin", onclick: () => ((menu.hidden = true), (open = false), void changeOwnPin(actor)) }, t("cashier.own_pin")),
  );
  clear(
    badge,
    h(
      "button",
      {
        type: "button",
        class: "cashier-name",
        id: "cashier-name",
        onclick: () => {
          open = !open;
          menu.hidden = !open;
        },
      },
      actor.name,
    ),
    menu,
  );
}

let detach: () => void = () => undefined;

function showLock(): void {
  detach();
  const pad = pinPad({
    id: "pin-pad",
    title: t("pin.title"),
    hint: t("pin.choose"),
    accounts: state?.accounts ?? [],
    submit: async (name, pin) => {
      await api.signIn(name, pin);
      lastInput = Date.now();
      await refresh();
    },
  });
  detach = pad.detach;
  clear(overlay, h("div", { class: "lock-box" }, pad.el, h("p", { class: "hint" }, t("pin.locked_screen"))));
  overlay.hidden = false;
}

function hideLock(): void {
  detach();
  detach = () => undefined;
  clear(overlay);
  overlay.hidden = true;
}

/** The approval dialog: resolves true once a manager's PIN was accepted. */
function askApproval(right: string): Promise<boolean> {
  // Those whose own role holds the right: owners always, managers but for settings and accounts.
  const approvers = (state?.accounts ?? []).filter((a) => a.role === "owner" || (a.role === "manager" && right !== "administer"));
  // Approval is for someone signed in; the lock screen comes first.
  if (!state?.actor || approvers.length === 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const dialog = h("div", { class: "lock-screen approval", id: "approval" });
    const close = (ok: boolean) => {
      pad.detach();
      dialog.remove();
      resolve(ok);
    };
    const pad = pinPad({
      id: "approval-pad",
      title: t("pin.approval_title"),
      hint: t("pin.approval_why", { right: t(`right.${right}` as Key) }),
      accounts: approvers,
      submit: async (name, pin) => {
        await api.approve(name, pin);
        close(true);
      },
      cancel: () => close(false),
    });
    dialog.append(h("div", { class: "lock-box" }, pad.el));
    document.body.append(dialog);
  });
}

/** A cashier's own new PIN: typed twice on the pad, then sent once. */
function changeOwnPin(actor: Actor): Promise<void> {
  const self: Account = { ...actor, active: true, locked_until: null };
  return new Promise((resolve) => {
    const dialog = h("div", { class: "lock-screen", id: "own-pin" });
    let first = "";
    let pad: { el: HTMLElement; detach: () => void } = { el: h("div"), detach: () => undefined };
    const close = () => {
      pad.detach();
      dialog.remove();
      resolve();
    };
    const show = (title: string) => {
      pad.detach();
      pad = pinPad({
        id: "own-pin-pad",
        title,
        hint: t("cashier.own_pin_hint"),
        accounts: [self],
        submit: async (name, pin) => {
          if (!first) {
            first = pin;
            return show(t("cashier.own_pin_again"));
          }
          if (pin !== first) {
            first = "";
            show(t("cashier.own_pin"));
            const said = dialog.querySelector("#own-pin-pad-error");
            if (said) said.textContent = t("code.cashier.pin_mismatch");
            return;
          }
          await api.setCashierPin(name, pin);
          close();
        },
        cancel: close,
      });
      clear(dialog, h("div", { class: "lock-box" }, pad.el));
    };
    show(t("cashier.own_pin"));
    document.body.append(dialog);
  });
}
