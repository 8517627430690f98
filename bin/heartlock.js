#!/usr/bin/env node
// The `heartlock` command: the built JavaScript in dist/ (made by `npm run build`, and by `prepare` on a
// clone's `npm install`). HEARTLOCK_FROM_SOURCE=1 runs the TypeScript sources through tsx instead (a dev
// dependency): the test suite sets it, so tests always exercise the code as it is now, not the last build.
import { existsSync } from "node:fs";
import module from "node:module";

const fromSource = process.env.HEARTLOCK_FROM_SOURCE === "1" || !existsSync(new URL("../dist/cli/main.js", import.meta.url));
let cli;
if (fromSource) {
  try {
    const { register } = await import("tsx/esm/api");
    register();
  } catch {
    console.error("heartlock: dist/ is not built and tsx is not installed; run `npm run build` (or `npm install` in a clone)");
    process.exit(2);
  }
  cli = { main: await import("../cli/main.ts"), io: await import("../cli/io.ts") };
} else {
  // Node 22.1+ keeps the compiled built modules on disk (the OS temp folder; NODE_DISABLE_COMPILE_CACHE=1 turns it
  // off), so a second `heartlock run` starts ~15 % sooner. Node 20 has no such cache: the call is skipped there.
  module.enableCompileCache?.();
  // The CLI's bundle (scripts/build.mjs) starts ~1.4x sooner than the same modules loaded one by one; a dist/
  // built before it existed has only the modules.
  const built = existsSync(new URL("../dist/cli-bundle/main.js", import.meta.url)) ? "cli-bundle" : "cli";
  cli = { main: await import(`../dist/${built}/main.js`), io: await import(`../dist/${built}/io.js`) };
}
const code = await cli.main.main(process.argv.slice(2), cli.io.processIo());
// `serve` keeps running until a signal; every other command ends with its exit code.
if (code >= 0) process.exitCode = code;
