import { formatPath } from "../format/problems.ts";
import { reportedFile, type Reporter } from "./reporter.ts";
import { summarize, summaryLine } from "./summary.ts";

/**
 * GitHub Actions workflow commands: one `::error file=…,line=…,title=…::…` annotation per failed check,
 * failed action and invalid file, so the failure shows on the pull request at the check's own line, plus a
 * plain line per scenario and the summary for the log. Files are relative to the working directory, which
 * is the repository root in a workflow.
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
export const github: Reporter = (results, options) => {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${result.skipped !== undefined ? "-" : result.passed ? "✓" : "✗"} ${result.scenario.title} (${result.scenario.name}, seed ${String(result.seed)})`);
    const file = result.scenario.file === undefined ? undefined : reportedFile(result.scenario.file, options);
    if (result.skipped !== undefined) lines.push(annotation({ file, line: undefined, title: `${result.scenario.name}: skipped` }, result.skipped, "notice"));
    for (const step of result.steps) {
      if (step.error === undefined) continue;
      lines.push(annotation({ file, line: step.line, title: `${result.scenario.name}: step ${step.index + 1} failed` }, step.error));
    }
    for (const e of result.expectations) {
      if (e.skipped !== undefined) lines.push(annotation({ file, line: e.line, title: `${result.scenario.name}: step ${e.step + 1} skipped` }, `${e.description}: ${e.skipped}`, "notice"));
      if (e.passed || e.skipped !== undefined) continue;
      lines.push(annotation({ file, line: e.line, title: `${result.scenario.name}: step ${e.step + 1}` }, `${e.description}: expected ${e.expected}, found ${e.found}`));
    }
  }
  for (const entry of options.invalid ?? []) {
    const file = reportedFile(entry.file, options);
    for (const problem of entry.problems) {
      const path = formatPath(problem.path);
      lines.push(annotation({ file, line: problem.line, col: problem.column, title: `${file} is not a valid scenario` }, `${path ? `${path}: ` : ""}${problem.message}`));
    }
  }
  lines.push(summaryLine(summarize(results, options.invalid?.length ?? 0), { timings: options.timings === true }));
  return `${lines.join("\n")}\n`;
};

interface Site {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly col?: number | undefined;
  readonly title: string;
}

function annotation(site: Site, message: string, level: "error" | "notice" = "error"): string {
  const properties = [
    ...(site.file !== undefined ? [`file=${property(site.file)}`] : []),
    ...(site.line !== undefined ? [`line=${site.line}`] : []),
    ...(site.col !== undefined ? [`col=${site.col}`] : []),
    `title=${property(site.title)}`,
  ];
  return `::${level} ${properties.join(",")}::${data(message)}`;
}

/** The escaping GitHub's runner undoes (actions/toolkit's command.ts). */
function data(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

function property(text: string): string {
  return data(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

