import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layers of DESIGN.md point one way: core and protocol at the bottom (protocol may use core), the lock service and the device
 * beside each other above them, the studio and the CLI on top. A source importing upwards or sideways
 * (mock-server reaching the studio, the device simulator reaching the mock server's internals) fails here.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const MAY_NOT_IMPORT: Record<string, readonly string[]> = {
  protocol: ["mock-server", "device-sim", "scenarios", "studio", "cli", "client", "msw"],
  core: ["mock-server", "device-sim", "scenarios", "studio", "cli", "client", "msw"],
  "mock-server": ["device-sim", "scenarios", "studio", "cli", "client", "msw"],
  "device-sim": ["mock-server", "scenarios", "studio", "cli", "msw"],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.includes("test-helpers") && !name.includes("test-fixtures") ? [path] : [];
  });
}

describe("layers", () => {
  it.each(Object.entries(MAY_NOT_IMPORT))("%s imports nothing from the layers above or beside it", (folder, forbidden) => {
    const offenders = sources(join(ROOT, folder)).flatMap((path) =>
      [...readFileSync(path, "utf8").matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)]
        .map((match) => relative(ROOT, join(path, "..", match[1] ?? "")))
        .filter((target) => forbidden.some((layer) => target === layer || target.startsWith(`${layer}/`)))
        .map((target) => `${relative(ROOT, path)} -> ${target}`),
    );
    expect(offenders).toEqual([]);
  });
});
