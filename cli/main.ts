import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { EXIT, type Io } from "./io.ts";
import { strayOption } from "./stray-option.ts";

/**
 * `heartlock`: run, list and check scenario files, print their schema, or serve the mock lock service.
 * Exit codes: 0 all good, 1 a scenario's expectation failed, 2 an invalid file or command line.
 */
export const USAGE = `Usage: heartlock <command> [options]

Commands
  run <file|name>...   play scenarios on simulated time and check their expectations ("all": the whole library)
  list                 the library's scenarios
  validate <file>...   check scenario files without running them ("-" reads standard input)
  schema               print the scenario JSON Schema (what editors autocomplete from)
  copy lint [locale…]  check the copy decks in copy/: keys, ICU syntax, variables, plurals, budgets,
                       and overflow measured in Chromium (exit 1 on an error)
  copy sheet           the review sheet: one PNG per state × locale and a PDF contact sheet
  conformance          check another lock service against PROTOCOL.md, rule by rule
  serve [name|file]    the studio and the mock lock service on 127.0.0.1 (what npm start runs);
                       with a library scenario's name or a scenario file, the studio opens on it
  fleet --target URL   a network fleet: phones heartbeating as fast as they can to a separate serve

heartlock <command> --help shows a command's options; heartlock --version the version.

Exit codes: 0 passed, 1 an expectation failed, 2 an invalid scenario file, command line, or a file that
cannot be read or written (one line on stderr).`;

/** Each command's own usage, for `heartlock <command> --help`. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  run: `Usage: heartlock run <file|name|all>... [options]

Plays scenarios on simulated time and checks their expectations.

Options
  --seed <n>           override each scenario's seed (a whole number or a word; a negative one as --seed=-3)
  --reporter <name>    pretty (default), json, junit, github, markdown, mermaid or html (fleet charts, one self-contained file)
  --out <file>         write the report to a file instead of stdout (its folder must exist)
  --timings            json: include real timings (without them the same seed gives the same bytes)
  --tag <tag>          only scenarios with this tag (repeatable: any of them)
  --grep <regex>       only scenarios whose name or title matches
  --jobs <n>           run files in n threads (results as a serial run's, in the same order)
  --watch              run again whenever a file changes (Ctrl-C stops)
  --transport <kind>   in-process (default, through the Hono app), http (a real loopback server) or direct
  --journal <mode>     full (default) or fleet: routine heartbeats folded into counters, for large fleets
  --verbose            pretty: show every event, routine heartbeats included

Exit codes: 0 passed, 1 an expectation failed, 2 an invalid file, command line or I/O error.`,
  list: `Usage: heartlock list

The library's scenarios, with their titles.`,
  validate: `Usage: heartlock validate <file|->...

Checks scenario files without running them: YAML syntax, the schema, references, times and the event
catalogue, each problem with its line and column. "-" reads a scenario from standard input.

Exit codes: 0 every file is valid, 2 a file is invalid or cannot be read.`,
  schema: `Usage: heartlock schema [--out <file>]

Prints the scenario JSON Schema (draft-07), what editors autocomplete scenario files from.`,
  conformance: `Usage: heartlock conformance --target <url> [--keys <file>] [--reporter pretty|json]

Checks another implementation of PROTOCOL.md rule by rule through its HTTP API and prints a table of the
rules passed and failed. The target is reset (POST /v1/sim/reset) and driven on its simulated clock
(/v1/sim/clock, which it must offer). --keys names a JSON file { admin, support, lenders: { id: key } };
without it, Heartlock's well-known test keys. What only Heartlock's own mock can answer is listed, not checked.

Exit codes: 0 every rule held, 1 a rule failed, 2 an invalid command line or an unreachable target.`,
  serve: `Usage: heartlock serve [name|file] [--start <time>]

The studio and the mock lock service on 127.0.0.1 (PORT, default 8787). With a library scenario's name or a
scenario file, the studio opens on it.

Options
  --start <time>       where the free stage opens: "now", a local time (2026-03-06T17:00) or an ISO
                       time; default HEARTLOCK_START, else Monday 2 March 2026, 09:00
  --data <dir>         the lock service alone (no studio), its world kept durably in <dir> (SQLite, Node
                       22.13+; also HEARTLOCK_DATA)`,
  fleet: `Usage: heartlock fleet --target <url> [options]

A network fleet: phones registered, checked in and heartbeating as fast as they can over one undici Pool to a
separate heartlock serve (loopback only), with throughput, p50/p99 and errors.

Options
  --devices <n>        phones to register and check in (default 1000)
  --seconds <n>        how long the heartbeats run (default 10)
  --connections <n>    sockets in the undici Pool (default 32); --in-flight <n> requests at once (default 128)
  --lender-key <key>   the lender key the server was given (default HEARTLOCK_FLEET_LENDER_KEY or lender-a-key)
  --reporter json      the figures as JSON`,
  copy: `Usage: heartlock copy lint [locale…] [options] | heartlock copy sheet [options]

lint checks the copy decks in copy/: keys against en, ICU syntax, variables, plural categories, budgets, and
overflow measured in Chromium. sheet writes the review sheet: one PNG per state × locale and a contact sheet.

Options
  --reporter <name>    lint: pretty (default) or json
  --no-browser         lint: skip the overflow check (no Chromium needed)
  --locale <a,b>       sheet: only these locales (default: all)
  --out <dir|file.pdf> sheet: where to write (default: copy-sheet/; a .pdf name writes the PDF there)

Exit codes: 0 no error, 1 lint found an error, 2 an invalid command line or I/O error.`,
};

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
  if (values.version) {
    io.stdout(`heartlock ${(await import("./version.ts")).packageVersion()}\n`);
    return EXIT.ok;
  }
  const commandHelp = command === "help" ? COMMAND_USAGE[args[0] ?? ""] : values.help && command !== undefined ? COMMAND_USAGE[command] : undefined;
  if (commandHelp !== undefined) {
    io.stdout(`${commandHelp}\n`);
    return EXIT.ok;
  }
  if (values.help || command === undefined || command === "help") {
    io.stdout(`${USAGE}\n`);
    return command === undefined && !values.help ? EXIT.invalid : EXIT.ok;
  }
  const reads = COMMAND_OPTIONS[command];
  const stray = reads === undefined ? undefined : strayOption(values, reads);
  if (stray !== undefined) {
    io.stderr(`heartlock ${command}: --${stray} is not an option of ${command}; heartlock ${command} --help lists them\n`);
    return EXIT.invalid;
  }
  // Each command is imported when asked for, so `serve` starts without loading the scenario runner.
  switch (command) {
    case "run":
      return runWithEarlyWorkers(args, values, io);
    case "fleet":
      return (await import("./fleet-command.ts")).fleetCommand(values, io);
    case "list":
      return (await import("./list-command.ts")).listCommand(io);
    case "validate":
      return (await import("./validate-command.ts")).validateCommand(args, io);
    case "copy":
      return (await import("./copy-command.ts")).copyCommand(args, values, io);
    case "conformance":
      return (await import("./conformance-command.ts")).conformanceCommand(args, values, io);
    case "schema":
      return (await import("./schema-command.ts")).schemaCommand(values.out, io);
    case "serve":
      await (await import("../studio/serve.ts")).serve({ ...(args[0] !== undefined ? { scenario: args[0] } : {}), ...(values.start !== undefined ? { start: values.start } : {}), ...(values.data ? { data: values.data } : {}) });
      return EXIT.running;
    default:
      io.stderr(`heartlock: unknown command "${command}"\n\n${USAGE}\n`);
      return EXIT.invalid;
  }
}

/**
 * `run --jobs N` starts its worker threads (N - 1, at most one per spare core) before importing the runner, so they load it on the other
 * cores while this thread does (cli/worker-pool.ts says why). Not for `--watch` (each round starts its own)
 * or `--target` (refused with --jobs); whatever the command line turns out to be, the pool is stopped here.
 */
async function runWithEarlyWorkers(args: readonly string[], values: CliOptions, io: Io): Promise<number> {
  const { jobCount, WorkerPool } = await import("./worker-pool.ts");
  // At most one early worker per spare core: `--jobs 999` must not start 998 threads before knowing there are 15
  // files. An invalid --jobs starts none; run-command refuses it.
  const early = Math.min(jobCount(values.jobs) ?? 1, availableParallelism()) - 1;
  const pool = early > 0 && !values.watch && values.target === undefined ? WorkerPool.start(early) : undefined;
  try {
    return await (await import("./run-command.ts")).runCommand(args, values, io, pool);
  } finally {
    await pool?.terminate();
  }
}

/*
 * The options each command reads. One parser serves every command, so without this `validate f.yaml --jobs 3`
 * or `list --seed 4` would be accepted and ignored: a user would believe an option took effect that did not.
 */
const COMMAND_OPTIONS: Readonly<Record<string, readonly (keyof CliOptions)[]>> = {
  run: ["seed", "reporter", "out", "transport", "journal", "verbose", "timings", "tag", "grep", "jobs", "watch", "target", "keys"],
  list: [],
  validate: [],
  schema: ["out"],
  copy: ["reporter", "no-browser", "locale", "out"],
  conformance: ["target", "keys", "reporter"],
  serve: ["start", "data"],
  fleet: ["target", "devices", "seconds", "connections", "in-flight", "lender-key", "reporter"],
};

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
      journal: { type: "string" },
      devices: { type: "string" },
      seconds: { type: "string" },
      connections: { type: "string" },
      "in-flight": { type: "string" },
      "lender-key": { type: "string" },
      data: { type: "string" },
      verbose: { type: "boolean" },
      start: { type: "string" },
      locale: { type: "string" },
      "no-browser": { type: "boolean" },
      timings: { type: "boolean" },
      tag: { type: "string", multiple: true },
      grep: { type: "string" },
      jobs: { type: "string" },
      watch: { type: "boolean" },
      target: { type: "string" },
      keys: { type: "string" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
    },
  });
}

export type CliOptions = ReturnType<typeof parse>["values"];
