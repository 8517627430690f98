import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "test-results-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokenProxy, startServe, type Proxy, type Served } from "../conformance/target-fixtures.ts";
import { BIN, runHeartlock, type Ran } from "./heartlock-child.ts";

/**
 * `heartlock run --target`, through the real bin as a child process: a library scenario played against a
 * second `heartlock serve` (manual clock) passes and lists what it skipped; against a server that forgets to
 * sign its heartbeat answers the phone never locks, so a check fails; an unreachable target is one line.
 */
const dir = mkdtempSync(join(tmpdir(), "heartlock-run-target-"));
const keys = join(dir, "keys.json");
writeFileSync(keys, JSON.stringify({ admin: "admin-key", support: "support-key", lenders: { acme: "acme-key" } }));
let served: Served | undefined;
const proxies: Proxy[] = [];

function heartlock(args: string[]): Promise<Ran> {
  return runHeartlock(args, { cwd: dir });
}

describe("heartlock run --target (child processes)", { timeout: 90_000 }, () => {
  beforeAll(async () => {
    served = await startServe("acme:acme-key");
  }, 60_000);

  afterAll(async () => {
    for (const proxy of proxies) proxy.close();
    await served?.stop();
  });

  // One target clock, which only goes forward: each test resets the target and needs a start not yet passed, so
  // the later ones run the same story from a later start (--seed does not move it; a copy of the file does).
  it("plays a library scenario against a second heartlock serve: passes, with the skipped checks listed", async () => {
    const { code, stdout, stderr } = await heartlock(["run", "missed-payment-lock", "--target", served?.url ?? "", "--keys", keys]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`seed 1 · target ${served?.url}`);
    expect(stdout).toContain("✓ alice-phone is locked for reason overdue");
    expect(stdout).toContain("✓ account alice is in default standing");
    expect(stdout).toContain("Skipped: 2 expectations that need Heartlock's own mock (not counted as passed)");
    expect(stdout).toMatch(/missed-payment-lock\.yaml:\d+: command\.issued \(alice-phone\) happens by now \(command\.issued is an event of Heartlock's lock service/);
    expect(stdout).toMatch(/15 expectations \(2 skipped: they need Heartlock's own mock\)/);
  });

  it("reports the skipped checks in JSON and JUnit as skipped, never as passed", async () => {
    const story = later("missed-payment-lock", "2026-03-03T09:00");
    const json = await heartlock(["run", story, "--target", served?.url ?? "", "--keys", keys, "--reporter", "json"]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { summary: Record<string, number>; scenarios: { expectations: { passed: boolean; skipped?: string }[] }[] };
    expect(report.summary).toMatchObject({ passed: 1, failed: 0, skippedExpectations: 2, failedExpectations: 0 });
    const skipped = report.scenarios[0]?.expectations.filter((e) => e.skipped !== undefined) ?? [];
    expect(skipped).toHaveLength(2);
    expect(skipped.every((e) => !e.passed)).toBe(true);

    const story2 = later("missed-payment-lock", "2026-03-04T09:00");
    const junit = await heartlock(["run", story2, "--target", served?.url ?? "", "--keys", keys, "--reporter", "junit", "--out", "junit.xml"]);
    expect(junit.code).toBe(0);
    const read = parse({ type: "junit", files: [join(dir, "junit.xml")] });
    expect(read.suites[0]?.cases.filter((c) => c.status === "SKIP").map((c) => c.name)).toEqual([expect.stringMatching(/^command\.issued/), expect.stringMatching(/^heartbeat/)]);
    expect(read.suites[0]?.failed).toBe(0);
  });

  it("skips a whole scenario whose story needs Heartlock's mock, saying why", async () => {
    const { code, stdout } = await heartlock(["run", "man-in-the-middle-refused", "--target", served?.url ?? "", "--keys", keys]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/- skipped: needs Heartlock's own mock: step \d+ \(line \d+\) is facilitator\.fault/);
    expect(stdout).toContain("1 scenario, 0 passed, 0 failed, 1 skipped");
  });

  it("catches a target that forgets to sign its heartbeat answers: the phone never locks, exit 1", async () => {
    const proxy = await brokenProxy(served?.url ?? "", "unsigned");
    proxies.push(proxy);
    const story = later("missed-payment-lock", "2026-03-05T09:00");
    const { code, stdout } = await heartlock(["run", story, "--target", proxy.url, "--keys", keys]);
    expect(code).toBe(1);
    expect(stdout).toContain("✗ alice-phone is locked");
    expect(stdout).toMatch(/1 scenario, 0 passed, 1 failed/);
  });

  it("a scenario whose start the target's clock has passed is named as not run, and what ran before it is still reported", async () => {
    const first = later("missed-payment-lock", "2026-03-06T09:00");
    const again = join(dir, "same-start-again.yaml");
    writeFileSync(again, readFileSync(first, "utf8"));
    const { code, stdout, stderr } = await heartlock(["run", first, again, "--target", served?.url ?? "", "--keys", keys]);
    expect(code).toBe(2);
    expect(stdout).toContain("✓ alice-phone is locked for reason overdue");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^heartlock run: 1 scenario not run, from same-start-again: the target's clock is at .*, past the scenario's start/);
  });

  it("an unreachable target is one line and exit 2", async () => {
    const { code, stdout, stderr } = await heartlock(["run", "missed-payment-lock", "--target", "http://127.0.0.1:9", "--keys", keys]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^heartlock run: http:\/\/127\.0\.0\.1:9 cannot be reached/);
  });
});

/** A copy of a library scenario that starts later (the target's clock cannot go back between tests). */
function later(name: string, start: string): string {
  const file = join(dir, `${name}-${start.replaceAll(":", "")}.yaml`);
  const text = readLibrary(name).replace(/^start: .*$/m, `start: ${start}`).replace(/2026-03-02T11:00/g, `${start.slice(0, 10)}T11:00`);
  writeFileSync(file, text);
  return file;
}

function readLibrary(name: string): string {
  return readFileSync(join(BIN, "..", "..", "scenarios", "library", `${name}.yaml`), "utf8");
}
