/**
 * Delivers Jira webhook events (jira:issue_created, jira:issue_updated, comment_created) to
 * registered loopback URLs: fire and forget, one retry.
 *
 * - Admin webhooks (POST /__sandbox/webhooks) are signed like Jira's secret-protected webhooks:
 *   `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>`.
 * - Dynamic webhooks (POST /rest/api/3/webhook by an OAuth app) carry
 *   `Authorization: Bearer <JWT>` (HS256, signed with the app's client secret).
 *
 * Like real Jira, payloads use the REST v2 representation: `self` links point at /rest/api/2 and
 * rich-text fields (description, comment body) are plain strings, not ADF.
 */
import { createHmac, randomUUID } from "node:crypto";
import { adfPlainText, type AdfDocument } from "./adf";
import { siteUrl, type OAuthClientConfig } from "./fixtures";
import { isLoopbackUrl, jiraDate } from "./http";
import { compileJql, parseJql } from "./jira/jql";
import { allIssueFields, commentJson, userDetailsById, type Links } from "./jira/representations";
import { projectOf } from "./jira/store";
import type {
  AdminWebhook,
  ChangelogEntry,
  DynamicWebhook,
  SandboxState,
  SiteState,
  StoredComment,
  StoredIssue,
} from "./state";

export const WEBHOOK_EVENTS = [
  "jira:issue_created",
  "jira:issue_updated",
  "jira:issue_deleted",
  "comment_created",
  "comment_updated",
  "comment_deleted",
  "issue_property_set",
  "issue_property_deleted",
] as const;

const RETRY_DELAY_MS = 300;
const DELIVERY_TIMEOUT_MS = 10_000;

interface Target {
  kind: "admin" | "dynamic";
  webhookId: number;
  url: string;
  headers: (body: string) => Record<string, string>;
}

export class WebhookDispatcher {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly state: SandboxState,
    private readonly publicUrl: string,
    private readonly clients: Map<string, OAuthClientConfig>,
  ) {}

  issueCreated(site: SiteState, issue: StoredIssue, actorId: string): void {
    this.emit(site, issue, "jira:issue_created", (links) => ({
      timestamp: this.state.now(),
      webhookEvent: "jira:issue_created",
      issue_event_type_name: "issue_created",
      user: userDetailsById(links, actorId),
      issue: this.issuePayload(links, site, issue),
    }));
  }

  issueUpdated(
    site: SiteState,
    issue: StoredIssue,
    actorId: string,
    change: ChangelogEntry,
    eventTypeName: string,
    comment?: StoredComment,
  ): void {
    const fieldIds = change.items.map((i) => i.fieldId);
    this.emit(
      site,
      issue,
      "jira:issue_updated",
      (links) => ({
        timestamp: this.state.now(),
        webhookEvent: "jira:issue_updated",
        issue_event_type_name: eventTypeName,
        user: userDetailsById(links, actorId),
        issue: this.issuePayload(links, site, issue),
        changelog: { id: change.id, items: change.items },
        ...(comment ? { comment: this.commentPayload(links, issue, comment) } : {}),
      }),
      fieldIds,
    );
  }

  commentCreated(site: SiteState, issue: StoredIssue, comment: StoredComment): void {
    this.emit(site, issue, "comment_created", (links) => {
      const fields = allIssueFields(links, projectOf(site, issue), issue);
      return {
        timestamp: this.state.now(),
        webhookEvent: "comment_created",
        comment: this.commentPayload(links, issue, comment),
        issue: {
          id: issue.id,
          self: `${links.apiBase}/rest/api/2/issue/${issue.id}`,
          key: issue.key,
          fields: {
            summary: fields.summary,
            status: fields.status,
            priority: fields.priority,
            issuetype: fields.issuetype,
            project: fields.project,
            assignee: fields.assignee,
          },
        },
      };
    });
  }

  /** Resolves once every delivery started so far has finished (tests use it). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private emit(
    site: SiteState,
    issue: StoredIssue,
    event: string,
    build: (links: Links) => Record<string, unknown>,
    changedFieldIds?: string[],
  ): void {
    const targets = this.targetsFor(site, issue, event, changedFieldIds);
    if (targets.length === 0) return;
    const base = siteUrl(this.publicUrl, site.site);
    const payload = build({ apiBase: base, siteBase: base, publicUrl: this.publicUrl });
    const body = JSON.stringify(payload);
    for (const target of targets) {
      const delivery = this.deliver(target, event, body).finally(() => this.inFlight.delete(delivery));
      this.inFlight.add(delivery);
    }
  }

  private targetsFor(
    site: SiteState,
    issue: StoredIssue,
    event: string,
    changedFieldIds?: string[],
  ): Target[] {
    const now = this.state.now();
    const matchesJql = (jql: string | null) => {
      if (!jql) return true;
      try {
        return compileJql(parseJql(jql), { site, accountId: null, now }).matches(issue);
      } catch {
        return false;
      }
    };
    const admin = this.state.adminWebhooks
      .filter(
        (w) =>
          (w.cloudId === null || w.cloudId === site.site.cloudId) &&
          (w.events === null || w.events.includes(event)) &&
          matchesJql(w.jqlFilter),
      )
      .map((w) => this.adminTarget(w));
    const dynamic = this.state.dynamicWebhooks
      .filter(
        (w) =>
          w.cloudId === site.site.cloudId &&
          w.events.includes(event) &&
          w.expirationDate > now &&
          matchesJql(w.jqlFilter) &&
          (!w.fieldIdsFilter ||
            !changedFieldIds ||
            w.fieldIdsFilter.some((f) => changedFieldIds.includes(f))),
      )
      .flatMap((w) => this.dynamicTarget(w, site));
    return [...admin, ...dynamic];
  }

  private adminTarget(webhook: AdminWebhook): Target {
    return {
      kind: "admin",
      webhookId: webhook.id,
      url: webhook.url,
      headers: (body): Record<string, string> =>
        webhook.secret
          ? { "X-Hub-Signature": `sha256=${createHmac("sha256", webhook.secret).update(body).digest("hex")}` }
          : {},
    };
  }

  private dynamicTarget(webhook: DynamicWebhook, site: SiteState): Target[] {
    const client = this.clients.get(webhook.clientId);
    if (!client) return [];
    return [
      {
        kind: "dynamic",
        webhookId: webhook.id,
        url: webhook.url,
        headers: () => ({
          Authorization: `Bearer ${signWebhookJwt(client, siteUrl(this.publicUrl, site.site), this.state.now())}`,
        }),
      },
    ];
  }

  private async deliver(target: Target, event: string, body: string): Promise<void> {
    const identifier = randomUUID();
    let status: number | null = null;
    let error: string | null = null;
    let attempts = 0;
    // Never send anything off this machine.
    if (!isLoopbackUrl(target.url)) error = "refused: only loopback webhook URLs are delivered";
    for (const retry of [0, 1]) {
      if (retry > 0) await sleep(RETRY_DELAY_MS, this.abort.signal);
      if (this.abort.signal.aborted || error?.startsWith("refused")) break;
      attempts += 1;
      try {
        const response = await fetch(target.url, {
          method: "POST",
          body,
          headers: {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Atlassian Webhook HTTP Client",
            "X-Atlassian-Webhook-Identifier": identifier,
            ...(retry > 0 ? { "X-Atlassian-Webhook-Retry": String(retry) } : {}),
            ...target.headers(body),
          },
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        status = response.status;
        error = null;
        if (status < 500 && status !== 429) break;
      } catch (e) {
        status = null;
        error = e instanceof Error ? e.message : String(e);
      }
    }
    this.state.recordDelivery({
      at: new Date(this.state.now()).toISOString(),
      webhookId: target.webhookId,
      kind: target.kind,
      url: target.url,
      event,
      status,
      error,
      attempts,
    });
  }

  private issuePayload(links: Links, site: SiteState, issue: StoredIssue) {
    const fields = allIssueFields(links, projectOf(site, issue), issue);
    // Webhooks carry REST v2 shapes: rich text as plain strings.
    for (const [name, value] of Object.entries(fields)) {
      if (isAdf(value)) fields[name] = adfPlainText(value);
    }
    fields.comment = {
      comments: issue.comments.map((c) => this.commentPayload(links, issue, c)),
      maxResults: issue.comments.length,
      total: issue.comments.length,
      startAt: 0,
    };
    return { id: issue.id, self: `${links.apiBase}/rest/api/2/issue/${issue.id}`, key: issue.key, fields };
  }

  private commentPayload(links: Links, issue: StoredIssue, comment: StoredComment) {
    const json = commentJson(links, issue, comment);
    return {
      ...json,
      self: `${links.apiBase}/rest/api/2/issue/${issue.id}/comment/${comment.id}`,
      body: adfPlainText(comment.body),
      created: jiraDate(comment.created),
    };
  }
}

function isAdf(value: unknown): value is AdfDocument {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "doc";
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString("base64url");
}

/** HS256 JWT with the app's client secret, like Jira's OAuth 2.0 app webhooks. */
export function signWebhookJwt(client: OAuthClientConfig, issuer: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const claims = base64url(
    JSON.stringify({ iss: issuer, aud: client.clientId, sub: "jira-webhook", iat, exp: iat + 300 }),
  );
  const signature = createHmac("sha256", client.clientSecret)
    .update(`${header}.${claims}`)
    .digest("base64url");
  return `${header}.${claims}.${signature}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
