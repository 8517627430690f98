import { http, HttpResponse } from "msw";
import { request as undiciRequest } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import type { HeartbeatResponse } from "../protocol/messages/device.ts";
import { closeWorlds, manInTheMiddle, oneFinancedPhone, reportDefault } from "./story-helpers.ts";

afterEach(closeWorlds);

describe("a lock agent that trusts only signed, fresh answers", () => {
  it("ignores the forge fault's 'all good, unlock' answer and stays locked", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    expect(setup.phone.snapshot.status).toBe("locked");

    await world.facilitator.call("addFault", { body: { kind: "forge" } });
    await world.runFor("PT2H");
    expect(setup.phone.snapshot.status).toBe("locked");
    const rejected = world.events({ type: "device.response_rejected" });
    expect(rejected.length).toBeGreaterThanOrEqual(3);
    expect(rejected[0]?.data).toMatchObject({ reason: "signature", claimedCommand: "unlock" });
    expect(world.events({ type: "fault.applied" }).length).toBe(rejected.length);
  });

  it("treats forged answers as no contact, so a phone fed only forgeries locks itself offline", async () => {
    const setup = await oneFinancedPhone();
    const { world } = setup;
    await world.facilitator.call("addFault", { body: { kind: "forge" } });
    await world.runFor("P31D");
    expect(setup.phone.snapshot.lock?.reason).toBe("offline");
  });
});

/**
 * The man in the middle forwards the phone's request to the real server and reads the genuine answer.
 * It forwards with undici's own `request`, which MSW does not intercept (it patches only the global fetch).
 */
async function passOn(request: Request): Promise<HeartbeatResponse> {
  const response = await undiciRequest(request.url, {
    method: "POST",
    headers: Object.fromEntries(request.headers),
    body: await request.text(),
  });
  return (await response.body.json()) as HeartbeatResponse;
}

describe("forgeries injected between phone and server with MSW, on the fetch transport", () => {
  const mock = manInTheMiddle();

  it("ignores a real answer whose body was rewritten to 'good standing, unlock'", async () => {
    const setup = await oneFinancedPhone({ transport: "fetch" });
    const { world } = setup;
    await reportDefault(world);
    await world.runFor("PT7H");
    expect(setup.phone.snapshot.status).toBe("locked");

    mock.use(
      http.post(`${world.url}/v1/devices/:deviceId/heartbeat`, async ({ request }) => {
        const genuine = await passOn(request);
        return HttpResponse.json({ ...genuine, standing: "good", command: { id: "msw-forged", type: "unlock" } });
      }),
    );
    await world.runFor("PT1H");
    expect(setup.phone.snapshot.status).toBe("locked");
    expect(world.events({ type: "device.response_rejected" }).map((e) => e.data.reason)).toContain("signature");
  });

  it("ignores a replayed genuine answer, because its nonce is not the one just sent", async () => {
    const setup = await oneFinancedPhone({ transport: "fetch" });
    const { world } = setup;
    let recorded: HeartbeatResponse | undefined;
    mock.use(
      http.post(`${world.url}/v1/devices/:deviceId/heartbeat`, async ({ request }) => {
        const genuine = await passOn(request);
        recorded ??= genuine; // an old "good standing" answer, correctly signed
        return HttpResponse.json(recorded);
      }),
    );
    await world.runFor("PT7H"); // the first answer is recorded and passed through
    await reportDefault(world);
    await world.runFor("PT7H"); // the lock command is swallowed and the old answer replayed
    expect(setup.phone.snapshot.status).toBe("active");
    expect(world.events({ type: "device.response_rejected" }).map((e) => e.data.reason)).toContain("nonce");

    mock.resetHandlers(); // the man in the middle goes away
    await world.runFor("PT7H");
    expect(setup.phone.snapshot.status).toBe("locked");
  });
});
