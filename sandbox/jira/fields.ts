/**
 * Field configuration (create/edit screens, createmeta) and Jira's field rules: required fields,
 * ADF for rich text, summary limits, option values, labels, users. The OpenAPI document leaves
 * `fields` free-form, so these checks are the sandbox's own, with Jira's error messages.
 */
import { adfPlainText, checkAdf, MAX_RICH_TEXT_LENGTH, type AdfDocument } from "../adf";
import {
  DEMO_CUSTOM_FIELDS,
  DEMO_PRIORITIES,
  DEFAULT_PRIORITY_ID,
  findUserByAccountId,
  type DemoCustomFieldId,
  type DemoProject,
} from "../fixtures";
import type { SiteState } from "../state";
import { isRecord, rest } from "./context";
import { hasPermission } from "./permissions";

export const MSG = {
  summaryRequired: "You must specify a summary of the issue.",
  summaryTooLong: "Summary must be less than 255 characters.",
  summaryNewline: "The summary is invalid because it contains newline characters.",
  projectInvalid: "Specify a valid project ID or key",
  projectNoCreate: "You do not have permission to create issues in this project.",
  issueTypeMissing: "Specify an issue type",
  issueTypeInvalid: "The issue type selected is invalid.",
  priorityInvalid: "The priority selected is invalid.",
  notOnScreen: (field: string) =>
    `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`,
  required: (name: string) => `${name} is required.`,
  textTooLong: `The entered text is too long. It exceeds the allowed limit of ${MAX_RICH_TEXT_LENGTH.toLocaleString("en-US")} characters.`,
  notAssignable: (id: string) => `User '${id}' cannot be assigned issues.`,
  invalidReporter: "Specify a valid value for reporter",
  labelSpaces: (label: string) => `The label '${label}' contains spaces which is invalid.`,
  labelTooLong: "The label must not exceed 255 characters.",
  bothFieldsAndUpdate: (field: string) => `Field '${field}' cannot be set in both 'fields' and 'update'.`,
  unsupportedOperation: (op: string, field: string) =>
    `Operation '${op}' is not supported for field '${field}'.`,
} as const;

type SystemFieldId =
  "summary" | "issuetype" | "project" | "description" | "priority" | "labels" | "assignee" | "reporter";

export function customFieldsOnScreen(
  project: DemoProject,
  issueTypeId: string,
): Array<{ fieldId: DemoCustomFieldId; required: boolean }> {
  return project.customFields
    .filter((cf) => cf.issueTypeIds.includes(issueTypeId))
    .map((cf) => ({ fieldId: cf.fieldId, required: cf.requiredFor.includes(issueTypeId) }));
}

const CREATE_SYSTEM_FIELDS: SystemFieldId[] = [
  "summary",
  "issuetype",
  "project",
  "description",
  "priority",
  "labels",
  "assignee",
  "reporter",
];
const EDIT_SYSTEM_FIELDS: SystemFieldId[] = [
  "summary",
  "description",
  "priority",
  "labels",
  "assignee",
  "reporter",
];

export function screenFieldIds(
  project: DemoProject,
  issueTypeId: string,
  mode: "create" | "edit",
): Set<string> {
  const system = mode === "create" ? CREATE_SYSTEM_FIELDS : EDIT_SYSTEM_FIELDS;
  return new Set<string>([...system, ...customFieldsOnScreen(project, issueTypeId).map((f) => f.fieldId)]);
}

type Links = { apiBase: string; siteBase: string };

/** FieldCreateMetadata entries for createmeta/{project}/issuetypes/{id}. */
export function createMetaFields(
  ctx: Links,
  project: DemoProject,
  issueTypeId: string,
  issueTypeJson: unknown,
  projectJson: unknown,
) {
  const system = [
    {
      fieldId: "summary",
      name: "Summary",
      required: true,
      schema: { type: "string", system: "summary" },
      operations: ["set"],
    },
    {
      fieldId: "issuetype",
      name: "Issue Type",
      required: true,
      schema: { type: "issuetype", system: "issuetype" },
      operations: [],
      allowedValues: [issueTypeJson],
    },
    {
      fieldId: "project",
      name: "Project",
      required: true,
      schema: { type: "project", system: "project" },
      operations: ["set"],
      allowedValues: [projectJson],
    },
    {
      fieldId: "description",
      name: "Description",
      required: false,
      schema: { type: "string", system: "description" },
      operations: ["set"],
    },
    {
      fieldId: "priority",
      name: "Priority",
      required: false,
      schema: { type: "priority", system: "priority" },
      operations: ["set"],
      allowedValues: DEMO_PRIORITIES.map((p) => ({
        self: rest(ctx, `/priority/${p.id}`),
        iconUrl: `${ctx.siteBase}/images/icons/priorities/${p.name.toLowerCase()}.svg`,
        name: p.name,
        id: p.id,
      })),
      hasDefaultValue: true,
      defaultValue: {
        self: rest(ctx, `/priority/${DEFAULT_PRIORITY_ID}`),
        name: "Medium",
        id: DEFAULT_PRIORITY_ID,
      },
    },
    {
      fieldId: "labels",
      name: "Labels",
      required: false,
      schema: { type: "array", items: "string", system: "labels" },
      operations: ["add", "set", "remove"],
      autoCompleteUrl: `${ctx.apiBase}/rest/api/1.0/labels/suggest?query=`,
    },
    {
      fieldId: "assignee",
      name: "Assignee",
      required: false,
      schema: { type: "user", system: "assignee" },
      operations: ["set"],
      autoCompleteUrl: rest(ctx, `/user/assignable/search?project=${project.key}&query=`),
    },
    {
      fieldId: "reporter",
      name: "Reporter",
      required: false,
      schema: { type: "user", system: "reporter" },
      operations: ["set"],
      autoCompleteUrl: rest(ctx, "/user/recommend?context=Reporter&issueKey=&query="),
      hasDefaultValue: true,
    },
  ];
  const custom = customFieldsOnScreen(project, issueTypeId).map(({ fieldId, required }) => {
    const def = DEMO_CUSTOM_FIELDS[fieldId];
    return {
      fieldId,
      name: def.name,
      required,
      schema: def.schema,
      operations: ["set"],
      ...(def.kind === "select"
        ? {
            allowedValues: def.options.map((o) => ({
              self: rest(ctx, `/customFieldOption/${o.id}`),
              value: o.value,
              id: o.id,
            })),
          }
        : {}),
    };
  });
  return [...system, ...custom].map((f) => ({ hasDefaultValue: false, ...f, key: f.fieldId }));
}

/** Mutable view of the editable parts of an issue. */
export interface IssueDraft {
  summary: string;
  description: AdfDocument | null;
  priorityId: string;
  labels: string[];
  assigneeId: string | null;
  reporterId: string;
  customFields: Record<string, unknown>;
}

type FieldOp = { op: "set" | "add" | "remove"; value: unknown };
export type FieldOps = Map<string, FieldOp[]>;

/** Merges `fields` (implicit set) and `update` (explicit operations) into one list per field. */
export function collectFieldOps(fields: unknown, update: unknown, errors: Record<string, string>): FieldOps {
  const ops: FieldOps = new Map();
  if (isRecord(fields)) {
    for (const [field, value] of Object.entries(fields)) ops.set(field, [{ op: "set", value }]);
  }
  if (isRecord(update)) {
    for (const [field, list] of Object.entries(update)) {
      if (ops.has(field)) {
        errors[field] = MSG.bothFieldsAndUpdate(field);
        continue;
      }
      const parsed: FieldOp[] = [];
      for (const entry of Array.isArray(list) ? list : []) {
        if (!isRecord(entry)) continue;
        for (const [op, value] of Object.entries(entry)) {
          if (op === "set" || op === "add" || op === "remove") parsed.push({ op, value });
          else errors[field] = MSG.unsupportedOperation(op, field);
        }
      }
      ops.set(field, parsed);
    }
  }
  return ops;
}

function fieldName(fieldId: string): string {
  const custom = DEMO_CUSTOM_FIELDS[fieldId as DemoCustomFieldId];
  if (custom) return custom.name;
  return fieldId.charAt(0).toUpperCase() + fieldId.slice(1);
}

function richText(value: unknown): { ok: true; doc: AdfDocument | null } | { ok: false; message: string } {
  if (value === null) return { ok: true, doc: null };
  const check = checkAdf(value);
  if (!check.ok) return { ok: false, message: check.reason };
  if (adfPlainText(check.doc).length > MAX_RICH_TEXT_LENGTH) return { ok: false, message: MSG.textTooLong };
  return { ok: true, doc: check.doc };
}

function userOnSite(site: SiteState, value: unknown): string | null | undefined {
  if (value === null) return null;
  if (!isRecord(value) || typeof value.accountId !== "string") return undefined;
  const user = findUserByAccountId(value.accountId);
  return user && user.siteNames.includes(site.site.name) ? user.accountId : undefined;
}

function describeAccountId(value: unknown): string {
  return isRecord(value) && typeof value.accountId === "string" ? value.accountId : JSON.stringify(value);
}

export function resolvePriority(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  const byId = value.id !== undefined ? DEMO_PRIORITIES.find((p) => p.id === String(value.id)) : undefined;
  const byName =
    typeof value.name === "string"
      ? DEMO_PRIORITIES.find((p) => p.name.toLowerCase() === (value.name as string).toLowerCase())
      : undefined;
  return (byId ?? byName)?.id;
}

function validLabel(label: unknown, errors: Record<string, string>): label is string {
  if (typeof label !== "string" || label.length === 0) {
    errors.labels = "Labels must be non-empty strings.";
    return false;
  }
  if (/\s/.test(label)) {
    errors.labels = MSG.labelSpaces(label);
    return false;
  }
  if (label.length > 255) {
    errors.labels = MSG.labelTooLong;
    return false;
  }
  return true;
}

/**
 * Applies field operations to a draft, collecting Jira-style field errors. Fields that are not on
 * the screen of this project + issue type are rejected like Jira does.
 */
export function applyFieldOps(
  site: SiteState,
  project: DemoProject,
  issueTypeId: string,
  draft: IssueDraft,
  ops: FieldOps,
  mode: "create" | "edit",
  errors: Record<string, string>,
): void {
  const onScreen = screenFieldIds(project, issueTypeId, mode);
  for (const [fieldId, list] of ops) {
    if (fieldId === "project" || fieldId === "issuetype") {
      if (mode === "edit") errors[fieldId] = MSG.notOnScreen(fieldId);
      continue; // resolved by the caller on create
    }
    if (!onScreen.has(fieldId)) {
      errors[fieldId] = MSG.notOnScreen(fieldId);
      continue;
    }
    for (const { op, value } of list) {
      if (op !== "set" && fieldId !== "labels") {
        errors[fieldId] = MSG.unsupportedOperation(op, fieldId);
        continue;
      }
      applyOne(site, fieldId, op, value, draft, errors);
    }
  }
  if (draft.summary.trim() === "") errors.summary ??= MSG.summaryRequired;
  for (const { fieldId, required } of customFieldsOnScreen(project, issueTypeId)) {
    const value = draft.customFields[fieldId];
    if (required && (value === undefined || value === null))
      errors[fieldId] ??= MSG.required(fieldName(fieldId));
  }
}

function applyOne(
  site: SiteState,
  fieldId: string,
  op: FieldOp["op"],
  value: unknown,
  draft: IssueDraft,
  errors: Record<string, string>,
): void {
  switch (fieldId) {
    case "summary": {
      if (value !== null && typeof value !== "string") errors.summary = "Operation value must be a string";
      else if (value === null || value.trim() === "") errors.summary = MSG.summaryRequired;
      else if (value.length > 255) errors.summary = MSG.summaryTooLong;
      else if (/[\r\n]/.test(value)) errors.summary = MSG.summaryNewline;
      else draft.summary = value;
      return;
    }
    case "description": {
      const text = richText(value);
      if (text.ok) draft.description = text.doc;
      else errors.description = text.message;
      return;
    }
    case "priority": {
      const id = value === null ? DEFAULT_PRIORITY_ID : resolvePriority(value);
      if (id) draft.priorityId = id;
      else errors.priority = MSG.priorityInvalid;
      return;
    }
    case "labels": {
      if (op === "set") {
        if (!Array.isArray(value)) errors.labels = "data was not an array";
        else if (value.every((l) => validLabel(l, errors))) draft.labels = [...new Set(value as string[])];
      } else if (validLabel(value, errors)) {
        draft.labels =
          op === "add" ? [...new Set([...draft.labels, value])] : draft.labels.filter((l) => l !== value);
      }
      return;
    }
    case "assignee": {
      if (isRecord(value) && value.accountId === "-1") {
        draft.assigneeId = null; // "automatic": the demo projects default to unassigned
        return;
      }
      const id = userOnSite(site, value);
      if (id === undefined) errors.assignee = MSG.notAssignable(describeAccountId(value));
      else draft.assigneeId = id;
      return;
    }
    case "reporter": {
      const id = userOnSite(site, value);
      if (!id) errors.reporter = MSG.invalidReporter;
      else draft.reporterId = id;
      return;
    }
    default:
      applyCustomField(fieldId as DemoCustomFieldId, value, draft, errors);
  }
}

function applyCustomField(
  fieldId: DemoCustomFieldId,
  value: unknown,
  draft: IssueDraft,
  errors: Record<string, string>,
): void {
  const def = DEMO_CUSTOM_FIELDS[fieldId];
  if (value === null) {
    draft.customFields[fieldId] = null;
    return;
  }
  if (def.kind === "textarea") {
    const text = richText(value);
    if (text.ok) draft.customFields[fieldId] = text.doc;
    else errors[fieldId] = text.message;
    return;
  }
  if (!isRecord(value)) {
    errors[fieldId] = `Specify a valid 'id' or 'name' for ${def.name}`;
    return;
  }
  const option =
    value.id !== undefined
      ? def.options.find((o) => o.id === String(value.id))
      : typeof value.value === "string"
        ? def.options.find((o) => o.value === value.value)
        : undefined;
  if (!option) {
    errors[fieldId] =
      value.id !== undefined
        ? `Option id '${String(value.id)}' is not valid`
        : `Option value '${String(value.value)}' is not valid`;
    return;
  }
  draft.customFields[fieldId] = { id: option.id, value: option.value };
}

/** Whether the user may be assigned issues in this project (ASSIGNABLE_USER + site access). */
export function isAssignable(site: SiteState, project: DemoProject, accountId: string): boolean {
  const user = findUserByAccountId(accountId);
  return !!user && user.siteNames.includes(site.site.name) && hasPermission("ASSIGNABLE_USER", project);
}
