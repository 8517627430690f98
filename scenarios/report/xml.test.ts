import { describe, expect, it } from "vitest";
import { xmlAttr, xmlText } from "./xml.ts";

describe("xml escaping", () => {
  it("escapes markup so text can never close an element or a CDATA section", () => {
    expect(xmlText("a < b && c > d ]]>")).toBe("a &lt; b &amp;&amp; c &gt; d ]]&gt;");
  });

  it("keeps quotes, tabs and line breaks of attribute values through attribute normalisation", () => {
    expect(xmlAttr('say "hi"\n\tthere')).toBe("say &quot;hi&quot;&#10;&#9;there");
  });

  it("writes characters XML 1.0 forbids as visible escapes", () => {
    expect(xmlText("a\u0000b\u001bc\uFFFEd")).toBe("a\\u0000b\\u001Bc\\uFFFEd");
    expect(xmlText("lone \uD800 surrogate")).toBe("lone \\uD800 surrogate");
  });

  it("keeps characters XML allows, emoji included", () => {
    expect(xmlText("✓ 📱 é")).toBe("✓ 📱 é");
  });
});
