import { createConfig, lintFromString } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi.ts";

/**
 * A real OpenAPI validator over the published document: Redocly's linter with its "recommended" rules, the
 * checks client generators and API portals run. Any error fails, and so does any warning but one: `GET /healthz`
 * answers no 4xx (it takes no input and no token), so "at least one 4XX response" would ask for a lie.
 */
describe("the OpenAPI document under Redocly's recommended rules", () => {
  it("has no errors, and no warnings besides /healthz having no 4xx answer", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({ source: JSON.stringify(openApiDocument()), absoluteRef: "openapi.json", config });
    const lines = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`);
    expect(lines.filter((line) => line.startsWith("error"))).toEqual([]);
    expect(lines).toEqual(["warn operation-4xx-response: Operation must have at least one `4XX` response. at #/paths/~1healthz/get/responses"]);
  });
});
