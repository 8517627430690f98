/**
 * The lock-screen copy, English. Plain templates with {variables}, so that copy decks for other locales
 * can replace this object wholesale. Honest and humane: every locked screen says why, who to contact,
 * and what still works.
 */
import { DEFAULT_LOCK_MESSAGE } from "../protocol/messages/device.ts";

export const copyEn = {
  setupTitle: "Setting up",
  setupBody: "This phone checks in with its lender's lock service before first use. Connect to Wi-Fi or mobile data to continue.",
  restartingTitle: "Restarting…",
  restartingBody: "Your phone will be ready in a moment.",
  homeTitle: "Home",
  homeBody: "Your phone is ready to use.",
  unmanagedBody: "Your phone is ready to use. It is not financed, so it is never locked.",
  reminderTitle: "Payment reminder",
  reminderBody:
    "Your installment{amount} is overdue. Please pay{deadline} to keep using this phone without interruption. A payment can take up to two business days to reach this phone, so pay early.",
  reminderAmount: " of {amount}",
  reminderDeadline: " by {date}",
  lockedTitle: "This device is locked",
  lockedOverdueDefault: DEFAULT_LOCK_MESSAGE,
  amountDue: "Amount due: {amount}.",
  contactLine: "Contact your lender: {contact}.",
  stillWorks: "Emergency calls, the payment app and your IMEI (*#06#) still work.",
  afterPayment: "After you pay, it can take from an hour to two business days to unlock. Support can give you an unlock code.",
  lockedOfflineBody:
    "This phone could not reach its lender's lock service for {period}, so it locked itself. Connect to Wi-Fi or mobile data so it can check in: if your account is in good standing, it unlocks by itself. Or call your lender's support and read them this code: {challenge}.",
  lockedTamperBody:
    "This phone detected a change to its security settings and locked itself. Call your lender's support and read them this code: {challenge}.",
  offlineWarning: "Connect to the internet by {date} to keep using this phone.",
  releasedTitle: "Your loan is paid off",
  releasedBody: "This phone is now fully yours. It will not be locked again.",
  periodDays: "{count} days",
  periodDay: "1 day",
  periodHours: "{count} hours",
  keypadCooldown: "Too many wrong codes. Try again after {time}.",
  keypadOffline: "No connection. Ask support for an offline code for challenge {challenge}.",
} as const;

export type Copy = { readonly [K in keyof typeof copyEn]: string };

/** Replaces each {name} with its value; an unknown name is left visible so a missing variable is noticed. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
