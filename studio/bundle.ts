import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const bundles = new Map<string, Promise<string>>();

/**
 * A page's script: its entry and everything it imports bundled into one ES module by esbuild (already here
 * as tsx's engine), once per process, on first request (~50 ms). No build step to forget, nothing fetched
 * from a CDN. The studio's page and the copy gallery each have one.
 */
export function bundleOf(entry: URL, options: { sourcemap?: boolean } = {}): Promise<string> {
  const key = entry.href;
  let bundle = bundles.get(key);
  if (!bundle) {
    bundle = build({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      format: "esm",
      target: "es2022",
      platform: "browser",
      write: false,
      ...(options.sourcemap !== false ? { sourcemap: "inline" as const } : {}),
      logLevel: "silent",
    }).then((result) => result.outputFiles[0]?.text ?? "");
    bundle.catch(() => bundles.delete(key)); // a failed build is tried again on the next request
    bundles.set(key, bundle);
  }
  return bundle;
}

/** The studio page's script: studio/client/*.ts. */
export function clientBundle(): Promise<string> {
  return bundleOf(new URL("./client/main.ts", import.meta.url));
}
