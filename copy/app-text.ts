import type { Copywriter, Line } from "./format.ts";
import type { GalleryState } from "./states.ts";
import { STRESS } from "./states.ts";

/** The words of the apps a locked phone still opens (dialer, IMEI) and of the screen's action buttons. */
export function appText(state: Pick<GalleryState, "app" | "facts">, copy: Copywriter, imei = STRESS.imei): Record<string, Line> {
  const lender = state.facts.lender.name ?? copy.text("lender.unnamed");
  const words: Record<string, Line> = {
    back: copy.line("action.back"),
    payment: copy.line("action.payment"),
    emergency: copy.line("action.emergency"),
    imei: copy.line("action.imei"),
    call: copy.line("action.call", { lender }),
  };
  if (state.app === "emergency") {
    Object.assign(words, { title: copy.line("dialer.emergency.title"), hint: copy.line("dialer.emergency.hint"), number: copy.line("dialer.number"), dial: copy.line("dialer.call") });
  } else if (state.app === "imei") {
    Object.assign(words, { title: copy.line("dialer.imei.title"), hint: copy.line("dialer.imei.hint"), value: copy.line("dialer.imei.value", { imei }) });
  }
  return words;
}
