import { accessSync, constants, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ioReason } from "../scenarios/library.ts";

/**
 * Checks, before anything runs, that `--out` can be written: its folder exists, is a folder, and is
 * writable. A half-hour run that dies on ENOENT at the end is what this prevents. Returns the problem in one
 * line, or undefined.
 */
export function outFileProblem(out: string): string | undefined {
  const folder = dirname(resolve(out));
  try {
    if (!statSync(folder).isDirectory()) return `heartlock: cannot write ${out}: ${folder} is not a folder`;
    accessSync(folder, constants.W_OK);
    if (statSync(resolve(out), { throwIfNoEntry: false })?.isDirectory()) return `heartlock: cannot write ${out}: it is a folder`;
  } catch (error) {
    return `heartlock: cannot write ${out}: ${ioReason(error)}`;
  }
  return undefined;
}

/** Writes the report; an I/O error becomes one line instead of a stack trace. */
export function writeOut(write: () => void, out: string): string | undefined {
  try {
    write();
    return undefined;
  } catch (error) {
    return `heartlock: cannot write ${out}: ${ioReason(error)}`;
  }
}
