import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { EXIT, type Io } from "./io.ts";

/**
 * `heartlock`: run, list and check scenario files, print their schema, or serve the mock lock service.
 * Exit codes: 0 all good, 1 a scenario's expectation failed, 2 an invalid file or command line.
 */
export const USAGE = `Usage: heartlock <command> [options]

Commands
  run <file|name>...   play scenarios on simulated time and check their expectations ("all": the whole library)
  list                 the library's scenarios
  validate <file>...   check scenario files without running them
  schema               print the scenario JSON Schema (what editors autocomplete from)
  copy lint [locale…]  check the copy decks in copy/: keys, ICU syntax, variables, plurals, budgets,
                       and overflow measured in Chromium (exit 1 on an error)
  copy sheet           the review sheet: one PNG per state × locale and a PDF contact sheet
  serve [name|file]    the studio and the mock lock service on 127.0.0.1 (what npm start runs);
                       with a library scenario's name or a scenario file, the studio opens on it

Options for run
  --seed <n>           override each scenario's seed
  --reporter <name>    pretty (default), json, junit, markdown or mermaid
  --out <file>         write the report to a file instead of stdout
  --transport <kind>   in-process (default, through the Hono app), http (a real loopback server) or direct
  --verbose            pretty: show every event, routine heartbeats included
Options for serve
  --start <time>       where the free stage opens: "now", a local time (2026-03-06T17:00) or an ISO
                       time; default HEARTLOCK_START, else Monday 2 March 2026, 09:00
Options for copy
  --reporter <name>    lint: pretty (default) or json
  --locale <a,b>       sheet: only these locales (default: all)
  --out <dir|file.pdf> sheet: where to write (default: copy-sheet/; a .pdf name writes the PDF there)
  --no-browser         lint: skip the overflow check (no Chromium needed)
Options for schema
  --out <file>         write the schema to a file

Exit codes: 0 passed, 1 an expectation failed, 2 an invalid scenario file or command line.`;

export async function main(argv: readonly string[], io: Io): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`heartlock: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return EXIT.invalid;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  // The package's own version (a self-reference through its exports map, so it works from the sources and from dist/).
  if (values.version) {
    io.stdout(`${(createRequire(import.meta.url)("heartlock/package.json") as { version: string }).version}\n`);
    return EXIT.ok;
  }
  if (values.help || command === undefined || command === "help") {
    io.stdout(`${USAGE}\n`);
    return command === undefined && !values.help ? EXIT.invalid : EXIT.ok;
  }
  // Each command is imported when asked for, so `serve` starts without loading the scenario runner.
  switch (command) {
    case "run":
      return (await import("./run-command.ts")).runCommand(args, values, io);
    case "list":
      return (await import("./list-command.ts")).listCommand(io);
    case "validate":
      return (await import("./validate-command.ts")).validateCommand(args, io);
    case "copy":
      return (await import("./copy-command.ts")).copyCommand(args, values, io);
    case "schema":
      return (await import("./schema-command.ts")).schemaCommand(values.out, io);
    case "serve":
      await (await import("../studio/serve.ts")).serve({ ...(args[0] !== undefined ? { scenario: args[0] } : {}), ...(values.start !== undefined ? { start: values.start } : {}) });
      return EXIT.running;
    default:
      io.stderr(`heartlock: unknown command "${command}"\n\n${USAGE}\n`);
      return EXIT.invalid;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      seed: { type: "string" },
      reporter: { type: "string" },
      out: { type: "string" },
      transport: { type: "string" },
      verbose: { type: "boolean" },
      start: { type: "string" },
      locale: { type: "string" },
      "no-browser": { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
}

export type CliOptions = ReturnType<typeof parse>["values"];
