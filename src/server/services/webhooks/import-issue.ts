import "server-only";

import type { Integration, Prisma } from "~/generated/prisma/client";
import { browseUrl, MARKER_LABEL_PREFIX } from "~/server/integrations/jira/mapping";
import type { JiraWebhookIssue } from "~/server/integrations/jira/webhook";
import { settingsOf } from "~/server/services/integrations/integrations";
import { MAX_DESCRIPTION_LENGTH } from "~/server/services/tickets/tickets.schema";

import { ticketKindFor, ticketPriorityFor, ticketStatusFor, ticketTitleFor } from "./inbound-mapping";
import {
  findLinkedIssue,
  ignored,
  memberForAtlassianAccount,
  processed,
  recordInboundSync,
  type SyncOutcome,
  type SyncScope,
} from "./sync-scope";

/**
 * `jira:issue_created`: an issue made in Jira becomes a ticket, when the integration's settings
 * say `importIssues: true` and the issue is in its project. Issues TicketBridge created (they
 * carry its marker label, even before the outbox has stored their id) are never imported.
 */
export async function importIssue(scope: SyncScope, issue: JiraWebhookIssue): Promise<SyncOutcome> {
  if (await findLinkedIssue(scope, issue.id)) return ignored(`${issue.key} is already linked to a ticket`);
  if (issue.fields.labels?.some((label) => label.startsWith(MARKER_LABEL_PREFIX)))
    return ignored(`${issue.key} was created by TicketBridge`);
  if (!settingsOf(scope.integration).importIssues)
    return ignored(`not imported: importing issues is off for this integration (settings.importIssues)`);
  const projectKey = configuredProject(scope.integration);
  const issueProject = issue.fields.project?.key;
  if (projectKey && issueProject && issueProject.toUpperCase() !== projectKey.toUpperCase())
    return ignored(`not imported: ${issue.key} is in project ${issueProject}, not ${projectKey}`);

  const ticket = await insertImportedTicket(scope, issue);
  return processed(`Imported ${issue.key} as ticket #${ticket.number}`);
}

function configuredProject(integration: Integration): string | null {
  const config = integration.config as { projectKey?: unknown } | null;
  return typeof config?.projectKey === "string" ? config.projectKey : null;
}

/** The ticket, numbered under the organization's row lock, with its CREATED link and audit event. */
async function insertImportedTicket(scope: SyncScope, issue: JiraWebhookIssue) {
  const { tx, organizationId, integration } = scope;
  const { fields } = issue;
  const { ticketSequence: number } = await tx.organization.update({
    where: { id: organizationId },
    data: { ticketSequence: { increment: 1 } },
    select: { ticketSequence: true },
  });
  const status = fields.status
    ? ticketStatusFor({ name: fields.status.name, categoryKey: fields.status.statusCategory?.key ?? null })
    : "OPEN";
  const priority =
    (fields.priority && ticketPriorityFor(fields.priority.name, settingsOf(integration).priorityMapping)) ??
    "medium";
  const ticket = await tx.ticket.create({
    data: {
      organizationId,
      number,
      title: ticketTitleFor(fields.summary) ?? issue.key,
      description: (fields.description ?? "").slice(0, MAX_DESCRIPTION_LENGTH),
      ...ticketKindFor(fields.issuetype?.name),
      priority,
      status,
      source: "JIRA",
      assigneeId: await memberForAtlassianAccount(scope, fields.assignee?.accountId),
    },
  });
  const link = await tx.externalIssue.create({
    data: {
      organizationId,
      integrationId: integration.id,
      ticketId: ticket.id,
      externalId: issue.id,
      externalKey: issue.key,
      url: browseUrl(integration.baseUrl, issue.key),
      externalStatus: fields.status?.name ?? null,
      issueSnapshot: issue as unknown as Prisma.InputJsonObject,
      syncState: "CREATED",
    },
    select: { id: true },
  });
  await recordInboundSync(scope, link, {
    ticketId: ticket.id,
    reason: `Imported from Jira ${issue.key} as #${number}`,
    after: { number, title: ticket.title, status, priority, externalKey: issue.key },
  });
  return ticket;
}
