import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The package bin, as a user's shell runs it: the CLI tests drive it as a child process. */
export const BIN = fileURLToPath(new URL("../bin/heartlock.js", import.meta.url));

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `heartlock …args` in `cwd` without colour, feeding `input` (or nothing) on standard input. */
export function runHeartlock(args: string[], options: { cwd: string; input?: string }): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
