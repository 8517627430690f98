import type { Show } from "./stage.ts";

/**
 * Exports (run.md, the SVG, the Mermaid text) leave the studio's page and travel: a handout, a ticket, a slide.
 * A live unlock code in them would unlock the phone on stage for anyone who reads it, so every code the lock
 * service issued is masked unless the facilitator asks for them (`?codes=1`).
 */
export const MASKED_CODE = "••••••••";

export function redactCodes(text: string, codes: readonly string[]): string {
  let out = text;
  for (const code of new Set(codes)) if (code.length > 0) out = out.split(code).join(MASKED_CODE);
  return out;
}

/** True when the export was asked for with its codes (`?codes=1` or `?codes=true`). */
export function wantsCodes(query: string | undefined): boolean {
  return query === "1" || query === "true";
}

/** Every unlock code the lock service holds for the show's phones, enrolled or not. */
export function issuedCodes(show: Show): string[] {
  const { store } = show.run.world.service.state;
  return show.run.plan.devices.flatMap((device) => (store.findDeviceByImei(device.imei)?.codes ?? []).map((code) => code.code));
}
