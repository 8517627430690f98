/**
 * Local times for the few instants the server sends only as ISO (a keypad's cooldown). The server words every
 * other time itself; this follows its style ("Mon 2 Mar, 10:05") in the stage's zone.
 */
export function formatLocal(iso: string, timeZone: string, style: "date-time" | "time" = "date-time"): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const options: Intl.DateTimeFormatOptions =
    style === "time"
      ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
      : { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  try {
    return new Intl.DateTimeFormat("en-GB", { ...options, timeZone }).format(at);
  } catch {
    // An unknown zone name: say it in UTC rather than not at all.
    return `${iso.slice(0, 16).replace("T", " ")} UTC`;
  }
}

/** "09:00" from the clock's "Mon 2 Mar 2026, 09:00", for the phone's status bar. */
export function clockTime(local: string): string {
  return /(\d\d:\d\d)(?::\d\d)?\s*$/.exec(local)?.[1] ?? local;
}
