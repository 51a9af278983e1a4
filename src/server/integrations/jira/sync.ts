import "server-only";

import { z } from "zod";

import { Rejected, type DynamicWebhooks, type UpdatedIssuesPage } from "../types";
import type { JiraConnection } from "./client";
import { parseResponse, userSchema } from "./mapping";
import type { JiraRest } from "./rest";
import type { JiraSettings } from "./schemas";

/**
 * What keeps tickets in step with Jira without an admin webhook: a search for the project's
 * recently updated issues (polling), and the dynamic webhooks an OAuth app registers itself.
 */

const searchPageSchema = z.object({
  issues: z.array(z.looseObject({ id: z.union([z.string(), z.number()]) })).default([]),
  // Cloud's search/jql
  nextPageToken: z.string().nullish(),
  // Server / Data Center's classic search
  startAt: z.number().optional(),
  total: z.number().optional(),
});

const registeredSchema = z.object({
  webhookRegistrationResult: z
    .array(z.object({ createdWebhookId: z.number().optional(), errors: z.array(z.string()).optional() }))
    .default([]),
});
const expirationSchema = z.object({ expirationDate: z.union([z.number(), z.string()]) });
const myselfSchema = userSchema.extend({ timeZone: z.string().optional() });

/** Jira's limit per page of search/jql when fields are asked for. */
const MAX_PAGE = 100;

export function jiraSync(rest: JiraRest, connection: JiraConnection, settings: JiraSettings) {
  const projectKey = settings.config.projectKey;
  let timeZone: Promise<string> | undefined;

  /**
   * JQL reads dates in the searching user's time zone (their Jira profile), so `since` is written
   * in that zone; UTC when Jira does not say.
   */
  const userTimeZone = () =>
    (timeZone ??= rest.myself().then(
      (raw) => usableTimeZone(myselfSchema.safeParse(raw).data?.timeZone),
      () => "UTC",
    ));

  async function listUpdatedIssues(
    since: Date,
    options: { fields: string[]; pageToken?: string; maxResults?: number },
  ): Promise<UpdatedIssuesPage> {
    const jql = `project = "${projectKey.replace(/"/g, "")}" AND updated >= "${jqlDate(since, await userTimeZone())}" ORDER BY updated ASC`;
    const maxResults = Math.min(MAX_PAGE, Math.max(1, options.maxResults ?? 50));
    const page = parseResponse(
      searchPageSchema,
      await rest.searchPage(jql, options.fields, maxResults, options.pageToken),
      "the search",
    );
    let nextPageToken = page.nextPageToken ?? null;
    if (connection.version === 2 && page.total !== undefined) {
      const next = (page.startAt ?? 0) + page.issues.length;
      nextPageToken = page.issues.length > 0 && next < page.total ? String(next) : null;
    }
    return { issues: page.issues, nextPageToken };
  }

  if (settings.mode !== "cloud_oauth") return { listUpdatedIssues };

  const webhooks: DynamicWebhooks = {
    async register(url, events) {
      const reply = parseResponse(
        registeredSchema,
        await rest.registerWebhooks({
          url,
          webhooks: [{ events: [...events], jqlFilter: `project = "${projectKey.replace(/"/g, "")}"` }],
        }),
        "the webhook registration",
      );
      const ids = reply.webhookRegistrationResult.flatMap((result) =>
        result.createdWebhookId !== undefined ? [result.createdWebhookId] : [],
      );
      if (ids.length === 0) {
        const said = reply.webhookRegistrationResult.flatMap((result) => result.errors ?? []).join(" ");
        throw new Rejected(`Jira did not register the webhook${said ? `: ${said}` : "."}`, {});
      }
      // Jira answers a registration with ids only; a refresh tells when they expire.
      return { ids, expiresAt: await webhooks.refresh(ids) };
    },
    async refresh(ids) {
      const { expirationDate } = parseResponse(
        expirationSchema,
        await rest.refreshWebhooks(ids),
        "the webhook refresh",
      );
      const expiresAt = new Date(expirationDate);
      if (Number.isNaN(expiresAt.getTime()))
        throw new Rejected("Jira answered the webhook refresh without a usable expiry date.", {});
      return expiresAt;
    },
    async delete(ids) {
      if (ids.length > 0) await rest.deleteWebhooks(ids);
    },
  };
  return { listUpdatedIssues, webhooks };
}

function usableTimeZone(zone: string | undefined): string {
  if (!zone) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

/** `yyyy-MM-dd HH:mm` in `timeZone`, rounded down to the minute (JQL's finest precision). */
export function jqlDate(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(date)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
