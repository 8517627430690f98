#!/usr/bin/env node
// The `heartlock` command. The sources are TypeScript run through tsx (a dependency), so `npx heartlock`
// works straight from a clone with no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
const { processIo } = await import("../cli/io.ts");
const code = await main(process.argv.slice(2), processIo());
// `serve` keeps running until a signal; every other command ends with its exit code.
if (code >= 0) process.exitCode = code;
