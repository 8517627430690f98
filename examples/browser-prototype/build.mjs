// Bundles the prototype with esbuild into ./dist/ (index.html, app.js and MSW's worker script, which must be
// served from the page's own origin). `node examples/browser-prototype/build.mjs` then any static server on
// dist/, e.g. `npx vite examples/browser-prototype/dist` or `python3 -m http.server -d examples/browser-prototype/dist`.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");

export async function buildPrototype(out = join(here, "dist")) {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(here, "src/main.ts")],
    outfile: join(out, "app.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: "linked",
    logLevel: "warning",
    // In a team's own project these resolve through the installed package; here they point at the sources.
    alias: { "heartlock/msw": join(root, "msw/index.ts"), "heartlock/client": join(root, "client/browser.ts") },
  });
  copyFileSync(join(here, "index.html"), join(out, "index.html"));
  copyFileSync(createRequire(import.meta.url).resolve("msw/mockServiceWorker.js"), join(out, "mockServiceWorker.js"));
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`built ${await buildPrototype()}`);
