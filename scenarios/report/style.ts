/** Terminal styling, or none at all: without colour the functions return the text untouched. */
export interface Style {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  /** Skipped: neither passed nor failed. */
  readonly yellow: (text: string) => string;
}

const ESC = "\u001b[";
const wrap = (open: number, close: number) => (text: string) => `${ESC}${open}m${text}${ESC}${close}m`;
const plain = (text: string) => text;

export function style(color: boolean): Style {
  return color
    ? { bold: wrap(1, 22), dim: wrap(2, 22), green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39) }
    : { bold: plain, dim: plain, green: plain, red: plain, yellow: plain };
}

/**
 * Control characters in scenario text (a `say:` line, an error message) are shown as `\u001B` rather than
 * sent to the terminal: they could move the cursor or recolour the report, and a plain report must hold no
 * escape code at all.
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}
