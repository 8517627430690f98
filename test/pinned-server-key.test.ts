import { afterEach, describe, expect, it } from "vitest";
import { serverKeyPair, signAnswer, verifyAnswer } from "../protocol/server-key.ts";
import { verifyResponse } from "../protocol/signing.ts";
import { closeWorlds, oneFinancedPhone, reportDefault } from "./story-helpers.ts";

afterEach(closeWorlds);

/** The attack of issue 11 (one unsigned 401, an unsigned check-in with the attacker's secret, a signed release) as the `mitm` fault. */
async function lockedThenAttacked(options: Parameters<typeof oneFinancedPhone>[0]) {
  const setup = await oneFinancedPhone(options);
  await reportDefault(setup.world);
  await setup.world.runFor("PT7H");
  expect(setup.phone.snapshot.status).toBe("locked");
  await setup.world.facilitator.call("addFault", { body: { kind: "mitm" } });
  await setup.world.runFor("PT6H");
  return setup;
}

describe("the pinned server key", () => {
  it("keeps a locked phone locked against a man in the middle who hands it his own secret and then a release", async () => {
    const { world, phone } = await lockedThenAttacked({ serverKey: true });
    expect(phone.snapshot.status).toBe("locked");
    expect(phone.snapshot.credentials?.secret).not.toBe("attacker-secret");
    expect(world.events({ type: "device.answer_refused" }).length).toBeGreaterThan(0);
    expect(world.events({ type: "fault.applied" }).some((event) => event.data["kind"] === "mitm")).toBe(true);
  });

  it("is what stops it: the same phone without a pinned key obeys the attacker's release (the defect of the issue)", async () => {
    const { phone } = await lockedThenAttacked({});
    expect(phone.snapshot.status).toBe("released");
  });

  it("signs check-in and heartbeat answers so that the HMAC of PROTOCOL.md still verifies for a protocol-only client", async () => {
    const { world, phone } = await oneFinancedPhone({ serverKey: true });
    const credentials = phone.snapshot.credentials;
    if (!credentials) throw new Error("not enrolled");
    const answer = await world.service.invoke("heartbeat", { token: credentials.token, params: { deviceId: credentials.deviceId }, body: { seq: 99, state: "active", nonce: "n".repeat(16) } });
    const body = answer.body as { signature: string; serverSignature: string };
    expect(typeof body.serverSignature).toBe("string");
    expect(verifyResponse(body, credentials.secret)).toBe(true);
    const key = world.service.state.serverKey;
    if (!key) throw new Error("no server key");
    expect(verifyAnswer(key.publicKey, body)).toBe(true);
    expect(verifyAnswer(key.publicKey, { ...body, command: { id: "x", type: "release" } })).toBe(false);
    expect(verifyAnswer(serverKeyPair(new Uint8Array(32).fill(7)).publicKey, body)).toBe(false);
  });

  it("gives the same signature in pure JavaScript and in Node's crypto (Ed25519 is deterministic)", async () => {
    const key = serverKeyPair(new Uint8Array(32).fill(3));
    const signed = signAnswer(key, { status: "ready", deviceId: "dev-1" });
    const { ed25519 } = await import("@noble/curves/ed25519");
    const { canonicalJson } = await import("../protocol/canonical-json.ts");
    const { base64url } = await import("../protocol/signing.ts");
    const noble = base64url(ed25519.sign(new TextEncoder().encode(canonicalJson({ status: "ready", deviceId: "dev-1" })), key.seed));
    expect(signed.serverSignature).toBe(noble);
  });
});
