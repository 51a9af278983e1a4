/** Lookups and mutations on a site's projects and issues, shared by the REST handlers. */
import { adfPlainText } from "../adf";
import {
  DEMO_CUSTOM_FIELDS,
  DEMO_PRIORITIES,
  DEMO_STATUSES,
  findUserByAccountId,
  type DemoCustomFieldId,
  type DemoProject,
} from "../fixtures";
import type { ChangeItem, ChangelogEntry, SiteState, StoredIssue } from "../state";
import { isRecord, jiraError, param, type JiraContext, type JiraResult } from "./context";
import type { IssueDraft } from "./fields";

export const ISSUE_NOT_FOUND = ["Issue does not exist or you do not have permission to see it."];

/** Finds the issue named in the path, or answers 404 like Jira. */
export function issueFromPath(ctx: JiraContext): StoredIssue | JiraResult {
  const issue = findIssue(ctx.site, param(ctx, "issueIdOrKey"));
  return issue ?? jiraError(404, ISSUE_NOT_FOUND);
}

/** Tells a handler's early answer apart from the entity it looked up. */
export function isResult(value: unknown): value is JiraResult {
  return isRecord(value) && typeof value.status === "number" && !("key" in value);
}

export function findProject(site: SiteState, idOrKey: string): DemoProject | undefined {
  const wanted = idOrKey.toUpperCase();
  return site.projects.find((p) => p.id === idOrKey || p.key === wanted);
}

/** Project referenced as `{id}` or `{key}` (Jira also tolerates a bare key string). */
export function findProjectRef(site: SiteState, ref: unknown): DemoProject | undefined {
  if (typeof ref === "string") return findProject(site, ref);
  if (typeof ref !== "object" || ref === null) return undefined;
  const { id, key } = ref as { id?: unknown; key?: unknown };
  if (id !== undefined) return site.projects.find((p) => p.id === String(id));
  if (typeof key === "string") return site.projects.find((p) => p.key === key.toUpperCase());
  return undefined;
}

export function findIssue(site: SiteState, idOrKey: string): StoredIssue | undefined {
  const wanted = idOrKey.toUpperCase();
  return site.issues.find((i) => i.id === idOrKey || i.key === wanted);
}

export function projectOf(site: SiteState, issue: StoredIssue): DemoProject {
  const project = site.projects.find((p) => p.id === issue.projectId);
  if (!project) throw new Error(`Issue ${issue.key} belongs to an unknown project`);
  return project;
}

export function draftOf(issue: StoredIssue): IssueDraft {
  return {
    summary: issue.summary,
    description: issue.description,
    priorityId: issue.priorityId,
    labels: [...issue.labels],
    assigneeId: issue.assigneeId,
    reporterId: issue.reporterId,
    customFields: { ...issue.customFields },
  };
}

export function applyDraft(issue: StoredIssue, draft: IssueDraft): void {
  issue.summary = draft.summary;
  issue.description = draft.description;
  issue.priorityId = draft.priorityId;
  issue.labels = [...draft.labels];
  issue.assigneeId = draft.assigneeId;
  issue.reporterId = draft.reporterId;
  issue.customFields = { ...draft.customFields };
}

export function nextIssueKey(site: SiteState, project: DemoProject): { id: string; key: string } {
  const number = site.nextIssueKeyNumber.get(project.key) ?? 1;
  site.nextIssueKeyNumber.set(project.key, number + 1);
  const id = String(site.nextIssueNumber);
  site.nextIssueNumber += 1;
  return { id, key: `${project.key}-${number}` };
}

function userName(accountId: string | null): string | null {
  return accountId ? (findUserByAccountId(accountId)?.displayName ?? accountId) : null;
}

function jiraItem(
  field: string,
  from: string | null,
  fromString: string | null,
  to: string | null,
  toString: string | null,
): ChangeItem {
  return { field, fieldtype: "jira", fieldId: field, from, fromString, to, toString };
}

/** Changelog items between two versions of an issue, in Jira's webhook/changelog format. */
export function diffDrafts(before: IssueDraft, after: IssueDraft): ChangeItem[] {
  const items: ChangeItem[] = [];
  if (before.summary !== after.summary)
    items.push(jiraItem("summary", null, before.summary, null, after.summary));
  const beforeText = before.description ? adfPlainText(before.description) : null;
  const afterText = after.description ? adfPlainText(after.description) : null;
  if (JSON.stringify(before.description) !== JSON.stringify(after.description))
    items.push(jiraItem("description", null, beforeText, null, afterText));
  if (before.priorityId !== after.priorityId) {
    const name = (id: string) => DEMO_PRIORITIES.find((p) => p.id === id)?.name ?? id;
    items.push(
      jiraItem(
        "priority",
        before.priorityId,
        name(before.priorityId),
        after.priorityId,
        name(after.priorityId),
      ),
    );
  }
  if (before.labels.join(" ") !== after.labels.join(" "))
    items.push(jiraItem("labels", null, before.labels.join(" "), null, after.labels.join(" ")));
  if (before.assigneeId !== after.assigneeId)
    items.push(
      jiraItem(
        "assignee",
        before.assigneeId,
        userName(before.assigneeId),
        after.assigneeId,
        userName(after.assigneeId),
      ),
    );
  if (before.reporterId !== after.reporterId)
    items.push(
      jiraItem(
        "reporter",
        before.reporterId,
        userName(before.reporterId),
        after.reporterId,
        userName(after.reporterId),
      ),
    );
  const customIds = new Set([...Object.keys(before.customFields), ...Object.keys(after.customFields)]);
  for (const fieldId of customIds) {
    const a = before.customFields[fieldId] ?? null;
    const b = after.customFields[fieldId] ?? null;
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const def = DEMO_CUSTOM_FIELDS[fieldId as DemoCustomFieldId];
    const show = (v: unknown): [string | null, string | null] => {
      if (v === null) return [null, null];
      if (def?.kind === "select") {
        const option = v as { id: string; value: string };
        return [option.id, option.value];
      }
      return [null, adfPlainText(v as Parameters<typeof adfPlainText>[0])];
    };
    const [from, fromString] = show(a);
    const [to, toString] = show(b);
    items.push({ field: def?.name ?? fieldId, fieldtype: "custom", fieldId, from, fromString, to, toString });
  }
  return items;
}

export function statusChangeItem(fromId: string, toId: string): ChangeItem {
  const name = (id: string) => DEMO_STATUSES.find((s) => s.id === id)?.name ?? id;
  return jiraItem("status", fromId, name(fromId), toId, name(toId));
}

export function recordChange(
  site: SiteState,
  issue: StoredIssue,
  authorId: string,
  items: ChangeItem[],
  at: number,
): ChangelogEntry {
  const entry: ChangelogEntry = { id: String(site.nextChangelogId), authorId, created: at, items };
  site.nextChangelogId += 1;
  issue.changelog.push(entry);
  issue.updated = at;
  return entry;
}
