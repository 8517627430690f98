import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** uPlot's browser build and stylesheet, from the installed package (served locally, never from a CDN). */
const require = createRequire(import.meta.url);
let cached: { readonly script: string; readonly style: string } | undefined;

export function uplotAssets(): { readonly script: string; readonly style: string } {
  cached ??= {
    script: readFileSync(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
    style: readFileSync(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
  };
  return cached;
}
