import "server-only";

import type { ExternalIssueType, ExternalProject } from "../types";
import {
  createMetaFieldsSchema,
  createMetaIssueTypesSchema,
  parseResponse,
  projectPageSchema,
  projectSchema,
  toExternalField,
  toExternalIssueType,
  toExternalProject,
} from "./mapping";
import type { JiraRest } from "./rest";

/** Projects, issue types and fields, read page by page. */

const PROJECT_PAGE = 50;
/** A runaway server (a page that never says "last") stops here. */
const MAX_PAGES = 200;

export async function listProjects(
  rest: JiraRest,
  version: 2 | 3,
  limit = Infinity,
): Promise<ExternalProject[]> {
  if (version === 2) {
    // Server / Data Center lists every visible project at once (it has no project/search).
    const all = parseResponse(projectSchema.array(), await rest.allProjects(), "the project list");
    return all.slice(0, limit).map(toExternalProject);
  }
  const projects: ExternalProject[] = [];
  for (let page = 0; page < MAX_PAGES && projects.length < limit; page += 1) {
    const data = await rest.searchProjects(projects.length, Math.min(PROJECT_PAGE, limit - projects.length));
    const { values, isLast } = parseResponse(projectPageSchema, data, "the project search");
    projects.push(...values.map(toExternalProject));
    if (isLast !== false || values.length === 0) break;
  }
  return projects;
}

export async function issueTypesOf(rest: JiraRest, projectKey: string): Promise<ExternalIssueType[]> {
  const types: ExternalIssueType[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const data = await rest.createMetaIssueTypes(projectKey, types.length);
    const { issueTypes, total } = parseResponse(createMetaIssueTypesSchema, data, "the issue type list");
    types.push(...issueTypes.map((type) => toExternalIssueType(type)));
    if (issueTypes.length === 0 || total === undefined || types.length >= total) break;
  }
  return types;
}

export async function fieldsOf(rest: JiraRest, projectKey: string, issueTypeId: string) {
  const fields: ReturnType<typeof toExternalField>[] = [];
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const data = await rest.createMetaFields(projectKey, issueTypeId, fields.length);
    const parsed = parseResponse(createMetaFieldsSchema, data, "the field list");
    fields.push(...parsed.fields.map(toExternalField));
    if (parsed.fields.length === 0 || parsed.total === undefined || fields.length >= parsed.total) break;
  }
  return fields;
}

/** Issue types that can be created in the project, each with its create-screen fields. */
export async function listIssueTypes(rest: JiraRest, projectKey: string): Promise<ExternalIssueType[]> {
  const types = await issueTypesOf(rest, projectKey);
  // One after another: gentler on Jira's rate limits than a burst, and the lists are short.
  const withFields: ExternalIssueType[] = [];
  for (const type of types) withFields.push({ ...type, fields: await fieldsOf(rest, projectKey, type.id) });
  return withFields;
}

/** By id, or by name ignoring case. */
export function findIssueType<T extends { id: string; name: string }>(
  types: T[],
  wanted: string,
): T | undefined {
  const name = wanted.trim().toLowerCase();
  return (
    types.find((type) => type.id === wanted.trim()) ?? types.find((type) => type.name.toLowerCase() === name)
  );
}
