import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SCHEMA_FILE } from "../scenarios/library.ts";
import { EXIT, type Io } from "./io.ts";
import { main } from "./main.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "heartlock-cli-"));

/** Runs the CLI in-process, as a terminal would (or not), and keeps what it printed and wrote. */
async function cli(args: string[], tty = false, env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const files = new Map<string, string>();
  const io: Io = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdoutIsTty: tty,
    stderrIsTty: tty,
    env,
    writeFile: (path, text) => void files.set(path, text),
  };
  const code = await main(args, io);
  return { code, stdout, stderr, files };
}

function scenarioFile(name: string, timeline: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `# yaml-language-server: $schema=${SCHEMA_FILE}
title: CLI test
summary: One phone.
objectives: [exit codes]
seed: 5
devices:
  - { name: phone, account: acct }
timeline:
${timeline}`,
  );
  return path;
}

describe("heartlock run", () => {
  it("plays a library scenario by name, narrates it, and exits 0 when every expectation holds", { timeout: 30_000 }, async () => {
    const { code, stdout, stderr } = await cli(["run", "missed-payment-lock"]);
    expect(stderr).toBe("");
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain("A missed payment locks the phone at its next heartbeat");
    expect(stdout).toContain("At its next heartbeat the phone hears");
    expect(stdout).not.toContain("\x1b[");
  });

  it("colours the narration on a terminal, and not when NO_COLOR is set", async () => {
    expect((await cli(["run", "missed-payment-lock"], true)).stdout).toContain("\x1b[");
    expect((await cli(["run", "missed-payment-lock"], true, { NO_COLOR: "1" })).stdout).not.toContain("\x1b[");
  });

  it("exits 1 when an expectation fails, and says what was expected and found", async () => {
    const file = scenarioFile("fails.yaml", "  - after: PT1H\n    expect: { device: phone, state: locked }\n");
    const { code, stdout } = await cli(["run", file]);
    expect(code).toBe(EXIT.failed);
    expect(stdout).toContain("phone is locked");
    expect(stdout).toContain("active");
  });

  it("exits 2 for an invalid file, pointing at the line, and runs nothing", async () => {
    const file = scenarioFile("broken.yaml", "  - after: PT1H\n  - after: three days\n");
    const { code, stdout, stderr } = await cli(["run", "missed-payment-lock", file]);
    expect(code).toBe(EXIT.invalid);
    expect(stderr).toContain(`${file}:10:12: timeline[1].after: must be an ISO-8601 duration`);
    expect(stdout).toBe("");
  });

  it("writes JUnit XML to --out and reports where it went", async () => {
    const { code, files, stderr } = await cli(["run", "missed-payment-lock", "--reporter", "junit", "--out", "report.xml", "--transport", "direct"]);
    expect(code).toBe(EXIT.ok);
    expect(files.get("report.xml")).toMatch(/^<\?xml[\s\S]*<testsuites[\s\S]*<testcase/);
    expect(stderr).toContain("junit report written to report.xml");
  });

  it("uses --seed instead of the file's seed", async () => {
    const json = async (seed: string) => JSON.parse((await cli(["run", "missed-payment-lock", "--reporter", "json", "--seed", seed])).stdout) as { scenarios: { seed: number }[] };
    expect((await json("77")).scenarios[0]?.seed).toBe(77);
  });

  it("refuses an unknown reporter, transport or option with exit 2", async () => {
    expect((await cli(["run", "missed-payment-lock", "--reporter", "pdf"])).code).toBe(EXIT.invalid);
    expect((await cli(["run", "missed-payment-lock", "--transport", "pigeon"])).code).toBe(EXIT.invalid);
    expect((await cli(["run", "--colour"])).code).toBe(EXIT.invalid);
    expect((await cli(["fly"])).code).toBe(EXIT.invalid);
  });

  it("refuses a --target with a path (it would be ignored) and a fleet reporter it does not have, before connecting", async () => {
    const run = await cli(["run", "missed-payment-lock", "--target", "http://127.0.0.1:9/v1"]);
    expect([run.code, run.stderr]).toEqual([EXIT.invalid, 'heartlock run: --target is the lock service\'s origin, e.g. http://127.0.0.1:9: PROTOCOL.md\'s paths (/v1/…) are added to it, so "/v1" would be ignored\n']);
    const fleet = await cli(["fleet", "--target", "http://127.0.0.1:9/v1"]);
    expect(fleet.code).toBe(EXIT.invalid);
    expect(fleet.stderr).toContain('so "/v1" would be ignored');
    const xml = await cli(["fleet", "--target", "http://127.0.0.1:9", "--reporter", "xml"]);
    expect([xml.code, xml.stderr]).toEqual([EXIT.invalid, 'heartlock fleet: unknown reporter "xml"; use pretty (default) or json\n']);
  });
});

describe("heartlock validate, list and schema", () => {
  it("validate: ok for a good file, exit 2 with line and column for a bad one", async () => {
    const good = scenarioFile("good.yaml", "  - after: PT1H\n");
    const bad = scenarioFile("bad.yaml", "  - do: owner.dance\n    device: phone\n");
    expect(await cli(["validate", good])).toMatchObject({ code: EXIT.ok, stdout: `ok ${good}: 1 step, 1 device\n` });
    const invalid = await cli(["validate", bad]);
    expect(invalid.code).toBe(EXIT.invalid);
    expect(invalid.stderr).toContain(`${bad}:9:9: timeline[0].do: unknown action`);
    expect((await cli(["validate", join(dir, "missing.yaml")])).code).toBe(EXIT.invalid);
  });

  it("list: every library scenario with its title", async () => {
    const { code, stdout } = await cli(["list"]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/missed-payment-lock\s+A missed payment locks the phone/);
  });

  it("schema: prints the committed JSON Schema", async () => {
    const { stdout } = await cli(["schema"]);
    expect(stdout).toBe(readFileSync(SCHEMA_FILE, "utf8"));
  });
});

describe("the heartlock command itself", () => {
  it("runs from a clone through the package bin, with its exit code", { timeout: 30_000 }, () => {
    const bin = join(ROOT, "bin", "heartlock.js");
    const ok = spawnSync(process.execPath, [bin, "run", "missed-payment-lock", "--reporter", "mermaid"], { cwd: ROOT, encoding: "utf8" });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("sequenceDiagram");
    const bad = spawnSync(process.execPath, [bin, "validate", scenarioFile("bin-bad.yaml", "  - after: later\n")], { cwd: ROOT, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("bin-bad.yaml:9:12");
  });

  it("ends quietly with its own exit code when the reader of its output goes away (`heartlock schema | head`)", { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "heartlock.js"), "schema"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    // The read end is closed before the command writes a byte: its write meets EPIPE, as under `| head -c 10`.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(EXIT.ok);
  });
});
