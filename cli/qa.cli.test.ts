import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "test-results-parser";
import { describe, expect, it } from "vitest";
import { runHeartlock, type Ran } from "./heartlock-child.ts";
import { packageVersion } from "./version.ts";

/**
 * The CLI conventions QA and CI rely on, through the real `heartlock` bin as a child process: exit codes,
 * one-line errors, standard input, and reports a CI tool reads.
 */
const dir = mkdtempSync(join(tmpdir(), "heartlock-qa-cli-"));

function heartlock(args: string[], options: { input?: string; cwd?: string } = {}): Promise<Ran> {
  return runHeartlock(args, { cwd: options.cwd ?? dir, ...(options.input === undefined ? {} : { input: options.input }) });
}

const story = (timeline: string) => `title: QA story
summary: One phone that locks.
objectives: [CI output points at the line]
seed: 3
devices:
  - { name: phone, account: acct }
timeline:
${timeline}`;

/** A run whose second check fails: the phone is locked, not active. Its failing check is on line 14. */
const FAILING = story(`  - do: lender.default
    account: acct
    amount: 10 EUR
  - after: PT7H
    expect:
      - { device: phone, state: locked }
      - { device: phone, state: active }
`);

writeFileSync(join(dir, "failing.yaml"), FAILING);
writeFileSync(join(dir, "invalid.yaml"), story("  - { do: lender.default, account: acct, amount: 10 EUR, expect: { event: command.isued, count: 0 } }\n"));

describe("heartlock as a CI step (child process)", { timeout: 60_000 }, () => {
  it("prints its version, and each command's own usage with --help", async () => {
    const version = await heartlock(["--version"]);
    expect(version).toMatchObject({ code: 0, stdout: `heartlock ${packageVersion()}\n` });
    const help = await heartlock(["validate", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: heartlock validate <file\|->/);
  });

  it("validates a scenario from standard input, and a misspelt event type exits 2 with its line", async () => {
    const { code, stdout, stderr } = await heartlock(["validate", "-"], { input: readFileSync(join(dir, "invalid.yaml"), "utf8") });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^<stdin>:8:\d+: timeline\[0\]\.expect\.event: unknown event type "command\.isued" \(did you mean "command\.issued"\?\)/);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("a misspelt ordering event and a misspelt fleet exit 2 with one line for each, at its line", async () => {
    const text = `title: Matchers
summary: Typos in the newer matchers.
objectives: [strict]
devices:
  - { name: shop, count: 3, account: "shop-{n}" }
timeline:
  - after: PT1H
    expect:
      - { event: heartbeat, data: { seq: { gte: 2 } } }
      - { event: heartbeat, before: payment.recordd }
      - { device: { fleet: shpo, share: 10% }, state: active }
`;
    const { code, stderr } = await heartlock(["validate", "-"], { input: text });
    expect(code).toBe(2);
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines.find((line) => line.includes("recordd"))).toMatch(/^<stdin>:10:\d+: .*before: unknown event type "payment\.recordd" \(did you mean "payment\.recorded"\?\)/);
    expect(lines.find((line) => line.includes("shpo"))).toMatch(/^<stdin>:11:\d+: .*no fleet named "shpo"/);
  });

  it("refuses an alias bomb and an oversized file with one line each and exit 2", async () => {
    const lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let n = 1; n < 9; n += 1) lines.push(`${"abcdefghi"[n]}: &${"abcdefghi"[n]} [${Array.from({ length: 9 }, () => `*${"abcdefghi"[n - 1]}`).join(", ")}]`);
    writeFileSync(join(dir, "bomb.yaml"), `${lines.join("\n")}\n`);
    writeFileSync(join(dir, "huge.yaml"), `${story("")}${"  - { after: PT1M }\n".repeat(250_000)}`);
    const { code, stdout, stderr } = await heartlock(["validate", "bomb.yaml", "huge.yaml"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const [bomb, huge, ...rest] = stderr.trim().split("\n");
    expect(rest).toEqual([]);
    expect(bomb).toMatch(/bomb\.yaml:2:\d+: aliases expand to too much .*alias bomb is refused$/);
    expect(huge).toMatch(/huge\.yaml:1:1: is \d+ KiB; a scenario file may be at most 256 KiB$/);
  });

  it("an --out folder that does not exist is one line and exit 2, before anything runs", async () => {
    const { code, stdout, stderr } = await heartlock(["run", "failing.yaml", "--out", "no/such/folder/report.xml"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe("heartlock: cannot write no/such/folder/report.xml: ENOENT: no such file or directory\n");
  });

  it("schema --out into a missing folder, a seed too big to be exact and an option the command does not read are one line and exit 2", async () => {
    const schema = await heartlock(["schema", "--out", "no/such/folder/s.json"]);
    expect(schema).toMatchObject({ code: 2, stdout: "", stderr: "heartlock: cannot write no/such/folder/s.json: ENOENT: no such file or directory\n" });
    const seed = await heartlock(["run", "failing.yaml", "--seed", "9999999999999999999999"]);
    expect(seed).toMatchObject({ code: 2, stdout: "" });
    expect(seed.stderr.split("\n")[0]).toBe("heartlock run: --seed 9999999999999999999999 is too big: a numeric seed must be within ±9007199254740991 (or use a word)");
    const stray = await heartlock(["validate", "failing.yaml", "--jobs", "3"]);
    expect(stray).toMatchObject({ code: 2, stdout: "", stderr: "heartlock validate: --jobs is not an option of validate; heartlock validate --help lists them\n" });
  });

  it("a file that cannot be read (a folder, a missing file) is one line and exit 2", async () => {
    mkdirSync(join(dir, "folder.yaml"), { recursive: true });
    for (const command of ["run", "validate"]) {
      const folder = await heartlock([command, "folder.yaml"]);
      expect(folder).toMatchObject({ code: 2, stdout: "" });
      expect(folder.stderr).toMatch(/^\S*folder\.yaml: cannot be read \(EISDIR[^\n]*\)\n$/);
      const missing = await heartlock([command, "missing.yaml"]);
      expect(missing).toMatchObject({ code: 2, stdout: "" });
      expect(missing.stderr).toMatch(/^missing\.yaml: no such file, and no library scenario of that name; try: [^\n]+\n$/);
    }
  });

  it("writes JUnit that a real JUnit consumer reads: the invalid file as an error case, the failure at its file and the check's line", async () => {
    mkdirSync(join(dir, "reports"), { recursive: true });
    const { code } = await heartlock(["run", "failing.yaml", "invalid.yaml", "--reporter", "junit", "--out", "reports/junit.xml"]);
    expect(code).toBe(2);
    const xml = readFileSync(join(dir, "reports", "junit.xml"), "utf8");
    const read = parse({ type: "junit", files: [join(dir, "reports", "junit.xml")] });
    expect(read.suites.map((suite) => [suite.name, suite.total, suite.failed, suite.errors])).toEqual([
      ["QA story", 2, 1, 0],
      ["invalid.yaml", 1, 0, 1],
    ]);
    const failed = read.suites[0]?.cases.find((c) => c.status === "FAIL");
    expect(failed?.name).toBe("phone is active (step 2)");
    expect(xml).toMatch(/<testcase classname="heartlock\.failing" name="phone is active \(step 2\)" time="[\d.]+" file="failing\.yaml" line="14">/);
    expect(xml).toMatch(/<testsuite name="QA story" [^>]*timestamp="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"[^>]* file="failing\.yaml">/);
    expect(read.suites[1]?.cases[0]?.failure).toContain('unknown event type "command.isued"');
  });

  it("--reporter github annotates the failing check at its file and line", async () => {
    const { code, stdout } = await heartlock(["run", "failing.yaml", "--reporter", "github"]);
    expect(code).toBe(1);
    expect(stdout).toContain("::error file=failing.yaml,line=14,title=failing%3A step 2::phone is active: expected active, found locked");
  });
});
