import { describe, expect, it } from "vitest";
import { passingRun } from "./fixtures.ts";
import { mermaidText, sequenceOf } from "./mermaid.ts";
import { sequenceSvg } from "./sequence-svg.ts";

describe("sequence diagram as SVG", () => {
  it("draws the same lanes and messages as the Mermaid text, each message once", () => {
    const model = sequenceOf(passingRun());
    const svg = sequenceSvg(model);
    for (const lane of model.lanes) expect(svg).toContain(`>${lane.label}</text>`);
    const arrows = model.items.filter((item) => item.kind === "arrow").length;
    expect(svg.match(/<line class="msg/g)?.length ?? 0).toBe(arrows);
    expect(mermaidText(model).split("\n").filter((line) => /->>|-->>|-x|--x/.test(line))).toHaveLength(arrows);
    expect(svg).toContain(`${arrows} messages`);
  });

  it("escapes every label, so a lender's message cannot inject markup", () => {
    const svg = sequenceSvg({
      title: 'Tom & Jerry <script>alert("x")</script>',
      lanes: [{ id: "lock", label: "<b>Lock</b>" }],
      items: [{ kind: "note", over: "lock", label: "a < b & c > d" }, { kind: "say", text: "</svg><img src=x onerror=alert(1)>" }],
    });
    expect(svg).not.toMatch(/<script|<b>|<img/);
    expect(svg).toContain("Tom &amp; Jerry &lt;script&gt;");
    expect(svg.match(/<\/svg>/g)).toHaveLength(1);
  });

  it("keeps the live view short: only the newest messages, with a count of the rest", () => {
    const model = sequenceOf(passingRun());
    const svg = sequenceSvg(model, { last: 3 });
    expect(svg).toContain(`${model.items.length - 3} earlier messages`);
    expect(svg.match(/<g>/g)).toHaveLength(3);
  });
});
