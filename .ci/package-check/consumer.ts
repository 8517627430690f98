// Type-checked in a fresh project under `strict` and `exactOptionalPropertyTypes`, against the packed tarball's .d.ts.
import { runScenario, planFromYaml, World, type ScenarioResult } from "heartlock";
import { createClient, fetchTransport, ProblemError, type LockServiceClient } from "heartlock/client";
import { createMockLockService, type MockLockService } from "heartlock/msw";

const client: LockServiceClient = createClient({ transport: fetchTransport("http://127.0.0.1:8787"), token: "lender-a-key" });

export async function register(): Promise<string> {
  const registered = await client.registerDevice({ body: { imei: "353958031213269", accountId: "a-1", contact: { email: "help@example.com" } } });
  return registered.deviceId;
}

export async function beat(deviceId: string, token: string): Promise<"locked" | "free"> {
  try {
    const answer = await client.as(token).heartbeat({ params: { deviceId }, body: { seq: 1, state: "active", nonce: "n" } });
    return answer.command.type === "lock" ? "locked" : "free";
  } catch (error) {
    if (error instanceof ProblemError) console.log(error.status, error.code, error.detail, error.attemptsLeft, error.retryAfter);
    throw error;
  }
}

export async function play(yaml: string): Promise<ScenarioResult> {
  return runScenario(planFromYaml(yaml, "my-story.yaml"));
}

export const mock: MockLockService = createMockLockService({ seed: 1, start: "2026-03-02T09:00:00Z" });
export const worldType: typeof World = World;
