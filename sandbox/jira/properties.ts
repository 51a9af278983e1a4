/** Issue entity properties (arbitrary JSON stored on an issue; used by apps as idempotency markers). */
import type { StoredIssue } from "../state";
import { isRecord, jiraError, param, rest, type JiraHandler } from "./context";
import { hasPermission } from "./permissions";
import { isResult, issueFromPath, projectOf } from "./store";

const MAX_KEY_LENGTH = 255;
const MAX_VALUE_BYTES = 32768;

function checkProperty(key: unknown, value: unknown): string | null {
  if (typeof key !== "string" || key.length === 0) return "The property key cannot be null or empty.";
  if (key.length > MAX_KEY_LENGTH)
    return `The property key cannot be longer than ${MAX_KEY_LENGTH} characters.`;
  if (value === undefined) return `The property value for key '${key}' is missing.`;
  if (Buffer.byteLength(JSON.stringify(value)) > MAX_VALUE_BYTES)
    return `The property value cannot be longer than ${MAX_VALUE_BYTES} bytes.`;
  return null;
}

/** Checks a `properties: [{key, value}]` list from create/edit; returns an error message or null. */
export function validatePropertyList(list: unknown): string | null {
  if (!Array.isArray(list)) return "Issue properties must be a list of {key, value}.";
  for (const entry of list) {
    if (!isRecord(entry)) return "Issue properties must be a list of {key, value}.";
    const error = checkProperty(entry.key, entry.value);
    if (error) return error;
  }
  return null;
}

export function setPropertiesFromList(
  issue: StoredIssue,
  list: Array<{ key: string; value: unknown }>,
): void {
  for (const { key, value } of list) issue.properties.set(key, structuredClone(value));
}

export const getIssuePropertyKeys: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  return {
    status: 200,
    body: {
      keys: [...issue.properties.keys()].map((key) => ({
        self: rest(ctx, `/issue/${issue.key}/properties/${encodeURIComponent(key)}`),
        key,
      })),
    },
  };
};

export const getIssueProperty: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  const key = param(ctx, "propertyKey");
  if (!issue.properties.has(key)) return jiraError(404, [`The property with key '${key}' does not exist.`]);
  return { status: 200, body: { key, value: issue.properties.get(key) } };
};

export const setIssueProperty: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  if (!hasPermission("EDIT_ISSUES", projectOf(ctx.site, issue)))
    return jiraError(403, ["You do not have permission to edit this issue."]);
  const key = param(ctx, "propertyKey");
  const error = checkProperty(key, ctx.body);
  if (error) return jiraError(400, [error]);
  const existed = issue.properties.has(key);
  issue.properties.set(key, structuredClone(ctx.body));
  return { status: existed ? 200 : 201 };
};

export const deleteIssueProperty: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  if (!hasPermission("EDIT_ISSUES", projectOf(ctx.site, issue)))
    return jiraError(403, ["You do not have permission to edit this issue."]);
  const key = param(ctx, "propertyKey");
  if (!issue.properties.delete(key))
    return jiraError(404, [`The property with key '${key}' does not exist.`]);
  return { status: 204 };
};
