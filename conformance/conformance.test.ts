import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, type Io } from "../cli/io.ts";
import { main } from "../cli/main.ts";
import { brokenProxy, startServe, type Proxy, type Served } from "./target-fixtures.ts";

/**
 * Conformance against "another" implementation: a second Heartlock server as a child process, and two
 * broken wrappers around it that the run must catch (see target-fixtures.ts).
 */
let served: Served | undefined;
let target = "";
const proxies: Proxy[] = [];

async function broken(breakage: "unsigned" | "replay-200"): Promise<string> {
  const proxy = await brokenProxy(target, breakage);
  proxies.push(proxy);
  return proxy.url;
}

async function conformance(url: string) {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false, env: {}, writeFile: () => undefined };
  const code = await main(["conformance", "--target", url, "--reporter", "json"], io);
  const report = stdout ? (JSON.parse(stdout) as { rules: { id: string; status: string; detail?: string }[] }) : { rules: [] };
  return { code, stderr, failed: report.rules.filter((rule) => rule.status === "failed"), rules: report.rules };
}

describe("heartlock conformance", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    served = await startServe();
    target = served.url;
  }, 60_000);

  afterAll(async () => {
    for (const proxy of proxies) proxy.close();
    await served?.stop();
  });

  it("passes every rule against a second Heartlock server", async () => {
    const { code, failed, rules } = await conformance(target);
    expect(failed).toEqual([]);
    expect(code).toBe(EXIT.ok);
    expect(rules.length).toBeGreaterThanOrEqual(12);
  });

  it("catches a server that forgets to sign its heartbeat answers", async () => {
    const { code, failed } = await conformance(await broken("unsigned"));
    expect(code).toBe(EXIT.failed);
    expect(failed.map((rule) => rule.id)).toContain("heartbeat.signed");
    expect(failed.find((rule) => rule.id === "heartbeat.signed")?.detail).toBe("the signature does not verify under the deviceSecret");
  });

  it("catches a server that answers a replayed seq with 200", async () => {
    const { code, failed } = await conformance(await broken("replay-200"));
    expect(code).toBe(EXIT.failed);
    expect(failed.map((rule) => rule.id)).toEqual(["heartbeat.replay"]);
  });

  it("an unreachable target is one line and exit 2", async () => {
    const { code, stderr } = await conformance("http://127.0.0.1:9");
    expect(code).toBe(EXIT.invalid);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^heartlock conformance: http:\/\/127\.0\.0\.1:9 cannot be reached/);
  });
});
