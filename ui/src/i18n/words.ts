// The order statuses, the providers' failure kinds, the Orders screen and
// one order's page, the report, and the command line's own sentences, kept
// in words.json: the command line (the core's `types::words`) prints the
// same words the window shows.
import table from "./words.json";

export const fr = table.fr;
export const en: Record<keyof typeof fr, string> = table.en;
