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

/** A `heartlock` child that keeps running (`--watch`, `serve`): its output so far, a wait for a line, and a stop. */
export interface RunningHeartlock {
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves when `test` holds for the output so far; rejects (with the output) after `timeoutMs` or if the child ends first. */
  waitFor(test: (output: { stdout: string; stderr: string }) => boolean, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and resolves with the exit code (null when the signal ended it). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function startHeartlock(args: string[], options: { cwd: string }): RunningHeartlock {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let exited: number | null | undefined;
  const waiters = new Set<() => void>();
  const poke = (): void => {
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout.on("data", (chunk: Buffer) => ((stdout += chunk.toString()), poke()));
  child.stderr.on("data", (chunk: Buffer) => ((stderr += chunk.toString()), poke()));
  const closed = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      exited = code;
      poke();
      resolve(code);
    }),
  );
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor(test, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const done = (error?: Error): void => {
          waiters.delete(check);
          clearTimeout(timer);
          if (error) reject(error);
          else resolve();
        };
        const check = (): void => {
          if (test({ stdout, stderr })) done();
          else if (exited !== undefined) done(new Error(`heartlock ended (exit ${exited}) first\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        };
        const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`)), timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop(signal = "SIGINT") {
      if (exited === undefined) child.kill(signal);
      return closed;
    },
  };
}
