import { github } from "./github.ts";
import { html } from "./html/html.ts";
import { json } from "./json.ts";
import { junit } from "./junit.ts";
import { markdown } from "./markdown.ts";
import { mermaid } from "./mermaid.ts";
import { pretty } from "./pretty.ts";
import type { Reporter } from "./reporter.ts";

export type { InvalidScenario, Reporter, ReporterOptions } from "./reporter.ts";
export { isRoutine, narrate } from "./narrate.ts";
export { nameBook, type NameBook } from "./names.ts";
export { prettyScenario } from "./pretty.ts";

export type ReporterName = "pretty" | "json" | "junit" | "github" | "markdown" | "mermaid" | "html";

/** Every way to report a run, by the name the CLI's `--reporter` takes. */
export const reporters: Readonly<Record<ReporterName, Reporter>> = { pretty, json, junit, github, markdown, mermaid, html };

/** Reporters whose readers are tools: an invalid file is reported inside them, beside the runs, not only on stderr. */
export const machineReporters: readonly ReporterName[] = ["json", "junit", "github"];
