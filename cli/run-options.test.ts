import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT, type Io } from "./io.ts";
import { main } from "./main.ts";

const EXAMPLE = "scenarios/examples/payday-matrix.yaml";

/** The CLI in-process (its output is the point here, not the process): what it printed, and its exit code. */
async function cli(args: string[]) {
  let stdout = "";
  let stderr = "";
  const io: Io = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdoutIsTty: false,
    stderrIsTty: false,
    env: {},
    writeFile: () => undefined,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}


describe("heartlock run, at scale", { timeout: 120_000 }, () => {
  // The whole library twice costs over a minute on a loaded 2-core machine, five times in CI: by default a
  // third of it plus the matrix example; HEARTLOCK_JOBS_ALL=1 compares the whole library.
  const everything = process.env.HEARTLOCK_JOBS_ALL === "1";
  const files = everything ? ["all"] : ["missed-payment-lock", "wrong-codes-and-cooldown", "fleet-of-phones", "offline-for-a-month", EXAMPLE];

  it(`--jobs 2 over ${everything ? "the library" : "part of the library and a matrix"} reports byte for byte what a serial run reports`, async () => {
    const serial = await cli(["run", ...files, "--reporter", "json"]);
    const parallel = await cli(["run", ...files, "--reporter", "json", "--jobs", "2"]);
    expect(serial.code).toBe(EXIT.ok);
    expect(parallel.code).toBe(EXIT.ok);
    expect(parallel.stdout).toBe(serial.stdout);
    expect((JSON.parse(serial.stdout) as { summary: { scenarios: number } }).summary.scenarios).toBeGreaterThanOrEqual(everything ? 12 : 8);
  });

  // With --jobs the files are also read and planned on the threads (cli/jobs.ts): what the serial run says of an
  // invalid file, a file named twice, and --tag/--grep choosing among variants must come out the same.
  it("--jobs 2 plans on both threads and says what a serial run says: an invalid file, a file named twice, --tag and --grep", async () => {
    const dir = mkdtempSync(join(tmpdir(), "heartlock-jobs-"));
    const typo = join(dir, "typo.yaml");
    writeFileSync(typo, "title: A typo\nsummary: An event type misspelt.\nobjectives: [a typo is refused]\nstart: 2026-03-02T09:00\ndevices:\n  - { name: p }\ntimeline:\n  - expect: { event: command.isued, count: 0 }\n");
    const lists = [
      ["missed-payment-lock", typo, "wrong-codes-and-cooldown", "missed-payment-lock", "--reporter", "json"],
      ["missed-payment-lock", typo, "wrong-codes-and-cooldown"],
      [EXAMPLE, "missed-payment-lock", "on-time-payer", "--tag", "matrix", "--grep", "saturday", "--reporter", "json"],
    ];
    for (const args of lists) {
      const serial = await cli(["run", ...args]);
      const parallel = await cli(["run", ...args, "--jobs", "2"]);
      expect(parallel).toEqual(serial);
    }
    const [withTypo, stopped, chosen] = await Promise.all(lists.map((args) => cli(["run", ...args])));
    expect(withTypo?.code).toBe(EXIT.invalid);
    expect((JSON.parse(withTypo?.stdout ?? "") as { scenarios: unknown[] }).scenarios).toHaveLength(3);
    expect(withTypo?.stderr).toMatch(/typo\.yaml:8:.*command\.isued/);
    expect(stopped).toMatchObject({ code: EXIT.invalid, stdout: "" });
    expect((JSON.parse(chosen?.stdout ?? "") as { scenarios: unknown[] }).scenarios).toHaveLength(2);
  });

  it("the JSON report is byte-identical for the same seed; real timings only with --timings", async () => {
    const first = await cli(["run", "missed-payment-lock", "--reporter", "json", "--seed", "9"]);
    const second = await cli(["run", "missed-payment-lock", "--reporter", "json", "--seed", "9"]);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout).not.toContain("wallMs");
    const timed = await cli(["run", "missed-payment-lock", "--reporter", "json", "--timings"]);
    const stats = (JSON.parse(timed.stdout) as { scenarios: { stats: Record<string, unknown> }[] }).scenarios[0]?.stats;
    expect(stats).toHaveProperty("wallMs");
    expect(stats?.ranAt).toMatch(/Z$/);
  });

  it("a matrix runs every combination, named by its values; --tag and --grep choose among them", async () => {
    const all = await cli(["run", EXAMPLE, "--reporter", "json"]);
    expect(all.code).toBe(EXIT.ok);
    const names = (JSON.parse(all.stdout) as { scenarios: { scenario: { name: string; title: string } }[] }).scenarios.map((s) => s.scenario.name);
    expect(names).toEqual(["payday-matrix[weekday=friday,hour=09:00]", "payday-matrix[weekday=friday,hour=18:00]", "payday-matrix[weekday=saturday,hour=09:00]", "payday-matrix[weekday=saturday,hour=18:00]"]);
    const saturday = await cli(["run", EXAMPLE, "missed-payment-lock", "--tag", "matrix", "--grep", "saturday", "--reporter", "json"]);
    expect((JSON.parse(saturday.stdout) as { scenarios: { scenario: { title: string } }[] }).scenarios.map((s) => s.scenario.title)).toEqual([
      "Paid on saturday at 09:00, unlocked within two business days",
      "Paid on saturday at 18:00, unlocked within two business days",
    ]);
    const none = await cli(["run", "missed-payment-lock", "--tag", "nothing-has-this"]);
    expect(none).toMatchObject({ code: EXIT.invalid, stdout: "" });
    expect(none.stderr).toBe("heartlock run: no scenario matches --tag nothing-has-this\n");
  });

  it("numbers steps the same in every reporter: Step 2 in pretty is step 2 in JSON and JUnit", async () => {
    const pretty = (await cli(["run", "missed-payment-lock"])).stdout;
    const json = JSON.parse((await cli(["run", "missed-payment-lock", "--reporter", "json"])).stdout) as { scenarios: { steps: { step: number; say?: string }[]; expectations: { step: number }[] }[] };
    const junit = (await cli(["run", "missed-payment-lock", "--reporter", "junit"])).stdout;
    const second = json.scenarios[0]?.steps.find((step) => step.step === 2);
    expect(pretty).toContain(`Step 2: ${second?.say?.slice(0, 30) ?? "?"}`);
    const checkedAtTwo = json.scenarios[0]?.expectations.filter((e) => e.step === 2).length ?? 0;
    expect(checkedAtTwo).toBeGreaterThan(0);
    expect(junit.match(/\(step 2\)"/g)?.length).toBe(checkedAtTwo);
  });
});
