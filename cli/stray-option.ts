import type { CliOptions } from "./main.ts";

/**
 * The first option given that is not in `reads`, as its name; undefined if none. One parser serves every command,
 * so an option a command (or a subcommand) does not read would otherwise be accepted and silently ignored.
 * `--help` and `--version` are every command's.
 */
export function strayOption(values: CliOptions, reads: readonly (keyof CliOptions)[]): keyof CliOptions | undefined {
  return (Object.keys(values) as (keyof CliOptions)[]).find((name) => values[name] !== undefined && name !== "help" && name !== "version" && !reads.includes(name));
}
