import { writeFileSync } from "node:fs";

/** What the CLI may touch, so tests can run it in-process and read what it printed. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout / stderr are terminals (colours, progress line). */
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
  /** NO_COLOR / FORCE_COLOR, as https://no-color.org and Node's own tools read them. */
  readonly env: Readonly<Record<string, string | undefined>>;
  writeFile(path: string, text: string): void;
  /** Standard input, whole, up to `limit` bytes (for `validate -`); tests give their own. */
  readStdin?(limit: number): Promise<string>;
}

export const EXIT = { ok: 0, failed: 1, invalid: 2, running: -1 } as const;

export function processIo(): Io {
  // A reader that stops early (`heartlock schema | head`) closes the pipe: the rest is not written, quietly, and
  // the command ends with its own exit code (an unhandled EPIPE used to end it with a stack trace and exit 1).
  let stdoutClosed = false;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    stdoutClosed = true;
  });
  return {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    env: process.env,
    writeFile: (path, text) => writeFileSync(path, text),
    readStdin: async (limit) => {
      let size = 0;
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
        size += buffer.length;
        chunks.push(buffer);
        // Stop reading past the limit: the size check then refuses it without holding the rest.
        if (size >= limit) break;
      }
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

export function useColor(io: Io): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined) return io.env.FORCE_COLOR !== "0";
  return io.stdoutIsTty;
}
