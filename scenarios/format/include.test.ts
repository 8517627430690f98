import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { plansFromFile } from "../library.ts";
import { rejection } from "./rejection.ts";

/** `include:` of a shared cast and of shared steps: a problem in what was included is pointed at the include line. */
const dir = mkdtempSync(join(tmpdir(), "heartlock-include-"));
mkdirSync(join(dir, "shared"));
writeFileSync(join(dir, "shared", "cast.yaml"), "policy: { heartbeat: PT6H }\ndevices:\n  - { name: shop, account: acct, modle: x }\n");
const story = (include: string) => `title: Includes
summary: A cast from a shared file.
objectives: [include problems point at the include]
include:
  - ${include}
devices:
  - { name: own, account: acct }
timeline:
  - after: PT1H
    expect: { device: own, state: active }
`;

describe("include: problems", () => {
  it("points a problem in an included cast at the include line, and the scenario's own items at their own lines", () => {
    writeFileSync(join(dir, "bad-cast.yaml"), story("shared/cast.yaml").replace("{ name: own, account: acct }", "{ name: own, account: acct, colour: red }"));
    const error = rejection(() => plansFromFile(join(dir, "bad-cast.yaml")));
    const lines = error.message.split("\n");
    expect(lines.find((line) => line.includes("heartbeat"))).toMatch(/bad-cast\.yaml:5:\d+: policy\.heartbeat: unknown key "heartbeat"/);
    expect(lines.find((line) => line.includes("modle"))).toMatch(/bad-cast\.yaml:5:\d+: devices\[0\]\.modle: unknown key "modle"/);
    expect(lines.find((line) => line.includes("colour"))).toMatch(/bad-cast\.yaml:7:\d+: devices\[1\]\.colour: unknown key "colour"/);
  });

  it("names a missing include once, at its line", () => {
    writeFileSync(join(dir, "missing.yaml"), story("shared/missing.yaml"));
    const error = rejection(() => plansFromFile(join(dir, "missing.yaml")));
    expect(error.message).toMatch(/^\S*missing\.yaml:5:\d+: include\[0\]: no file shared\/missing\.yaml \(looked for \S+\)$/);
  });
});
