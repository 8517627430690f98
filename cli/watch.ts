import { watch, type FSWatcher } from "node:fs";
import { libraryFiles, resolveScenarioFile } from "../scenarios/library.ts";
import { EXIT, type Io } from "./io.ts";
import type { CliOptions } from "./main.ts";

/**
 * `heartlock run --watch`: runs once, then again each time one of the named files changes (saves come in
 * bursts, so changes within a quarter second make one run). Runs until the process is stopped (Ctrl-C).
 */
export async function watchRuns(names: readonly string[], _options: CliOptions, io: Io, run: () => Promise<number>): Promise<number> {
  const files = names.flatMap((name) => (name === "all" ? libraryFiles() : [safeResolve(name)]));
  await run();
  io.stderr(`watching ${files.length} file${files.length === 1 ? "" : "s"}; Ctrl-C stops\n`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const watchers: FSWatcher[] = files.map((file) =>
    watch(file, () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        running = running.then(async () => {
          io.stderr(`\n${file} changed; running again\n`);
          await run();
        });
      }, 250);
    }),
  );
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  for (const watcher of watchers) watcher.close();
  return EXIT.ok;
}

function safeResolve(name: string): string {
  try {
    return resolveScenarioFile(name);
  } catch {
    return name;
  }
}
