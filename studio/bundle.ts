import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

let bundle: Promise<string> | undefined;

/** Where the build (scripts/build.mjs) puts the page's script, beside this module in dist/studio/. */
export const PREBUILT_CLIENT = new URL("./studio-client.js", import.meta.url);

/**
 * The page's script: studio/client/*.ts bundled into one ES module by esbuild. The installed package carries
 * it prebuilt (no esbuild at run time); a clone running the sources bundles it once per process, on first
 * request (~50 ms), with esbuild from the dev dependencies, so an edit shows on restart with no build step.
 */
export function clientBundle(): Promise<string> {
  bundle ??= existsSync(PREBUILT_CLIENT) ? readFile(PREBUILT_CLIENT, "utf8") : bundleFromSource();
  bundle.catch(() => (bundle = undefined)); // a failed build is tried again on the next request
  return bundle;
}

async function bundleFromSource(): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({ ...CLIENT_BUILD, write: false, sourcemap: "inline" });
  return result.outputFiles?.[0]?.text ?? "";
}

/** The esbuild options both paths share. */
export const CLIENT_BUILD = {
  entryPoints: [fileURLToPath(new URL("./client/main.ts", import.meta.url))],
  bundle: true,
  format: "esm" as const,
  target: "es2022",
  platform: "browser" as const,
  logLevel: "silent" as const,
};
