import type { Finding } from "../../../copy/lint.ts";

/**
 * Overflow, measured where the page is laid out: in each phone, text cut off (a word wider than the screen,
 * or lines below its bottom edge) and actions pushed out of the frame. Each finding names its deck key.
 * At 200 % font scale the findings are warnings (phones scroll there); at 100 % and 130 % they are errors.
 */
export function measureOverflow(root: Element): Finding[] {
  const findings: Finding[] = [];
  for (const phone of root.querySelectorAll<HTMLElement>(".gallery-phone")) {
    const frame = phone.getBoundingClientRect();
    const where = { locale: phone.dataset["locale"] ?? "", state: phone.dataset["state"] ?? "", size: phone.dataset["size"] ?? "", scale: Number(phone.dataset["scale"] ?? 100) };
    const severity = where.scale >= 200 ? "warning" : "error";
    for (const element of phone.querySelectorAll<HTMLElement>("[data-copy-key]")) {
      element.removeAttribute("data-overflow");
      const key = element.dataset["copyKey"] ?? "";
      const box = element.getBoundingClientRect();
      const isAction = element.tagName === "BUTTON";
      let problem: string | undefined;
      if (box.bottom > frame.bottom + 0.5 || box.top > frame.bottom) problem = isAction ? "the button is pushed out of view below the screen" : "the text runs past the bottom of the screen";
      else if (element.scrollWidth > element.clientWidth + 1 || box.right > frame.right + 0.5 || box.left < frame.left - 0.5) problem = isAction ? "the button's words are cut off at the side" : "a word is wider than the screen and is cut off";
      if (problem) {
        element.setAttribute("data-overflow", "");
        findings.push({ ...where, key, rule: "overflow", severity, message: problem });
      }
    }
  }
  return findings;
}
