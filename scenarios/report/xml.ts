/**
 * Escaping for XML 1.0. Characters XML 1.0 cannot carry at all (C0 controls other than tab, newline and
 * carriage return; U+FFFE, U+FFFF; unpaired surrogates) are written as visible `\u001B` text, so a stray
 * ANSI code in an error message cannot make the whole report unreadable.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function allowed(text: string): string {
  return text.replace(FORBIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** Element content. `>` is escaped too, so `]]>` can never appear. A carriage return is kept as one (parsers would fold it). */
export function xmlText(text: string): string {
  return allowed(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/** A double-quoted attribute value. Tabs and line breaks become character references, which attribute normalisation keeps. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, "&quot;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
}
