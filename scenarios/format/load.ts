import { compose, type ReadInclude } from "./compose.ts";
import { nowhere } from "./problems.ts";
import { planScenario, type ScenarioPlan } from "./plan.ts";
import { validateScenario } from "./validate.ts";
import { readYaml } from "./yaml-source.ts";

/**
 * From text or data to a plan the runner can play, in checks that each point at a line: YAML syntax (and
 * its size and alias limits), includes and the matrix, the schema, then references, times and the event
 * catalogue. Pure: reading files is the caller's job (`read` for includes).
 */
export function planFromYaml(text: string, file: string, read?: ReadInclude): ScenarioPlan {
  const [first] = plansFromYaml(text, file, read);
  if (first === undefined) throw new Error("a scenario always has at least one variant");
  return first;
}

/** Every variant of a file: one, or one per combination of its `matrix:`, named `name[hour=09:00,weekday=friday]`. */
export function plansFromYaml(text: string, file: string, read?: ReadInclude): ScenarioPlan[] {
  const { data, locate } = readYaml(text, file);
  return compose(data, file, locate, read).map((variant) => {
    const scenario = validateScenario(variant.data, file, variant.locate);
    const suffix = Object.entries(variant.variant).map(([name, value]) => `${name}=${String(value)}`).join(",");
    return planScenario(scenario, { name: suffix ? `${baseName(file)}[${suffix}]` : baseName(file), file, locate: variant.locate, variant: variant.variant });
  });
}

/** For QA suites that build scenarios in code: the same checks, without line numbers. */
export function planFromObject(data: unknown, name = "inline"): ScenarioPlan {
  const scenario = validateScenario(data, name, nowhere);
  return planScenario(scenario, { name, locate: nowhere });
}

export function baseName(file: string): string {
  return (file.split(/[\\/]/).pop() ?? file).replace(/\.ya?ml$/i, "");
}
