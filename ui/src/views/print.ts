// Printing a ticket on the computer's printer (the one chosen in Settings,
// else the system's default), through the core and CUPS: the same ticket as
// the order page's PDF, so what the customer takes away is the same
// whichever button printed it.
import { api, asCoreError } from "../api";
import { h, clear } from "../dom";
import { errorText, t } from "../i18n";
import { notice } from "./notice";

/** Runs `what`; its sentence as a success notice, or its error in words. */
export async function outcome(what: () => Promise<string>): Promise<HTMLElement> {
  try {
    return notice(await what(), "success");
  } catch (e) {
    return notice(errorText(asCoreError(e)), "error");
  }
}

/** Where a print went, in a sentence: the system's default printer is
 * named as such, not by the word "default". */
export function printedTo(to: string): string {
  return to === "default" ? t("ticket.printed_default") : t("ticket.printed", { printer: to });
}

/** Prints the order's ticket; the sentence to show, success or error. */
export function printTicket(orderId: string): Promise<HTMLElement> {
  return outcome(async () => {
    const p = await api.printTicket(orderId, "printer");
    return printedTo(p.to);
  });
}

/** A big Print button for the screens handed to the customer, with its result below. */
export function printButton(orderId: string, id: string): HTMLElement {
  const result = h("div", { id: `${id}-result` });
  const button = h(
    "button",
    {
      id,
      class: "primary big",
      onclick: async () => {
        button.disabled = true;
        clear(result, await printTicket(orderId));
        button.disabled = false;
      },
    },
    t("esim.print"),
  );
  return h("span", { class: "print" }, button, result);
}
