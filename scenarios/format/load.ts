import { nowhere } from "./problems.ts";
import { planScenario, type ScenarioPlan } from "./plan.ts";
import { validateScenario } from "./validate.ts";
import { readYaml } from "./yaml-source.ts";

/**
 * From text or data to a plan the runner can play, in three checks that each point at a line: YAML syntax,
 * the schema, then references and times. Pure: reading the file is the caller's job.
 */
export function planFromYaml(text: string, file: string): ScenarioPlan {
  const { data, locate } = readYaml(text, file);
  const scenario = validateScenario(data, file, locate);
  return planScenario(scenario, { name: baseName(file), file, locate });
}

/** For QA suites that build scenarios in code: the same checks, without line numbers. */
export function planFromObject(data: unknown, name = "inline"): ScenarioPlan {
  const scenario = validateScenario(data, name, nowhere);
  return planScenario(scenario, { name, locate: nowhere });
}

export function baseName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.ya?ml$/i, "");
}
