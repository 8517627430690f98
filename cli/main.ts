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
  serve [name]         the studio and the mock lock service on 127.0.0.1 (what npm start runs);
                       with a library scenario's name, the studio opens on that scenario

Options for run
  --seed <n>           override each scenario's seed
  --reporter <name>    pretty (default), json, junit, markdown or mermaid
  --out <file>         write the report to a file instead of stdout
  --transport <kind>   in-process (default, through the Hono app), http (a real loopback server) or direct
  --verbose            pretty: show every event, routine heartbeats included
Options for serve
  --data <dir>         the lock service alone, its world kept durably in <dir> (SQLite; also HEARTLOCK_DATA)
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
    case "schema":
      return (await import("./schema-command.ts")).schemaCommand(values.out, io);
    case "serve":
      await (await import("../mock-server/serve.ts")).serve({ ...(args[0] === undefined ? {} : { scenario: args[0] }), ...(values.data ? { data: values.data } : {}) });
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
      data: { type: "string" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

export type CliOptions = ReturnType<typeof parse>["values"];
