/**
 * Structural validation of Atlassian Document Format (ADF), the JSON rich-text format Jira Cloud
 * REST v3 requires for description, comments and textarea fields.
 *
 * Only the subset TicketBridge is expected to produce is accepted, so that anything the app sends
 * here is also valid for real Jira. Unknown node types or marks are rejected.
 */

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
  text?: string;
}

export interface AdfDocument extends AdfNode {
  type: "doc";
  version: 1;
  content: AdfNode[];
}

export type AdfCheck = { ok: true; doc: AdfDocument } | { ok: false; notADocument: boolean; reason: string };

/** Jira's message when a rich-text field is given anything but an ADF document (e.g. a string). */
export const NOT_AN_ADF_DOCUMENT = "Operation value must be an Atlassian Document";
/** Jira's limit for rich-text fields, counted on the document's text. */
export const MAX_RICH_TEXT_LENGTH = 32767;

const BLOCKS_IN_DOC = [
  "paragraph",
  "heading",
  "bulletList",
  "orderedList",
  "codeBlock",
  "blockquote",
  "rule",
];
const INLINE = ["text", "hardBreak"];
const BLOCKS_IN_CONTAINERS = ["paragraph", "bulletList", "orderedList", "codeBlock"];

/** Which children each node type may have; `null` = leaf (no `content` allowed). */
const ALLOWED_CHILDREN: Record<string, { children: string[] | null; minChildren: number }> = {
  paragraph: { children: INLINE, minChildren: 0 },
  heading: { children: INLINE, minChildren: 0 },
  bulletList: { children: ["listItem"], minChildren: 1 },
  orderedList: { children: ["listItem"], minChildren: 1 },
  listItem: { children: BLOCKS_IN_CONTAINERS, minChildren: 1 },
  codeBlock: { children: ["text"], minChildren: 0 },
  blockquote: { children: BLOCKS_IN_CONTAINERS, minChildren: 1 },
  rule: { children: null, minChildren: 0 },
  text: { children: null, minChildren: 0 },
  hardBreak: { children: null, minChildren: 0 },
};

const MARKS = new Set(["strong", "em", "code", "link", "strike", "underline"]);
const NODE_KEYS = new Set(["type", "attrs", "content", "marks", "text"]);

class AdfError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks that `value` is an ADF document built from the supported subset. */
export function checkAdf(value: unknown): AdfCheck {
  if (!isRecord(value) || value.type !== "doc") {
    return { ok: false, notADocument: true, reason: NOT_AN_ADF_DOCUMENT };
  }
  try {
    if (value.version !== 1) throw new AdfError("doc.version must be 1");
    for (const key of Object.keys(value)) {
      if (key !== "type" && key !== "version" && key !== "content")
        throw new AdfError(`doc: unexpected property '${key}'`);
    }
    if (!Array.isArray(value.content)) throw new AdfError("doc.content must be an array");
    value.content.forEach((child, i) => checkNode(child, `content[${i}]`, "doc"));
  } catch (error) {
    if (error instanceof AdfError)
      return { ok: false, notADocument: false, reason: `Invalid Atlassian Document: ${error.message}` };
    throw error;
  }
  return { ok: true, doc: value as unknown as AdfDocument };
}

function checkNode(node: unknown, path: string, parentType: string): void {
  if (!isRecord(node) || typeof node.type !== "string")
    throw new AdfError(`${path}: must be a node object with a 'type'`);
  const rule = ALLOWED_CHILDREN[node.type];
  if (!rule) throw new AdfError(`${path}: unsupported node type '${node.type}'`);
  const allowedHere = parentType === "doc" ? BLOCKS_IN_DOC : (ALLOWED_CHILDREN[parentType]?.children ?? []);
  if (!allowedHere.includes(node.type))
    throw new AdfError(`${path}: '${node.type}' is not allowed inside '${parentType}'`);
  for (const key of Object.keys(node)) {
    if (!NODE_KEYS.has(key)) throw new AdfError(`${path}: unexpected property '${key}'`);
  }
  if (node.attrs !== undefined && !isRecord(node.attrs))
    throw new AdfError(`${path}.attrs must be an object`);
  checkAttrs(node.type, node.attrs, path);

  if (node.type === "text") {
    if (typeof node.text !== "string" || node.text.length === 0)
      throw new AdfError(`${path}: text nodes need a non-empty 'text'`);
    checkMarks(node.marks, path, parentType === "codeBlock");
  } else {
    if (node.text !== undefined) throw new AdfError(`${path}: only text nodes may have 'text'`);
    if (node.marks !== undefined) throw new AdfError(`${path}: only text nodes may have 'marks'`);
  }

  if (rule.children === null) {
    if (node.content !== undefined) throw new AdfError(`${path}: '${node.type}' cannot have content`);
    return;
  }
  const content = node.content ?? [];
  if (!Array.isArray(content)) throw new AdfError(`${path}.content must be an array`);
  if (content.length < rule.minChildren)
    throw new AdfError(`${path}: '${node.type}' needs at least ${rule.minChildren} child node(s)`);
  content.forEach((child, i) => checkNode(child, `${path}.content[${i}]`, node.type as string));
}

function checkAttrs(type: string, attrs: Record<string, unknown> | undefined, path: string): void {
  if (type === "heading") {
    const level = attrs?.level;
    if (typeof level !== "number" || !Number.isInteger(level) || level < 1 || level > 6) {
      throw new AdfError(`${path}: heading needs attrs.level between 1 and 6`);
    }
  }
  if (type === "orderedList" && attrs?.order !== undefined) {
    const order = attrs.order;
    if (typeof order !== "number" || !Number.isInteger(order) || order < 0)
      throw new AdfError(`${path}: attrs.order must be a non-negative integer`);
  }
  if (type === "codeBlock" && attrs?.language !== undefined && typeof attrs.language !== "string") {
    throw new AdfError(`${path}: attrs.language must be a string`);
  }
}

function checkMarks(marks: unknown, path: string, insideCodeBlock: boolean): void {
  if (marks === undefined) return;
  if (!Array.isArray(marks)) throw new AdfError(`${path}.marks must be an array`);
  if (insideCodeBlock && marks.length > 0)
    throw new AdfError(`${path}: text inside codeBlock cannot have marks`);
  const seen = new Set<string>();
  marks.forEach((mark, i) => {
    const markPath = `${path}.marks[${i}]`;
    if (!isRecord(mark) || typeof mark.type !== "string")
      throw new AdfError(`${markPath}: must be a mark object with a 'type'`);
    if (!MARKS.has(mark.type)) throw new AdfError(`${markPath}: unsupported mark '${mark.type}'`);
    if (seen.has(mark.type)) throw new AdfError(`${markPath}: duplicate mark '${mark.type}'`);
    seen.add(mark.type);
    if (mark.type === "link") {
      const attrs = mark.attrs;
      if (!isRecord(attrs) || typeof attrs.href !== "string" || attrs.href.length === 0) {
        throw new AdfError(`${markPath}: link marks need attrs.href`);
      }
    }
  });
  // ADF allows `code` to be combined with `link` only.
  if (seen.has("code") && [...seen].some((m) => m !== "code" && m !== "link")) {
    throw new AdfError(`${path}: the 'code' mark can only be combined with 'link'`);
  }
}

/** Concatenated text of a document, used for length limits and text search. */
export function adfPlainText(node: AdfNode): string {
  if (node.type === "text") return node.text ?? "";
  if (node.type === "hardBreak") return "\n";
  const inner = (node.content ?? [])
    .map(adfPlainText)
    .join(node.type === "doc" || node.type.endsWith("List") ? "\n" : "");
  return inner;
}

/** Builds a one-paragraph document; handy for tests and seed data. */
export function adfFromText(text: string): AdfDocument {
  return {
    type: "doc",
    version: 1,
    content: [{ type: "paragraph", content: text ? [{ type: "text", text }] : [] }],
  };
}
