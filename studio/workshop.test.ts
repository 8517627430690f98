import { afterEach, describe, expect, it } from "vitest";
import { BusinessCalendar } from "../core/calendar.ts";
import { ManualWall } from "../core/manual-wall.ts";
import { Stage } from "./stage.ts";
import { playWorkshop, type WorkshopCheckpoint } from "./workshop-story.ts";

/** The three start hours the README's workshop is held to, on the free stage's calendar (Berlin). */
export const WORKSHOP_STARTS = ["2026-03-02T09:00", "2026-03-06T16:00", "2026-03-06T22:30"] as const;
export const WORKSHOP_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const berlin = new BusinessCalendar({ timeZone: "Europe/Berlin" });

let stage: Stage | undefined;
afterEach(async () => {
  await stage?.close();
  stage = undefined;
});

const at = (seen: readonly WorkshopCheckpoint[], step: string) => {
  const found = seen.find((checkpoint) => checkpoint.step === step);
  if (!found) throw new Error(`the workshop never reached "${step}"`);
  return found.state;
};
const amara = (state: WorkshopCheckpoint["state"]) => ({
  phone: state.devices.find((device) => device.name === "amara-phone"),
  account: state.accounts.find((account) => account.id === "amara"),
});

describe("the README's workshop, through the studio's actions (no browser)", () => {
  for (const start of WORKSHOP_STARTS) {
    it(`works as written on 10 seeds, starting ${start}`, { timeout: 60_000 }, async () => {
      for (const seed of WORKSHOP_SEEDS) {
        stage = await Stage.open({ wall: new ManualWall(0), seed, free: { start: berlin.localTime(start) } });
        const seen = await playWorkshop(stage);
        const where = `seed ${seed}, start ${start}`;
        // 2: the account is in default and the phone still works; "Locks at" names its next heartbeat.
        expect(amara(at(seen, "2 default")).account?.standing, where).toBe("default");
        expect(amara(at(seen, "2 default")).phone?.screen.kind, where).toBe("home");
        expect(amara(at(seen, "2 default")).account?.phoneLocksAtLocal, where).toBe(amara(at(seen, "2 default")).phone?.nextHeartbeatLocal);
        // 3: locked, naming who to contact and how much.
        expect(amara(at(seen, "3 locked")).phone?.screen.body, where).toContain("+4930123456789");
        // 5: paid, still in default, the sync pending with an expected-by time.
        expect(amara(at(seen, "5 paid")).account?.standing, where).toBe("default");
        expect(amara(at(seen, "5 paid")).account?.sync.status, where).toBe("pending");
        expect(amara(at(seen, "5 paid")).account?.sync.expectedByLocal, where).toBeDefined();
        // 6: the sync failed with the error the README quotes, the owner has paid and is still locked.
        expect(amara(at(seen, "6 sync failed")).account?.sync.error, where).toBe("token update failed");
        expect(amara(at(seen, "6 sync failed")).phone?.screen.kind, where).toBe("locked");
        // 7: the refresh puts the account in good standing; a code is issued.
        expect(amara(at(seen, "7 refreshed")).account?.standing, where).toBe("good");
        expect(at(seen, "7 code").codes[0]?.state, where).toBe("live");
        // 8: the code is accepted, the phone restarts and is back to normal, the code shows as used.
        expect(amara(at(seen, "8 accepted")).phone?.screen.kind, where).toBe("restarting");
        expect(amara(at(seen, "8 home")).phone?.screen.kind, where).toBe("home");
        expect(at(seen, "8 home").codes[0]?.state, where).toBe("used");
        await stage.close();
        stage = undefined;
      }
    });
  }
});
