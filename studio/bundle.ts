import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

/**
 * A browser page's script: its entry and everything it imports, bundled into one ES module by esbuild. The
 * installed package carries each one prebuilt beside this module in dist/studio/ (scripts/build.mjs writes them,
 * so no esbuild at run time); a clone running the sources bundles it once per process, on first request
 * (~50 ms), with esbuild from the dev dependencies, so an edit shows on restart with no build step.
 */
export interface PageScript {
  /** The TypeScript entry, relative to the repository's root. */
  readonly source: string;
  /** The bundle's file name in dist/studio/. */
  readonly prebuilt: string;
  /** An inline source map when bundled from the sources (the gallery goes without: the overflow lint loads it every run). */
  readonly sourceMap: boolean;
}

/** The pages that have a script: the studio and the copy gallery. */
export const PAGE_SCRIPTS = {
  studio: { source: "studio/client/main.ts", prebuilt: "studio-client.js", sourceMap: true },
  gallery: { source: "studio/gallery/client/main.ts", prebuilt: "gallery-client.js", sourceMap: false },
} as const satisfies Record<string, PageScript>;

/** The esbuild options both paths (build time and first request) share. */
export const CLIENT_BUILD = {
  bundle: true,
  format: "esm" as const,
  target: "es2022",
  platform: "browser" as const,
  logLevel: "silent" as const,
  // Drops the comments of bundled libraries too: the pages must not even name another server (the ICU parser's
  // comments link to GitHub), and the script gets smaller. Source maps still map to the sources.
  minifyWhitespace: true,
};

const bundles = new Map<string, Promise<string>>();

export function bundleOf(script: PageScript): Promise<string> {
  let bundle = bundles.get(script.prebuilt);
  if (!bundle) {
    const prebuilt = new URL(`./${script.prebuilt}`, import.meta.url);
    bundle = existsSync(prebuilt) ? readFile(prebuilt, "utf8") : bundleFromSource(script);
    bundle.catch(() => bundles.delete(script.prebuilt)); // a failed build is tried again on the next request
    bundles.set(script.prebuilt, bundle);
  }
  return bundle;
}

async function bundleFromSource(script: PageScript): Promise<string> {
  const { build } = await import("esbuild");
  const result = await build({ ...CLIENT_BUILD, entryPoints: [fileURLToPath(new URL(`../${script.source}`, import.meta.url))], write: false, ...(script.sourceMap ? { sourcemap: "inline" as const } : {}) });
  return result.outputFiles?.[0]?.text ?? "";
}

/** The studio page's script: studio/client/*.ts. */
export function clientBundle(): Promise<string> {
  return bundleOf(PAGE_SCRIPTS.studio);
}
