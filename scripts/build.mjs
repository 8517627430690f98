#!/usr/bin/env node
// Builds the package into dist/: tsc emits JavaScript, .d.ts and source maps from the sources as they are
// (`.ts` specifiers rewritten to `.js`); esbuild bundles the studio's browser script; the non-code files the
// built code reads are copied beside it. Run by `npm run build` and by `prepare` (so a clone's `npm install`
// and `npm pack` build it). Plain JavaScript on purpose: it must run before anything is built.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, "dist");
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });

const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

// tsc keeps `.ts` specifiers in declaration files; consumers resolve the `.js` ones against the .d.ts beside them.
for (const file of walk(dist)) {
  if (!file.endsWith(".d.ts")) continue;
  const text = readFileSync(file, "utf8");
  const fixed = text.replace(/((?:from|import)\s*\(?\s*["'])(\.{1,2}\/[^"']+)\.ts(["'])/g, "$1$2.js$3");
  if (fixed !== text) writeFileSync(file, fixed);
}

// Files the built code reads at run time, beside the modules that read them.
const copies = [
  ["scenarios/library", "scenarios/library"],
  ["scenarios/scenario.schema.json", "scenarios/scenario.schema.json"],
  ["studio/free-stage.yaml", "studio/free-stage.yaml"],
  ["studio/assets/studio.css", "studio/assets/studio.css"],
  ["studio/gallery/gallery.css", "studio/gallery/gallery.css"],
  ["copy", "copy"],
];
for (const [from, to] of copies) cpSync(join(root, from), join(dist, to), { recursive: true, filter: (path) => !path.endsWith(".ts") });

// Swagger UI for /docs, with its licence: copied, so swagger-ui-dist (and the telemetry of its @scarf/scarf
// dependency) stays out of the runtime dependencies.
const swagger = dirname(require.resolve("swagger-ui-dist/package.json"));
const swaggerOut = join(dist, "mock-server/http/swagger-ui");
mkdirSync(swaggerOut, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) cpSync(join(swagger, file), join(swaggerOut, file));

// The pages' scripts (the studio, the copy gallery), bundled now instead of on first request.
const { build } = await import("esbuild");
const { CLIENT_BUILD, PAGE_SCRIPTS } = await import("../dist/studio/bundle.js");
for (const script of Object.values(PAGE_SCRIPTS)) {
  await build({ ...CLIENT_BUILD, entryPoints: [join(root, script.source)], outfile: join(dist, "studio", script.prebuilt), sourcemap: script.sourceMap ? "external" : false, minify: true, logLevel: "warning" });
}

console.log(`built dist/ (${Math.round(size(dist) / 1024)} KiB)`);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function size(dir) {
  return walk(dir).reduce((sum, file) => sum + statSync(file).size, 0);
}
