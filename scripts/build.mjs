#!/usr/bin/env node
// Builds the package into dist/: tsc emits JavaScript, .d.ts and source maps from the sources as they are
// (`.ts` specifiers rewritten to `.js`); esbuild bundles the studio's browser script and the CLI; the non-code
// files the built code reads are copied beside it. Run by `npm run build` and by `prepare` (so a clone's
// `npm install` and `npm pack` build it). Plain JavaScript on purpose: it must run before anything is built.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
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
  ["scenarios/fleets", "scenarios/fleets"],
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

// The `heartlock` command's own bundle (dist/cli-bundle/, which bin/heartlock.js prefers): the CLI's modules and
// the runtime dependencies they import, in a few dozen files instead of ~300. A process spends most of a small
// `heartlock run` loading modules (resolving package exports, reading and compiling each file); bundled, that
// start-up is ~1.4x shorter, and every --jobs worker pays it again. Lazily imported commands stay lazy (chunks).
// The library's own entry points (`heartlock`, `heartlock/client`, `heartlock/msw`) stay the unbundled modules
// above, so a consumer shares one copy of zod and hono with its own code.
const cliBundle = join(dist, "cli-bundle");
await build({
  entryPoints: { main: join(dist, "cli/main.js"), io: join(dist, "cli/io.js"), "run-worker": join(dist, "cli/run-worker.js") },
  outdir: cliBundle,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.18",
  // Dev dependencies the CLI reaches only for optional work (esbuild: the studio's page builder when a page is not
  // prebuilt; playwright-core: Chromium for the copy lint and sheet; tsx: the sources-only path of --jobs),
  // resolved from node_modules as before.
  external: ["esbuild", "playwright-core", "tsx"],
  // Bundled CommonJS dependencies (yaml, undici) call require() for Node's built-in modules.
  banner: { js: 'import { createRequire as __heartlockCreateRequire } from "node:module"; const require = __heartlockCreateRequire(import.meta.url);' },
  plugins: [ownUrls(cliBundle)],
  logLevel: "warning",
});

console.log(`built dist/ (${Math.round(size(dist) / 1024)} KiB)`);

/**
 * Each bundled module of ours keeps its own `import.meta.url`, the file it was built to in dist/, so the files it
 * reads beside itself (the scenario library, copy decks, the studio's assets) are found as from the unbundled
 * build. worker-pool.js is the one exception: it starts run-worker.js beside itself, which must be the bundle's.
 */
function ownUrls(outdir) {
  return {
    name: "own-import-meta-url",
    setup(builder) {
      builder.onLoad({ filter: /\.js$/ }, (args) => {
        if (!args.path.startsWith(dist + sep) || args.path.startsWith(outdir + sep)) return undefined;
        const text = readFileSync(args.path, "utf8");
        if (!text.includes("import.meta.url") || args.path === join(dist, "cli/worker-pool.js")) return { contents: text, loader: "js" };
        const here = JSON.stringify(relative(outdir, args.path).split(sep).join("/"));
        return { contents: text.replaceAll("import.meta.url", `new URL(${here}, import.meta.url).href`), loader: "js" };
      });
    },
  };
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function size(dir) {
  return walk(dir).reduce((sum, file) => sum + statSync(file).size, 0);
}
