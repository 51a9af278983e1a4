/**
 * Jira REST v2 on top of the v3 handlers. v2 is v3 with two differences that matter here: rich
 * text (description, textarea custom fields, comment bodies) is a plain (wiki markup) string
 * instead of ADF, and `self` links say /rest/api/2. So a v2 request is validated against its v3
 * twin in the OpenAPI document (same path with 3 for 2), its strings are wrapped into ADF for the
 * handler (which is where the ADF rule lives, so it never sees a v2 string), and the v3 answer is
 * turned back into v2 on the way out.
 */
import { adfPlainText, type AdfDocument } from "../adf";
import { DEMO_CUSTOM_FIELDS } from "../fixtures";
import { isRecord, jiraError, type JiraResult } from "./context";

const V2_PREFIX = "/rest/api/2/";
const V3_PREFIX = "/rest/api/3/";

export function isV2Path(jiraPath: string): boolean {
  return jiraPath.startsWith(V2_PREFIX);
}

/** `/rest/api/2/issue` → `/rest/api/3/issue`: the operation the document describes. */
export function v3Twin(jiraPath: string): string {
  return isV2Path(jiraPath) ? V3_PREFIX + jiraPath.slice(V2_PREFIX.length) : jiraPath;
}

/** Fields whose values are ADF in v3 and strings in v2. */
const RICH_TEXT_FIELDS = new Set([
  "description",
  "environment",
  ...Object.values(DEMO_CUSTOM_FIELDS)
    .filter((field) => field.kind === "textarea")
    .map((field) => field.id),
]);

/** Operations whose bodies carry issue fields (`fields` / `update`), one or many. */
const FIELD_OPERATIONS = new Set(["createIssue", "editIssue", "doTransition"]);

/**
 * Rewrites a v2 request body into the v3 shape the handlers expect. Returns a Jira error when a
 * rich-text value is not a string, as v2 would.
 */
export function v2RequestBody(operationId: string, body: unknown): { body: unknown } | { error: JiraResult } {
  if (!isRecord(body)) return { body };
  const errors: Record<string, string> = {};
  let converted: unknown = body;
  if (FIELD_OPERATIONS.has(operationId)) converted = convertIssueInput(body, errors);
  if (operationId === "createIssues" && Array.isArray(body.issueUpdates)) {
    converted = {
      ...body,
      issueUpdates: body.issueUpdates.map((update) => convertIssueInput(update, errors)),
    };
  }
  if (operationId === "addComment" && "body" in body) {
    const text = textToAdf(body.body);
    if (text === undefined) errors.comment = "Operation value must be a string";
    converted = { ...body, body: text };
  }
  if (Object.keys(errors).length > 0) return { error: jiraError(400, [], errors) };
  return { body: converted };
}

function convertIssueInput(input: unknown, errors: Record<string, string>): unknown {
  if (!isRecord(input)) return input;
  const out: Record<string, unknown> = { ...input };
  if (isRecord(input.fields)) {
    out.fields = Object.fromEntries(
      Object.entries(input.fields).map(([field, value]) => [field, richTextValue(field, value, errors)]),
    );
  }
  if (isRecord(input.update)) {
    out.update = Object.fromEntries(
      Object.entries(input.update).map(([field, operations]) => [
        field,
        Array.isArray(operations)
          ? operations.map((operation) =>
              isRecord(operation) && "set" in operation
                ? { ...operation, set: richTextValue(field, operation.set, errors) }
                : operation,
            )
          : operations,
      ]),
    );
  }
  return out;
}

function richTextValue(field: string, value: unknown, errors: Record<string, string>): unknown {
  if (!RICH_TEXT_FIELDS.has(field)) return value;
  const adf = textToAdf(value);
  if (adf === undefined) errors[field] = "Operation value must be a string";
  return adf;
}

/** A v2 string as one ADF paragraph (newlines as hard breaks, so the text round-trips exactly). */
function textToAdf(value: unknown): AdfDocument | null | undefined {
  if (value === null || value === "") return null;
  if (typeof value !== "string") return undefined;
  const content = value
    .split("\n")
    .flatMap((line, index) => [
      ...(index > 0 ? [{ type: "hardBreak" }] : []),
      ...(line ? [{ type: "text", text: line }] : []),
    ]);
  return { type: "doc", version: 1, content: [{ type: "paragraph", content }] };
}

/** The v3 answer as v2 sends it: ADF documents as plain strings, links to /rest/api/2. */
export function v2ResponseBody(body: unknown, apiBase: string): unknown {
  const v3Links = `${apiBase}${V3_PREFIX}`;
  const convert = (value: unknown): unknown => {
    if (typeof value === "string")
      return value.startsWith(v3Links) ? apiBase + V2_PREFIX + value.slice(v3Links.length) : value;
    if (Array.isArray(value)) return value.map(convert);
    if (!isRecord(value)) return value;
    if (value.type === "doc" && value.version === 1) return adfPlainText(value as unknown as AdfDocument);
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, convert(inner)]));
  };
  return convert(body);
}
