import { describe, expect, it } from "vitest";

import { markdownToWikiMarkup } from "./wiki";

describe("markdownToWikiMarkup", () => {
  it("renders blocks in Jira wiki markup", () => {
    expect(
      markdownToWikiMarkup(
        "## Steps\n1. open\n2. click **Save**\n   - twice\n\n> quoted\n\n```js\nlet a = {b: 1};\n```\n\n---",
      ),
    ).toBe(
      [
        "h2. Steps",
        "# open\n# click *Save*\n#* twice",
        "{quote}\nquoted\n{quote}",
        "{code:js}\nlet a = {b: 1};\n{code}",
        "----",
      ].join("\n\n"),
    );
  });

  it("renders inline marks and links, moving spaces outside the markers", () => {
    expect(
      markdownToWikiMarkup("a **bold** _it_ ~~old~~ `x{y}` [ docs ](https://e.test/a|b) line\nbreak"),
    ).toBe("a *bold* _it_ -old- {{x\\{y\\}}}  [docs|https://e.test/a%7Cb]  line\nbreak");
  });

  it("escapes wiki markup characters and keeps HTML literal", () => {
    expect(markdownToWikiMarkup("<script>alert(1)</script> {html} [x|y] a-b \\*c\\*")).toBe(
      "<script>alert(1)</script> \\{html\\} \\[x\\|y\\] a\\-b \\*c\\*",
    );
  });

  it("renders empty text as an empty string", () => {
    expect(markdownToWikiMarkup("")).toBe("");
  });
});
