import { html } from "./html/html.ts";
import { json } from "./json.ts";
import { junit } from "./junit.ts";
import { markdown } from "./markdown.ts";
import { mermaid } from "./mermaid.ts";
import { pretty } from "./pretty.ts";
import type { Reporter } from "./reporter.ts";

export type { Reporter, ReporterOptions } from "./reporter.ts";
export { isRoutine, narrate } from "./narrate.ts";
export { nameBook, type NameBook } from "./names.ts";
export { prettyScenario } from "./pretty.ts";

export type ReporterName = "pretty" | "json" | "junit" | "markdown" | "mermaid" | "html";

/** Every way to report a run, by the name the CLI's `--reporter` takes. */
export const reporters: Readonly<Record<ReporterName, Reporter>> = { pretty, json, junit, markdown, mermaid, html };
