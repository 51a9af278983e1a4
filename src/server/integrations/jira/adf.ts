import "server-only";

/**
 * Markdown (or plain text) → Atlassian Document Format, the JSON rich text Jira Cloud's REST v3
 * takes for descriptions and comments.
 *
 * A deliberately small, line-based subset of CommonMark: paragraphs (every newline is a hard
 * break, as people expect from a ticket form), ATX headings, bullet and ordered lists (nested by
 * indentation), fenced code blocks, blockquotes, rules; inline code, **bold**, *italic*,
 * ~~strike~~, [links](https://…), <autolinks> and bare http(s) URLs. HTML is never interpreted:
 * `<script>` arrives in Jira as the literal text `<script>`. Not supported (kept as text): setext
 * headings, indented code blocks, tables, images, reference links.
 */

export type AdfMark =
  { type: "strong" | "em" | "strike" | "code" } | { type: "link"; attrs: { href: string } };

export type AdfText = { type: "text"; text: string; marks?: AdfMark[] };
export type AdfInline = AdfText | { type: "hardBreak" };

export type AdfListItem = { type: "listItem"; content: AdfBlock[] };

export type AdfBlock =
  | { type: "paragraph"; content: AdfInline[] }
  | { type: "heading"; attrs: { level: number }; content: AdfInline[] }
  | { type: "bulletList"; content: AdfListItem[] }
  | { type: "orderedList"; attrs?: { order: number }; content: AdfListItem[] }
  | { type: "codeBlock"; attrs?: { language: string }; content: AdfText[] }
  | { type: "blockquote"; content: AdfBlock[] }
  | { type: "rule" };

export type AdfDocument = { type: "doc"; version: 1; content: AdfBlock[] };

/** Lists and quotes nested deeper than this are flattened into text (Jira limits nesting too). */
const MAX_DEPTH = 8;

export function markdownToAdf(markdown: string): AdfDocument {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n").map(expandLeadingTabs);
  return { type: "doc", version: 1, content: parseBlocks(lines, 0) };
}

function expandLeadingTabs(line: string): string {
  return line.replace(/^[ \t]+/, (indent) => indent.replace(/\t/g, "    "));
}

/* ─────────────────────────────── blocks ─────────────────────────────── */

const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])(?:([ \t]+)(.*))?$/;

type ListMarker = { indent: number; ordered: boolean; start: number; contentColumn: number; text: string };

function listMarker(line: string): ListMarker | null {
  const match = LIST_ITEM.exec(line);
  if (!match) return null;
  const [, indent = "", marker = "", spaces = "", text = ""] = match;
  const ordered = /\d/.test(marker);
  // More than four spaces after the marker would be an indented code block in CommonMark: use one.
  const gap = spaces.length === 0 || spaces.length > 4 ? 1 : spaces.length;
  return {
    indent: indent.length,
    ordered,
    start: ordered ? Number.parseInt(marker, 10) : 1,
    contentColumn: indent.length + marker.length + gap,
    text: spaces.length > 4 ? spaces.slice(1) + text : text,
  };
}

const isBlank = (line: string) => line.trim() === "";
const indentOf = (line: string) => line.length - line.trimStart().length;

/** Whether a line ends a paragraph because it starts another block. */
function startsBlock(line: string): boolean {
  if (FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line)) return true;
  const marker = listMarker(line);
  // As in CommonMark, an ordered list interrupts a paragraph only when it starts at 1.
  return marker !== null && marker.text.trim() !== "" && (!marker.ordered || marker.start === 1);
}

function parseBlocks(lines: string[], depth: number): AdfBlock[] {
  const blocks: AdfBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (isBlank(line)) {
      i += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      i = parseCodeBlock(lines, i, fence[1] ?? "```", fence[2] ?? "", blocks);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({
        type: "heading",
        attrs: { level: (heading[1] ?? "#").length },
        content: parseInline(heading[2] ?? ""),
      });
      i += 1;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ type: "rule" });
      i += 1;
      continue;
    }
    if (depth < MAX_DEPTH && QUOTE.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i] ?? "")) {
        quoted.push(QUOTE.exec(lines[i] ?? "")?.[1] ?? "");
        i += 1;
      }
      blocks.push({ type: "blockquote", content: containerContent(parseBlocks(quoted, depth + 1), "quote") });
      continue;
    }
    const marker = depth < MAX_DEPTH ? listMarker(line) : null;
    if (marker) {
      i = parseList(lines, i, marker, depth, blocks);
      continue;
    }
    i = parseParagraph(lines, i, blocks);
  }
  return blocks;
}

function parseCodeBlock(lines: string[], start: number, fence: string, language: string, out: AdfBlock[]) {
  const closing = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}[ \\t]*$`);
  const body: string[] = [];
  let i = start + 1;
  while (i < lines.length && !closing.test(lines[i] ?? "")) {
    body.push(lines[i] ?? "");
    i += 1;
  }
  const text = body.join("\n");
  out.push({
    type: "codeBlock",
    ...(language ? { attrs: { language } } : {}),
    content: text ? [{ type: "text", text }] : [],
  });
  return i + 1; // past the closing fence (or the end)
}

function parseParagraph(lines: string[], start: number, out: AdfBlock[]): number {
  const paragraph: string[] = [lines[start] ?? ""];
  let i = start + 1;
  while (i < lines.length && !isBlank(lines[i] ?? "") && !startsBlock(lines[i] ?? "")) {
    paragraph.push(lines[i] ?? "");
    i += 1;
  }
  out.push(paragraphOf(paragraph));
  return i;
}

/** One paragraph; each source line break becomes a hard break. */
function paragraphOf(lines: string[]): AdfBlock {
  const content: AdfInline[] = [];
  lines.forEach((line, index) => {
    // Markdown's own hard-break markers (two trailing spaces, a trailing backslash) are implied.
    const text = line.trim().replace(/\\$/, "").trimEnd();
    if (index > 0) content.push({ type: "hardBreak" });
    content.push(...parseInline(text));
  });
  return { type: "paragraph", content };
}

function parseList(lines: string[], start: number, first: ListMarker, depth: number, out: AdfBlock[]) {
  const items: AdfListItem[] = [];
  let i = start;
  let marker: ListMarker | null = first;
  while (marker && marker.ordered === first.ordered && marker.indent < first.contentColumn) {
    const itemLines = [marker.text];
    const column = marker.contentColumn;
    i += 1;
    while (i < lines.length) {
      const line = lines[i] ?? "";
      if (isBlank(line)) {
        const next = lines.slice(i).find((candidate) => !isBlank(candidate));
        if (next === undefined || indentOf(next) < column) break;
        itemLines.push("");
      } else if (indentOf(line) >= column) {
        itemLines.push(line.slice(column));
      } else if (!listMarker(line) && !startsBlock(line) && !isBlank(itemLines.at(-1) ?? "")) {
        itemLines.push(line.trim()); // lazy continuation of the item's paragraph
      } else {
        break;
      }
      i += 1;
    }
    items.push({
      type: "listItem",
      content: containerContent(parseBlocks(itemLines, depth + 1), "listItem"),
    });
    // Blank lines between items keep the list going.
    while (i < lines.length && isBlank(lines[i] ?? "")) i += 1;
    marker = i < lines.length ? listMarker(lines[i] ?? "") : null;
  }
  if (first.ordered) {
    out.push({
      type: "orderedList",
      ...(first.start !== 1 ? { attrs: { order: first.start } } : {}),
      content: items,
    });
  } else {
    out.push({ type: "bulletList", content: items });
  }
  return i;
}

/**
 * ADF allows fewer block types inside list items and quotes than at the top: headings become
 * paragraphs, rules are dropped, nested quotes are flattened. A list item starts with a paragraph.
 */
function containerContent(blocks: AdfBlock[], container: "listItem" | "quote"): AdfBlock[] {
  const allowed = blocks.flatMap((block): AdfBlock[] => {
    if (block.type === "heading") return [{ type: "paragraph", content: block.content }];
    if (block.type === "rule") return [];
    if (block.type === "blockquote") return block.content;
    return [block];
  });
  const first = allowed[0];
  if (!first || (container === "listItem" && (first.type === "bulletList" || first.type === "orderedList"))) {
    allowed.unshift({ type: "paragraph", content: [] });
  }
  return allowed;
}

/* ─────────────────────────────── inline ─────────────────────────────── */

const ESCAPABLE = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const AUTOLINK = /<((?:https?:\/\/|mailto:)[^\s<>]+)>/y;
const BARE_URL = /https?:\/\/[^\s<>]+/y;
const SAFE_HREF = /^(?:https?:\/\/|mailto:)\S+$/i;
/** How far a closing `]`, `*` or backtick is looked for: keeps hostile input linear. */
const MAX_SPAN = 1000;

function parseInline(text: string, marks: AdfMark[] = []): AdfInline[] {
  const out: AdfInline[] = [];
  let buffer = "";
  const flush = () => {
    if (buffer) pushText(out, buffer, marks);
    buffer = "";
  };
  let i = 0;
  while (i < text.length) {
    const char = text.charAt(i);
    const next = text.charAt(i + 1);

    if (char === "\\" && ESCAPABLE.test(next)) {
      buffer += next;
      i += 2;
      continue;
    }
    if (char === "`") {
      const span = codeSpan(text, i);
      if (span) {
        flush();
        pushText(out, span.code, [...marks.filter((mark) => mark.type === "link"), { type: "code" }]);
      } else {
        buffer += text.slice(i, i + runLength(text, i));
      }
      i = span ? span.end : i + runLength(text, i);
      continue;
    }
    if (char === "[") {
      const link = inlineLink(text, i);
      if (link) {
        flush();
        out.push(...parseInline(link.label, withMark(marks, { type: "link", attrs: { href: link.href } })));
        i = link.end;
        continue;
      }
    }
    if (char === "<") {
      AUTOLINK.lastIndex = i;
      const auto = AUTOLINK.exec(text);
      if (auto?.[1]) {
        flush();
        pushText(out, auto[1], withMark(marks, { type: "link", attrs: { href: auto[1] } }));
        i = AUTOLINK.lastIndex;
        continue;
      }
    }
    if (
      (char === "h" || char === "H") &&
      !isWordChar(text.charAt(i - 1)) &&
      !marks.some((m) => m.type === "link")
    ) {
      const url = bareUrl(text, i);
      if (url) {
        flush();
        pushText(out, url, withMark(marks, { type: "link", attrs: { href: url } }));
        i += url.length;
        continue;
      }
    }
    if (char === "*" || char === "_" || (char === "~" && next === "~")) {
      const emphasis = emphasisAt(text, i);
      if (emphasis) {
        flush();
        const inner = emphasis.marks.reduce((acc, mark) => withMark(acc, mark), marks);
        out.push(...parseInline(emphasis.content, inner));
        i = emphasis.end;
        continue;
      }
      const run = runLength(text, i);
      buffer += text.slice(i, i + run);
      i += run;
      continue;
    }
    buffer += char;
    i += 1;
  }
  flush();
  return out;
}

function pushText(out: AdfInline[], text: string, marks: AdfMark[]) {
  const last = out.at(-1);
  if (last?.type === "text" && sameMarks(last.marks ?? [], marks)) {
    last.text += text;
    return;
  }
  out.push(marks.length > 0 ? { type: "text", text, marks } : { type: "text", text });
}

function sameMarks(a: AdfMark[], b: AdfMark[]) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function withMark(marks: AdfMark[], mark: AdfMark): AdfMark[] {
  return [...marks.filter((existing) => existing.type !== mark.type), mark];
}

function runLength(text: string, start: number): number {
  let end = start;
  while (text.charAt(end) === text.charAt(start)) end += 1;
  return end - start;
}

const isWordChar = (char: string) => /[\p{L}\p{N}]/u.test(char);
const isSpace = (char: string) => char === "" || /\s/.test(char);

function codeSpan(text: string, start: number): { code: string; end: number } | null {
  const length = runLength(text, start);
  let search = start + length;
  while (search < text.length) {
    const close = text.indexOf("`".repeat(length), search);
    if (close < 0 || close - start > MAX_SPAN) return null;
    const closeLength = runLength(text, close);
    if (closeLength === length) {
      let code = text.slice(start + length, close);
      if (/^ .*[^ ].* $/s.test(code)) code = code.slice(1, -1);
      return code ? { code, end: close + length } : null;
    }
    search = close + closeLength;
  }
  return null;
}

function inlineLink(text: string, start: number): { label: string; href: string; end: number } | null {
  let depth = 0;
  let close = -1;
  for (let i = start; i < Math.min(text.length, start + MAX_SPAN); i += 1) {
    const char = text.charAt(i);
    if (char === "\\") i += 1;
    else if (char === "[") depth += 1;
    else if (char === "]" && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close < 0 || text.charAt(close + 1) !== "(") return null;
  const destination = linkDestination(text, close + 2);
  const label = text.slice(start + 1, close);
  if (!destination || !SAFE_HREF.test(destination.href) || label.trim() === "") return null;
  return { label, href: destination.href, end: destination.end };
}

/** `url)` or `url "title")`; parentheses inside the URL must balance, as in CommonMark. */
function linkDestination(text: string, start: number): { href: string; end: number } | null {
  let i = start;
  while (text.charAt(i) === " ") i += 1;
  const hrefStart = i;
  let depth = 0;
  for (; i < Math.min(text.length, start + MAX_SPAN); i += 1) {
    const char = text.charAt(i);
    if (/\s/.test(char) || (char === ")" && depth === 0)) break;
    if (char === "(") depth += 1;
    if (char === ")") depth -= 1;
  }
  const href = text.slice(hrefStart, i);
  const rest = /\s*(?:"[^"]*"\s*)?\)/y;
  rest.lastIndex = i;
  return href && rest.exec(text) ? { href, end: rest.lastIndex } : null;
}

function bareUrl(text: string, start: number): string | null {
  BARE_URL.lastIndex = start;
  let url = BARE_URL.exec(text)?.[0];
  if (!url) return null;
  // Trailing punctuation belongs to the sentence; a closing parenthesis only when unbalanced.
  while (/[.,;:!?'")\]*_~]$/.test(url)) {
    if (url.endsWith(")") && count(url, "(") >= count(url, ")")) break;
    url = url.slice(0, -1);
  }
  return /^https?:\/\/[^/]/i.test(url) ? url : null;
}

const count = (text: string, char: string) => text.split(char).length - 1;

/**
 * `*em*`, `**strong**`, `***both***` (and the `_` forms), `~~strike~~`. An opener must be followed
 * by a non-space, a closer preceded by one; `_` does not work inside words (snake_case stays).
 */
function emphasisAt(text: string, start: number): { content: string; marks: AdfMark[]; end: number } | null {
  const char = text.charAt(start);
  const length = runLength(text, start);
  if (char === "~" ? length !== 2 : length > 3) return null;
  if (isSpace(text.charAt(start + length))) return null;
  if (char === "_" && isWordChar(text.charAt(start - 1))) return null;
  let search = start + length;
  while (search < text.length) {
    const close = text.indexOf(char, search);
    if (close < 0 || close - start > MAX_SPAN) return null;
    const closeLength = runLength(text, close);
    const flanked =
      !isSpace(text.charAt(close - 1)) && !(char === "_" && isWordChar(text.charAt(close + closeLength)));
    if (closeLength === length && flanked && close > start + length) {
      const marks: AdfMark[] =
        char === "~"
          ? [{ type: "strike" }]
          : length === 1
            ? [{ type: "em" }]
            : length === 2
              ? [{ type: "strong" }]
              : [{ type: "strong" }, { type: "em" }];
      return { content: text.slice(start + length, close), marks, end: close + length };
    }
    search = close + closeLength;
  }
  return null;
}

/** Concatenated text of a document: for logs, previews and tests. */
export function adfToPlainText(doc: AdfDocument): string {
  const inline = (content: AdfInline[]) =>
    content.map((node) => (node.type === "text" ? node.text : "\n")).join("");
  const block = (node: AdfBlock): string => {
    switch (node.type) {
      case "paragraph":
      case "heading":
        return inline(node.content);
      case "codeBlock":
        return node.content.map((text) => text.text).join("");
      case "rule":
        return "";
      case "blockquote":
        return node.content.map(block).join("\n");
      default:
        return node.content.map((item) => item.content.map(block).join("\n")).join("\n");
    }
  };
  return doc.content.map(block).join("\n");
}
