import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Keys } from "../mock-server/auth.ts";
import { testKeys } from "../mock-server/create.ts";
import { ioReason } from "../scenarios/library.ts";

const KeysFile = z.strictObject({ admin: z.string().min(1), support: z.string().min(1), lenders: z.record(z.string(), z.string().min(1)) });

/**
 * `--target <url> [--keys <file>]`, as `heartlock conformance` and `heartlock run` read them: an http(s) URL,
 * and a JSON file { admin, support, lenders: { id: key } } (without it, Heartlock's well-known test keys).
 * A problem is one line for stderr, prefixed with the command.
 */
export function readTarget(command: string, target: string, keysFile: string | undefined): { url: URL; keys: Keys } | { problem: string } {
  let url: URL;
  try {
    url = new URL(target);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http");
  } catch {
    return { problem: `heartlock ${command}: --target "${target}" is not an http(s) URL` };
  }
  const path = targetPathProblem(url);
  if (path !== undefined) return { problem: `heartlock ${command}: ${path}` };
  if (keysFile === undefined) return { url, keys: testKeys };
  try {
    const parsed = KeysFile.safeParse(JSON.parse(readFileSync(keysFile, "utf8")));
    if (!parsed.success) return { problem: `heartlock ${command}: ${keysFile}: expected { admin, support, lenders: { id: key } }: ${parsed.error.issues[0]?.message ?? ""}` };
    return { url, keys: parsed.data };
  } catch (error) {
    return { problem: `heartlock ${command}: cannot read ${keysFile}: ${error instanceof SyntaxError ? error.message : ioReason(error)}` };
  }
}

/**
 * PROTOCOL.md's paths (/v1/…) are appended to the target's origin, so a path, query or fragment in --target would
 * be dropped without a word: it is refused instead, saying what to write.
 */
export function targetPathProblem(url: URL): string | undefined {
  if ((url.pathname === "/" || url.pathname === "") && url.search === "" && url.hash === "") return undefined;
  return `--target is the lock service's origin, e.g. ${url.origin}: PROTOCOL.md's paths (/v1/…) are added to it, so "${url.pathname}${url.search}${url.hash}" would be ignored`;
}
