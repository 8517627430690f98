import { existsSync, watch, type FSWatcher } from "node:fs";
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const changed = (file: string): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(async () => {
        io.stderr(`\n${file} changed; running again\n`);
        await run();
      });
    }, 250);
  };
  const watchers = files.map((file) => follow(file, () => changed(file)));
  // Only once every watcher is in place: a save right after this line (a script, a test) is not missed.
  io.stderr(`watching ${files.length} file${files.length === 1 ? "" : "s"}; Ctrl-C stops\n`);
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  for (const watcher of watchers) watcher.close();
  if (timer !== undefined) clearTimeout(timer);
  return EXIT.ok;
}

/**
 * Watches a path, not the file it names now: editors that save by writing a new file and renaming it over the
 * old one (vim, many IDEs, `sed -i`) leave a watcher on the replaced file, so after a rename it watches the
 * path again.
 */
function follow(file: string, onChange: () => void): { close(): void } {
  let current: FSWatcher | undefined;
  let closed = false;
  const start = (): void => {
    if (closed) return;
    try {
      current = watch(file, (event) => {
        onChange();
        if (event === "rename") {
          current?.close();
          current = undefined;
          // The new file is usually there at once; if the save is still in flight, look again shortly.
          if (existsSync(file)) start();
          else setTimeout(start, 100);
        }
      });
    } catch {
      // Gone for now (deleted, mid-save): try again until it is back.
      setTimeout(start, 250);
    }
  };
  start();
  return {
    close() {
      closed = true;
      current?.close();
    },
  };
}

function safeResolve(name: string): string {
  try {
    return resolveScenarioFile(name);
  } catch {
    return name;
  }
}
