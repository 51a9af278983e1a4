import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { checkAdf } from "../../../../sandbox/adf";
import { adfToPlainText, markdownToAdf } from "./adf";

const doc = (...content: unknown[]) => ({ type: "doc", version: 1, content });
/** Untyped, so expectations can be written as plain JSON. */
const blocks = (markdown: string): unknown => markdownToAdf(markdown).content;
const text = (value: string, ...marks: string[]) =>
  marks.length > 0
    ? { type: "text", text: value, marks: marks.map((type) => ({ type })) }
    : { type: "text", text: value };
const link = (value: string, href: string) => ({
  type: "text",
  text: value,
  marks: [{ type: "link", attrs: { href } }],
});
const paragraph = (...content: unknown[]) => ({ type: "paragraph", content });

describe("markdownToAdf", () => {
  it("turns empty text into a document Jira accepts", () => {
    expect(markdownToAdf("")).toEqual(doc());
    expect(markdownToAdf("  \n\n ")).toEqual(doc());
    expect(checkAdf(markdownToAdf("")).ok).toBe(true);
  });

  it("makes paragraphs of blank-line separated text, and hard breaks of single newlines", () => {
    expect(markdownToAdf("First line\nsecond line\r\n\r\nNew paragraph")).toEqual(
      doc(
        paragraph(text("First line"), { type: "hardBreak" }, text("second line")),
        paragraph(text("New paragraph")),
      ),
    );
  });

  it("keeps HTML and script tags as literal text", () => {
    const input = '<script>alert("x")</script> <b>bold?</b> <img src=x onerror=alert(1)>';
    expect(markdownToAdf(input)).toEqual(doc(paragraph(text(input))));
  });

  it("parses headings, rules and fenced code blocks", () => {
    const adf = markdownToAdf(
      "# Title\n### Steps ###\n---\n```ts\nconst a = 1;\n\nconst b = `x`;\n```\n~~~\n~~~",
    );
    expect(adf.content).toEqual([
      { type: "heading", attrs: { level: 1 }, content: [text("Title")] },
      { type: "heading", attrs: { level: 3 }, content: [text("Steps")] },
      { type: "rule" },
      {
        type: "codeBlock",
        attrs: { language: "ts" },
        content: [text("const a = 1;\n\nconst b = `x`;")],
      },
      { type: "codeBlock", content: [] },
    ]);
    // Not headings: no space after the hashes.
    expect(blocks("#hashtag")).toEqual([paragraph(text("#hashtag"))]);
  });

  it("keeps an unterminated code fence's text to the end", () => {
    expect(markdownToAdf("```\n**not bold**")).toEqual(
      doc({ type: "codeBlock", content: [text("**not bold**")] }),
    );
  });

  it("parses bullet and ordered lists, nested by indentation", () => {
    const adf = markdownToAdf("- one\n- two\n  1. two.a\n  2. two.b\n- three\n  continued\n\n3. x\n4. y");
    expect(adf.content).toEqual([
      {
        type: "bulletList",
        content: [
          { type: "listItem", content: [paragraph(text("one"))] },
          {
            type: "listItem",
            content: [
              paragraph(text("two")),
              {
                type: "orderedList",
                content: [
                  { type: "listItem", content: [paragraph(text("two.a"))] },
                  { type: "listItem", content: [paragraph(text("two.b"))] },
                ],
              },
            ],
          },
          {
            type: "listItem",
            content: [paragraph(text("three"), { type: "hardBreak" }, text("continued"))],
          },
        ],
      },
      {
        type: "orderedList",
        attrs: { order: 3 },
        content: [
          { type: "listItem", content: [paragraph(text("x"))] },
          { type: "listItem", content: [paragraph(text("y"))] },
        ],
      },
    ]);
  });

  it("keeps list items valid ADF: a first paragraph, no headings or rules inside", () => {
    const adf = markdownToAdf("- - nested first\n-\n- # heading\n> # quoted heading\n> ---");
    expect(checkAdf(adf)).toMatchObject({ ok: true });
    expect(adf.content[0]).toMatchObject({
      type: "bulletList",
      content: [
        { content: [paragraph(), { type: "bulletList" }] },
        { content: [paragraph()] },
        { content: [paragraph(text("heading"))] },
      ],
    });
    expect(adf.content[1]).toEqual({ type: "blockquote", content: [paragraph(text("quoted heading"))] });
  });

  it("parses blockquotes with inner blocks", () => {
    expect(blocks("> quoted **text**\n> - item")).toEqual([
      {
        type: "blockquote",
        content: [
          paragraph(text("quoted "), text("text", "strong")),
          { type: "bulletList", content: [{ type: "listItem", content: [paragraph(text("item"))] }] },
        ],
      },
    ]);
  });

  it("parses inline code, bold, italic, strike and their combinations", () => {
    expect(blocks("**bold** *em* _em_ ***both*** ~~gone~~ `a **b**`")).toEqual([
      paragraph(
        text("bold", "strong"),
        text(" "),
        text("em", "em"),
        text(" "),
        text("em", "em"),
        text(" "),
        text("both", "strong", "em"),
        text(" "),
        text("gone", "strike"),
        text(" "),
        text("a **b**", "code"),
      ),
    ]);
    // Code inside bold drops the bold: ADF only combines `code` with `link`.
    expect(blocks("**x `y`**")).toEqual([paragraph(text("x ", "strong"), text("y", "code"))]);
  });

  it("leaves unmatched or intraword markers as text", () => {
    for (const input of ["snake_case_name", "2 * 3 * 4", "**open", "a ` b", "~single~", "* not a list"]) {
      const adf = markdownToAdf(input);
      if (input.startsWith("* ")) continue; // a real list
      expect(adfToPlainText(adf)).toBe(input);
      expect(JSON.stringify(adf)).not.toContain('"marks"');
    }
  });

  it("honours backslash escapes", () => {
    expect(blocks("\\*not em\\* \\# and \\\\")).toEqual([paragraph(text("*not em* # and \\"))]);
  });

  it("links [text](url), <autolinks> and bare URLs, but only http(s) and mailto", () => {
    expect(
      markdownToAdf(
        "See [the **docs**](https://example.com/a_(b)) and <https://x.test/p?q=1>, or https://example.org/path. [bad](javascript:alert(1))",
      ).content,
    ).toEqual([
      paragraph(
        text("See "),
        link("the ", "https://example.com/a_(b)"),
        {
          type: "text",
          text: "docs",
          marks: [{ type: "link", attrs: { href: "https://example.com/a_(b)" } }, { type: "strong" }],
        },
        text(" and "),
        link("https://x.test/p?q=1", "https://x.test/p?q=1"),
        text(", or "),
        link("https://example.org/path", "https://example.org/path"),
        text(". [bad](javascript:alert(1))"),
      ),
    ]);
    expect(markdownToAdf("(see https://example.com/a_(b))").content).toEqual([
      paragraph(text("(see "), link("https://example.com/a_(b)", "https://example.com/a_(b)"), text(")")),
    ]);
  });

  it("always produces a document the sandbox's ADF validator accepts, and keeps the words", () => {
    const alphabet = fc.constantFrom(..."ab *_`~#>-+1.[]()<>!\\\n\t h:/".split(""), "https://x.y", "```");
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }), (parts) => {
        const input = parts.join("");
        const adf = markdownToAdf(input);
        const check = checkAdf(adf);
        if (!check.ok) throw new Error(`${JSON.stringify(input)} → ${check.reason}`);
        // Letters are never lost (markup characters may be; so may a code fence's info string).
        if (input.includes("```")) return;
        const letters = (value: string) => value.replace(/[^ab]/g, "");
        expect(letters(adfToPlainText(adf))).toBe(letters(input));
      }),
      { numRuns: 400 },
    );
  });

  it("stays fast on hostile input (closers are looked for within a bounded span)", () => {
    const started = performance.now();
    for (const unit of ["[", "*a", "`a", "_a ", "~~a", "[a](", "> ", "- a\n  "]) {
      const adf = markdownToAdf(unit.repeat(Math.ceil(30_000 / unit.length)));
      expect(checkAdf(adf).ok).toBe(true);
    }
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
