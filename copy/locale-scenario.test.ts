import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Io } from "../cli/io.ts";
import { main } from "../cli/main.ts";

/** A scenario whose phone is German: the phone, its expectations and `heartlock run` all speak German. */
const SCENARIO = `title: Ein Telefon auf Deutsch
summary: Sabines Rate ist überfällig; ihr Telefon sperrt sich auf Deutsch.
objectives: [The phone speaks its locale.]
seed: 1
start: 2026-03-02T09:00
timeZone: Europe/Berlin
lenders:
  - id: stadtfunk
    name: Stadtfunk Ratenkauf
    locale: de-DE
    contact: { phone: "+4930123456", email: hilfe@stadtfunk.example }
    lockMessage:
      de: Ihre Rate an Stadtfunk Ratenkauf ist überfällig. Rufen Sie uns an, wir finden eine Lösung.
      en: Your installment to Stadtfunk Ratenkauf is overdue. Call us; we will find a way.
accounts:
  - { id: sabine, lender: stadtfunk, owner: Sabine }
  - { id: tom, lender: stadtfunk, owner: Tom, locale: es }
devices:
  - { name: sabine-phone, account: sabine, locale: de-DE }
  - { name: tom-phone, account: tom }
timeline:
  - at: 2026-03-02T11:00
    do: lender.default
    account: sabine
    amount: 1234567.89 EUR
    dueDate: 2026-03-01
  - at: 2026-03-02T11:00
    do: lender.default
    account: tom
    amount: 49.99 EUR
    dueDate: 2026-03-01
  - after: PT6H
    expect:
      - device: sabine-phone
        state: locked
        screen: { kind: locked, shows: ["Dieses Telefon ist gesperrt", "Stadtfunk Ratenkauf schreibt", "Rufen Sie uns an", "Fälliger Betrag: 1.234.567,89"] }
      - device: tom-phone
        state: locked
        screen: { kind: locked, shows: ["Este teléfono está bloqueado", "no ha escrito este mensaje en su idioma"] }
until: PT1H
`;

describe("a scenario with locale: de-DE", () => {
  it("shows German on the phone and quotes it in heartlock run's output; an account's locale and a missing translation work too", { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "heartlock-de-"));
    try {
      const file = join(dir, "de.yaml");
      writeFileSync(file, SCENARIO);
      let stdout = "";
      const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stdout += t), stdoutIsTty: false, stderrIsTty: false, env: { NO_COLOR: "1" }, writeFile: () => undefined };
      const code = await main(["run", file], io);
      expect(stdout).toContain('sabine-phone shows "Dieses Telefon ist gesperrt"');
      expect(stdout).toMatch(/sabine-phone: “Dieses Telefon ist gesperrt” Stadtfunk Ratenkauf schreibt: Ihre Rate/);
      expect(code, stdout).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
