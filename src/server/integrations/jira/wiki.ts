import "server-only";

import { markdownToAdf, type AdfBlock, type AdfInline, type AdfMark, type AdfText } from "./adf";

/**
 * Markdown → Jira wiki markup, for Jira Server / Data Center (REST v2 takes rich text as a wiki
 * markup string, not ADF). Renders the same parse as the Cloud path, so both look alike. Text is
 * escaped, so characters that mean something in wiki markup (`*`, `{`, `[`, `|`, …) stay literal;
 * HTML is not special in wiki markup and stays literal too.
 */
export function markdownToWikiMarkup(markdown: string): string {
  return markdownToAdf(markdown)
    .content.map((block) => renderBlock(block, ""))
    .join("\n\n");
}

function renderBlock(block: AdfBlock, listPrefix: string): string {
  switch (block.type) {
    case "paragraph":
      return renderInline(block.content, listPrefix ? " \\\\ " : "\n");
    case "heading":
      return `h${block.attrs.level}. ${renderInline(block.content, " \\\\ ")}`;
    case "rule":
      return "----";
    case "codeBlock": {
      const code = block.content.map((node) => node.text).join("");
      // A literal "{code}" inside would end the macro early; a zero-width space defuses it.
      return `{code${block.attrs?.language ? `:${block.attrs.language}` : ""}}\n${code.replace(/\{code/g, "{\u200bcode")}\n{code}`;
    }
    case "blockquote":
      return `{quote}\n${block.content.map((child) => renderBlock(child, "")).join("\n\n")}\n{quote}`;
    case "bulletList":
    case "orderedList": {
      const prefix = listPrefix + (block.type === "bulletList" ? "*" : "#");
      return block.content
        .map((item) =>
          item.content
            .map((child, index) => {
              if (child.type === "bulletList" || child.type === "orderedList")
                return renderBlock(child, prefix);
              const rendered = renderBlock(child, prefix);
              return index === 0 ? `${prefix} ${rendered}` : rendered;
            })
            .join("\n"),
        )
        .join("\n");
    }
  }
}

function renderInline(content: AdfInline[], lineBreak: string): string {
  return content.map((node) => (node.type === "hardBreak" ? lineBreak : renderText(node))).join("");
}

/** Wiki markup's special characters; a backslash makes each one literal. */
const SPECIAL = /[\\*_+\-^~{}[\]|!#?]/g;

function renderText(node: AdfText): string {
  const marks = node.marks ?? [];
  const code = marks.some((mark) => mark.type === "code");
  let text = code ? node.text.replace(/[{}]/g, "\\$&") : node.text.replace(SPECIAL, "\\$&");
  if (code) text = `{{${text}}}`;
  // Wiki emphasis must hug the text, so surrounding spaces move outside the markers.
  const [, lead = "", core = "", trail = ""] = /^(\s*)(.*?)(\s*)$/s.exec(text) ?? [];
  let wrapped = core;
  for (const mark of marks) wrapped = wrap(wrapped, mark);
  return core ? `${lead}${wrapped}${trail}` : text;
}

function wrap(text: string, mark: AdfMark): string {
  switch (mark.type) {
    case "strong":
      return `*${text}*`;
    case "em":
      return `_${text}_`;
    case "strike":
      return `-${text}-`;
    case "code":
      return text; // already {{…}}
    case "link":
      return `[${text}|${mark.attrs.href.replace(/[|\]]/g, encodeURIComponent)}]`;
  }
}
