import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runHeartlock } from "./heartlock-child.ts";

/**
 * Reuse at scale through the real bin, as CI runs it: a matrix, --tag/--grep choosing among its variants, and
 * --jobs 2 giving the serial run's JSON report byte for byte. cli/run-options.test.ts proves the same in-process
 * on more files; this one proves the flags reach the runner through the command line and the worker threads.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXAMPLE = "scenarios/examples/payday-matrix.yaml";
const heartlock = (args: string[]) => runHeartlock(args, { cwd: ROOT });
const titles = (json: string) => (JSON.parse(json) as { scenarios: { scenario: { title: string } }[] }).scenarios.map((s) => s.scenario.title);

describe("heartlock run at scale (child process)", { timeout: 120_000 }, () => {
  it("--tag and --grep choose among a matrix's variants", async () => {
    const ran = await heartlock(["run", EXAMPLE, "missed-payment-lock", "--tag", "matrix", "--grep", "saturday", "--reporter", "json"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(titles(ran.stdout)).toEqual(["Paid on saturday at 09:00, unlocked within two business days", "Paid on saturday at 18:00, unlocked within two business days"]);
  });

  it("--jobs 2 reports byte for byte what a serial run reports", async () => {
    const files = ["missed-payment-lock", "wrong-codes-and-cooldown", EXAMPLE];
    const serial = await heartlock(["run", ...files, "--reporter", "json"]);
    const parallel = await heartlock(["run", ...files, "--reporter", "json", "--jobs", "2"]);
    expect(serial.code, serial.stderr).toBe(0);
    expect(parallel.code, parallel.stderr).toBe(0);
    expect(titles(serial.stdout)).toHaveLength(6);
    expect(parallel.stdout).toBe(serial.stdout);
  });

  // --jobs starts its workers before the command line is fully checked (cli/main.ts): every way out must stop them,
  // or the process would never exit and the test would time out.
  it("--jobs workers started early are stopped: a refused option, one file, an invalid file", async () => {
    const refused = await heartlock(["run", "missed-payment-lock", "--jobs", "2", "--reporter", "nope"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/unknown reporter "nope"/);
    const one = await heartlock(["run", "missed-payment-lock", "--jobs", "2", "--reporter", "json"]);
    expect(one.code, one.stderr).toBe(0);
    expect(titles(one.stdout)).toHaveLength(1);
    const invalid = await heartlock(["run", "missed-payment-lock", "cli/no-such-file.yaml", "--jobs", "999"]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr.trim().split("\n")).toHaveLength(1);
  });
});
