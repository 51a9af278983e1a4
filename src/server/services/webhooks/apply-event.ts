import "server-only";

import type { JiraWebhookEvent } from "~/server/integrations/jira/webhook";

import { applyComment } from "./apply-comment";
import { applyIssueUpdate } from "./apply-update";
import { importIssue } from "./import-issue";
import { ignored, type SyncOutcome, type SyncScope } from "./sync-scope";

/**
 * One change from Jira, applied to the app: the same code whether a webhook delivered it or
 * polling found it, so echo suppression and comment deduplication hold for both.
 */
export function applyJiraEvent(scope: SyncScope, event: JiraWebhookEvent): Promise<SyncOutcome> {
  switch (event.kind) {
    case "issue_updated":
      return applyIssueUpdate(scope, event);
    case "comment_created":
      return applyComment(scope, event);
    case "issue_created":
      return importIssue(scope, event.issue);
    case "unhandled":
      return Promise.resolve(ignored(`Jira event "${event.event}" is not synced`));
  }
}
