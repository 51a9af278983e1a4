import { describe, expect, it } from "vitest";
import { adfFromText, adfPlainText, checkAdf, NOT_AN_ADF_DOCUMENT } from "./adf";

const doc = (...content: unknown[]) => ({ type: "doc", version: 1, content });
const text = (t: string, marks?: unknown[]) => ({ type: "text", text: t, ...(marks ? { marks } : {}) });
const paragraph = (...content: unknown[]) => ({ type: "paragraph", content });

describe("checkAdf", () => {
  it("accepts the supported subset", () => {
    const rich = doc(
      { type: "heading", attrs: { level: 2 }, content: [text("Steps")] },
      paragraph(
        text("bold", [{ type: "strong" }]),
        { type: "hardBreak" },
        text("link", [{ type: "link", attrs: { href: "https://example.com" } }, { type: "code" }]),
      ),
      { type: "bulletList", content: [{ type: "listItem", content: [paragraph(text("one"))] }] },
      {
        type: "orderedList",
        attrs: { order: 1 },
        content: [
          {
            type: "listItem",
            content: [
              paragraph(text("two")),
              { type: "bulletList", content: [{ type: "listItem", content: [paragraph(text("nested"))] }] },
            ],
          },
        ],
      },
      { type: "codeBlock", attrs: { language: "ts" }, content: [text("const x = 1;")] },
      { type: "blockquote", content: [paragraph(text("quote", [{ type: "em" }, { type: "strike" }]))] },
      { type: "rule" },
      paragraph(),
    );
    expect(checkAdf(rich)).toMatchObject({ ok: true });
    expect(checkAdf(adfFromText("hello"))).toMatchObject({ ok: true });
    expect(checkAdf(doc())).toMatchObject({ ok: true });
  });

  it("flags non-documents with Jira's message", () => {
    for (const value of ["plain", null, 42, [], { type: "paragraph" }]) {
      expect(checkAdf(value)).toEqual({ ok: false, notADocument: true, reason: NOT_AN_ADF_DOCUMENT });
    }
  });

  it.each([
    ["wrong version", { type: "doc", version: 2, content: [] }, "version"],
    [
      "unknown node",
      doc(paragraph({ type: "emoji", attrs: { shortName: ":)" } })),
      "unsupported node type 'emoji'",
    ],
    ["text at top level", doc(text("x")), "not allowed inside 'doc'"],
    ["empty text", doc(paragraph({ type: "text", text: "" })), "non-empty"],
    [
      "unknown mark",
      doc(paragraph(text("x", [{ type: "textColor", attrs: { color: "#f00" } }]))),
      "unsupported mark 'textColor'",
    ],
    ["link without href", doc(paragraph(text("x", [{ type: "link", attrs: {} }]))), "href"],
    ["code with strong", doc(paragraph(text("x", [{ type: "code" }, { type: "strong" }]))), "'code' mark"],
    ["heading without level", doc({ type: "heading", content: [text("x")] }), "level"],
    ["empty list", doc({ type: "bulletList", content: [] }), "at least 1"],
    [
      "marks in code block",
      doc({ type: "codeBlock", content: [text("x", [{ type: "strong" }])] }),
      "codeBlock cannot have marks",
    ],
    ["rule with content", doc({ type: "rule", content: [] }), "cannot have content"],
    [
      "extra property",
      doc({ type: "paragraph", content: [], colour: "red" }),
      "unexpected property 'colour'",
    ],
  ])("rejects %s", (_name, value, message) => {
    const result = checkAdf(value);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.notADocument).toBe(false);
      expect(result.reason).toContain(message);
    }
  });
});

describe("adfPlainText", () => {
  it("flattens text with line breaks between blocks", () => {
    expect(
      adfPlainText(
        doc(paragraph(text("a"), { type: "hardBreak" }, text("b")), paragraph(text("c"))) as never,
      ),
    ).toBe("a\nb\nc");
  });
});
