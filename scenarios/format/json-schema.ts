import { z } from "zod";
import { fileOnly, Scenario } from "./schema.ts";

/**
 * The JSON Schema editors use to autocomplete and check scenario files (committed as
 * scenarios/scenario.schema.json; a test keeps it in step with the zod schema). Draft-07, because that is
 * what the YAML language server and most editors understand best.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Scenario, {
    target: "draft-7",
    io: "input",
    unrepresentable: "any",
    override: (context) => {
      // A step without an action has no "do" at all; zod's `undefined` has no JSON Schema of its own.
      const json = context.jsonSchema as { properties?: Record<string, unknown>; title?: string };
      if (json.title === "say / wait / expect" && json.properties && "do" in json.properties) json.properties.do = { not: {} };
    },
  });
  addFileOnlyForms(schema as FileSchema);
  return { ...schema, $id: "https://heartlock.invalid/scenario.schema.json" };
}

export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

interface FileSchema {
  properties: Record<string, unknown> & { timeline?: { items?: { oneOf?: unknown[] } } };
}

/**
 * What a file may say before the loader composes it (include:, matrix:, `- include:` steps), added to the
 * scenario's schema in place, so the committed schema grows by these entries only.
 */
function addFileOnlyForms(schema: FileSchema): void {
  const piece = (type: z.ZodType): Record<string, unknown> => {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { target: "draft-7", io: "input" }) as Record<string, unknown>;
    return rest;
  };
  schema.properties.include = piece(fileOnly.include);
  schema.properties.matrix = piece(fileOnly.matrix);
  schema.properties.timeline?.items?.oneOf?.push(piece(fileOnly.includeSteps));
}
