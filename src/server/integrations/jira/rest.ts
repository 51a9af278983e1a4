import "server-only";

import type { Version2Parameters, Version3Parameters } from "jira.js";

import type { JiraConnection, JiraSdk } from "./client";
import { bodyOf, statusOf } from "./errors";

/**
 * The Jira REST calls TicketBridge makes, on either API version. jira.js's v2 and v3 clients have
 * the same method names but unrelated types, so each call names both. Results are `unknown`: the
 * callers parse them (mapping.ts), since a server that is not quite Jira must not crash us.
 */

export type IssueInput = {
  fields: Record<string, unknown>;
  properties?: { key: string; value: unknown }[];
};

export type AttachmentInput = { filename: string; contentType: string; data: Buffer };

export type CommentInput = {
  /** ADF document on v3, wiki markup on v2. */
  body: unknown;
  visibility?: { type: "role" | "group"; value: string };
  /** Comment properties (the idempotency marker). */
  properties?: { key: string; value: unknown }[];
};

type Both<T> = { v3: (client: JiraSdkClient<3>) => Promise<T>; v2: (client: JiraSdkClient<2>) => Promise<T> };
type JiraSdkClient<V extends 2 | 3> = Extract<JiraSdk, { version: V }>["client"];

function onEither<T>(sdk: JiraSdk, calls: Both<T>): Promise<T> {
  return sdk.version === 3 ? calls.v3(sdk.client) : calls.v2(sdk.client);
}

export function jiraRest(connection: JiraConnection) {
  const call = <T>(calls: Both<T>, options?: { anonymous?: boolean }) =>
    connection.send((sdk) => onEither(sdk, calls), options);

  return {
    serverInfo: () =>
      call<unknown>(
        { v3: (jira) => jira.serverInfo.getServerInfo(), v2: (jira) => jira.serverInfo.getServerInfo() },
        { anonymous: true },
      ),

    /** REST v2's serverInfo, which Server / Data Center has where v3 is missing. */
    serverInfoV2: () =>
      call<unknown>(
        {
          v3: (jira) =>
            jira.sendRequest({ url: "/rest/api/2/serverInfo", method: "GET" }, undefined as never),
          v2: (jira) => jira.serverInfo.getServerInfo(),
        },
        { anonymous: true },
      ),

    myself: () =>
      call<unknown>({
        v3: (jira) => jira.myself.getCurrentUser(),
        v2: (jira) => jira.myself.getCurrentUser(),
      }),

    project: (projectIdOrKey: string) =>
      call<unknown>({
        v3: (jira) => jira.projects.getProject({ projectIdOrKey }),
        v2: (jira) => jira.projects.getProject({ projectIdOrKey }),
      }),

    /** One page of `project/search` (Cloud). */
    searchProjects: (startAt: number, maxResults: number) =>
      call<unknown>({
        v3: (jira) => jira.projects.searchProjects({ startAt, maxResults, orderBy: "key" }),
        v2: (jira) => jira.projects.searchProjects({ startAt, maxResults, orderBy: "key" }),
      }),

    /** Every visible project in one list: `GET /rest/api/2/project`, what Server / Data Center offers. */
    allProjects: () =>
      call<unknown>({
        v3: (jira) => jira.sendRequest({ url: "/rest/api/3/project", method: "GET" }, undefined as never),
        v2: (jira) => jira.sendRequest({ url: "/rest/api/2/project", method: "GET" }, undefined as never),
      }),

    myPermissions: (projectKey: string, permissions: string[]) =>
      call<unknown>({
        v3: (jira) => jira.permissions.getMyPermissions({ projectKey, permissions: permissions.join(",") }),
        v2: (jira) => jira.permissions.getMyPermissions({ projectKey, permissions: permissions.join(",") }),
      }),

    createMetaIssueTypes: (projectIdOrKey: string, startAt: number) =>
      call<unknown>({
        v3: (jira) => jira.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey, startAt, maxResults: 200 }),
        v2: (jira) => jira.issues.getCreateIssueMetaIssueTypes({ projectIdOrKey, startAt, maxResults: 200 }),
      }),

    createMetaFields: (projectIdOrKey: string, issueTypeId: string, startAt: number) =>
      call<unknown>({
        v3: (jira) =>
          jira.issues.getCreateIssueMetaIssueTypeId({
            projectIdOrKey,
            issueTypeId,
            startAt,
            maxResults: 200,
          }),
        v2: (jira) =>
          jira.issues.getCreateIssueMetaIssueTypeId({
            projectIdOrKey,
            issueTypeId,
            startAt,
            maxResults: 200,
          }),
      }),

    createIssue: (input: IssueInput) =>
      call<unknown>({
        v3: (jira) => jira.issues.createIssue(input as Version3Parameters.CreateIssue),
        v2: (jira) => jira.issues.createIssue(input as Version2Parameters.CreateIssue),
      }),

    /** Jira answers 400 when every element failed; that answer is the same per-element report. */
    createIssues: (inputs: IssueInput[]) =>
      call<unknown>({
        v3: (jira) =>
          jira.issues
            .createIssues({ issueUpdates: inputs } as Version3Parameters.CreateIssues)
            .catch(bulkReport),
        v2: (jira) =>
          jira.issues
            .createIssues({ issueUpdates: inputs } as Version2Parameters.CreateIssues)
            .catch(bulkReport),
      }),

    /** Cloud: the enhanced `search/jql`; Server / Data Center: the classic `search`. */
    search: (jql: string, fields: string[], maxResults: number) =>
      call<unknown>({
        v3: (jira) => jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({ jql, fields, maxResults }),
        v2: (jira) => jira.issueSearch.searchForIssuesUsingJqlPost({ jql, fields, maxResults, startAt: 0 }),
      }),

    /**
     * One page of a search. Cloud pages with `nextPageToken`; Server / Data Center's classic search
     * pages with `startAt`, carried in the same token as a number.
     */
    searchPage: (jql: string, fields: string[], maxResults: number, pageToken?: string) =>
      call<unknown>({
        v3: (jira) =>
          jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
            jql,
            fields,
            maxResults,
            ...(pageToken ? { nextPageToken: pageToken } : {}),
          }),
        v2: (jira) =>
          jira.issueSearch.searchForIssuesUsingJqlPost({
            jql,
            fields,
            maxResults,
            startAt: Number(pageToken ?? 0) || 0,
          }),
      }),

    /** Dynamic webhooks (Cloud, OAuth apps only): `POST /rest/api/3/webhook`. */
    registerWebhooks: (body: { url: string; webhooks: { events: string[]; jqlFilter: string }[] }) =>
      call<unknown>({
        v3: (jira) =>
          jira.webhooks.registerDynamicWebhooks(body as Version3Parameters.RegisterDynamicWebhooks),
        v2: (jira) =>
          jira.webhooks.registerDynamicWebhooks(body as Version2Parameters.RegisterDynamicWebhooks),
      }),

    refreshWebhooks: (webhookIds: number[]) =>
      call<unknown>({
        v3: (jira) => jira.webhooks.refreshWebhooks({ webhookIds }),
        v2: (jira) => jira.webhooks.refreshWebhooks({ webhookIds }),
      }),

    deleteWebhooks: (webhookIds: number[]) =>
      call<unknown>({
        v3: (jira) => jira.webhooks.deleteWebhookById({ webhookIds }),
        v2: (jira) => jira.webhooks.deleteWebhookById({ webhookIds }),
      }),

    issue: (issueIdOrKey: string, fields?: string[]) =>
      call<unknown>({
        v3: (jira) => jira.issues.getIssue({ issueIdOrKey, fields }),
        v2: (jira) => jira.issues.getIssue({ issueIdOrKey, fields }),
      }),

    transitions: (issueIdOrKey: string) =>
      call<unknown>({
        v3: (jira) => jira.issues.getTransitions({ issueIdOrKey }),
        v2: (jira) => jira.issues.getTransitions({ issueIdOrKey }),
      }),

    doTransition: (issueIdOrKey: string, transitionId: string) =>
      call<unknown>({
        v3: (jira) => jira.issues.doTransition({ issueIdOrKey, transition: { id: transitionId } }),
        v2: (jira) => jira.issues.doTransition({ issueIdOrKey, transition: { id: transitionId } }),
      }),

    /** Cloud names people by account id; Server / Data Center by user name (the same field here). */
    assign: (issueIdOrKey: string, accountId: string | null) =>
      call<unknown>({
        v3: (jira) => jira.issues.assignIssue({ issueIdOrKey, accountId: accountId as string }),
        v2: (jira) =>
          jira.issues.assignIssue({
            issueIdOrKey,
            accountId: accountId as string,
            name: accountId ?? undefined,
          }),
      }),

    /** multipart/form-data, field `file`, with `X-Atlassian-Token: no-check` (jira.js sets both). */
    addAttachment: (issueIdOrKey: string, file: AttachmentInput) =>
      call<unknown>({
        v3: (jira) =>
          jira.issueAttachments.addAttachment({
            issueIdOrKey,
            attachment: { filename: file.filename, file: file.data, mimeType: file.contentType },
          }),
        v2: (jira) =>
          jira.issueAttachments.addAttachment({
            issueIdOrKey,
            attachment: { filename: file.filename, file: file.data, mimeType: file.contentType },
          }),
      }),

    addComment: (issueIdOrKey: string, comment: CommentInput) =>
      call<unknown>({
        v3: (jira) =>
          jira.issueComments.addComment({
            issueIdOrKey,
            comment: comment.body as Version3Parameters.AddComment["comment"],
            visibility: comment.visibility,
            properties: comment.properties,
          }),
        v2: (jira) =>
          jira.issueComments.addComment({
            issueIdOrKey,
            comment: String(comment.body),
            visibility: comment.visibility,
            properties: comment.properties,
          }),
      }),

    /** The newest comments first, with their properties (where a marker would be). */
    recentComments: (issueIdOrKey: string, maxResults = 100) =>
      call<unknown>({
        v3: (jira) =>
          jira.issueComments.getComments({
            issueIdOrKey,
            orderBy: "-created",
            maxResults,
            expand: "properties",
          }),
        v2: (jira) =>
          jira.issueComments.getComments({
            issueIdOrKey,
            orderBy: "-created",
            maxResults,
            expand: "properties",
          }),
      }),
  };
}

export type JiraRest = ReturnType<typeof jiraRest>;

function bulkReport(error: unknown): unknown {
  const body = bodyOf(error);
  const isReport =
    statusOf(error) === 400 &&
    typeof body === "object" &&
    body !== null &&
    Array.isArray((body as { errors?: unknown }).errors);
  if (isReport) return body;
  throw error;
}
