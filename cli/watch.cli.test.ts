import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startHeartlock, type RunningHeartlock } from "./heartlock-child.ts";

const story = (title: string, state: string) => `title: ${title}
summary: One phone that locks.
objectives: [watch mode runs again on a save]
devices:
  - { name: phone, account: acct }
timeline:
  - do: lender.default
    account: acct
    amount: 10 EUR
  - after: PT7H
    expect: { device: phone, state: ${state} }
`;

/** How many reports the pretty reporter has printed: each ends with its summary line ("1 scenario, 1 passed, 0 failed; …"). */
const reports = (stdout: string): number => stdout.match(/^\d+ scenarios?, \d+ passed, \d+ failed/gm)?.length ?? 0;

describe("heartlock run --watch (child process)", { timeout: 60_000 }, () => {
  let child: RunningHeartlock | undefined;
  afterEach(async () => {
    await child?.stop("SIGKILL");
    child = undefined;
  });

  it("runs once, runs again when the file is saved (in place, or renamed over it), and stops on Ctrl-C", async () => {
    const dir = mkdtempSync(join(tmpdir(), "heartlock-watch-"));
    const file = join(dir, "story.yaml");
    writeFileSync(file, story("First version", "locked"));
    child = startHeartlock(["run", file, "--watch"], { cwd: dir });
    const running = child;
    await running.waitFor(({ stderr }) => stderr.includes("watching 1 file"));
    expect(reports(running.stdout())).toBe(1);
    expect(running.stdout()).toContain("1 scenario, 1 passed, 0 failed");
    expect(running.stdout()).toContain("First version");
    expect(running.stdout()).not.toContain("Second version");

    // A save that makes the check fail: the second run reports it, and the watcher keeps going.
    writeFileSync(file, story("Second version", "active"));
    await running.waitFor(({ stdout }) => stdout.includes("Second version") && reports(stdout.slice(stdout.indexOf("Second version"))) >= 1);
    expect(running.stderr()).toContain(`${file} changed; running again`);
    const second = running.stdout().slice(running.stdout().indexOf("Second version"));
    expect(second).toContain("1 scenario, 0 passed, 1 failed");
    expect(reports(running.stdout())).toBe(2);

    // Saves that write a new file and rename it over the old one (vim, IDEs, sed -i), twice: the watcher
    // follows the path, not the replaced file.
    for (const [n, title] of [[3, "Third version"], [4, "Fourth version"]] as const) {
      writeFileSync(`${file}.tmp`, story(title, "locked"));
      renameSync(`${file}.tmp`, file);
      await running.waitFor(({ stdout }) => stdout.includes(title) && reports(stdout) >= n);
    }

    expect(await running.stop("SIGINT")).toBe(0);
  });
});
