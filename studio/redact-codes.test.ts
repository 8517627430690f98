import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualWall } from "../core/manual-wall.ts";
import { testKeys } from "../mock-server/create.ts";
import { studioAccess } from "./access.ts";
import { ROUTES } from "./contract.ts";
import { studioApp } from "./http.ts";
import { StudioHub } from "./hub.ts";
import { MASKED_CODE, redactCodes } from "./redact-codes.ts";

let hub: StudioHub;
let app: ReturnType<typeof studioApp>;
const HOST = "127.0.0.1:8787";
const CODE = "48151623";
beforeAll(async () => {
  const wall = new ManualWall(0);
  hub = await StudioHub.open({ wall });
  app = studioApp(hub, wall, studioAccess({ adminKey: testKeys.admin, token: "t" }));
  // A code support issued to Amara's phone, as the lock service keeps and journals it.
  const { store, journal, clock } = hub.stage.current.run.world.service.state;
  const imei = hub.stage.current.run.plan.devices.find((d) => d.name === "amara-phone")?.imei ?? "";
  const device = store.findDeviceByImei(imei);
  if (!device) throw new Error("the free stage has no registered amara-phone");
  store.putDevice({ ...device, codes: [{ code: CODE, epoch: 0, issuedAt: clock.now(), expiresAt: clock.now() + 3_600_000 }] });
  journal.append("support", "unlock_code.issued", { deviceId: device.deviceId, code: CODE });
});
afterAll(() => hub.close());

const get = (path: string) => app.request(`http://${HOST}${path}`, { headers: { host: HOST, authorization: `Bearer ${testKeys.admin}` } });

describe("unlock codes in the studio's exports", () => {
  it("masks every issued code in run.md, the SVG and the Mermaid text unless asked for with ?codes=1", async () => {
    for (const path of [ROUTES.exportMarkdown, ROUTES.exportSvg, ROUTES.exportMermaid]) {
      const text = await (await get(path)).text();
      expect([path, text.includes(CODE)]).toEqual([path, false]);
    }
    const asked = await (await get(`${ROUTES.exportMarkdown}?codes=1`)).text();
    expect(asked).toContain(CODE);
  });

  it("replaces each code wherever it appears", () => {
    expect(redactCodes(`code ${CODE}, again ${CODE}`, [CODE])).toBe(`code ${MASKED_CODE}, again ${MASKED_CODE}`);
  });
});
