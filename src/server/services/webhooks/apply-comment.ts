import "server-only";

import type { JiraWebhookComment, JiraWebhookEvent } from "~/server/integrations/jira/webhook";

import {
  changesAwaitingEcho,
  ECHO,
  findLinkedIssue,
  ignored,
  memberForAtlassianAccount,
  notLinked,
  payloadField,
  processed,
  recordInboundSync,
  type SyncOutcome,
  type SyncScope,
} from "./sync-scope";

/**
 * `comment_created`: the Jira comment as a ticket comment, once. A comment TicketBridge posted
 * itself comes back too; it is recognised by its external id, or, when the webhook beats the
 * outbox to storing that id, by its text among the comments still awaiting their echo.
 */

type CommentCreated = Extract<JiraWebhookEvent, { kind: "comment_created" }>;

export async function applyComment(scope: SyncScope, event: CommentCreated): Promise<SyncOutcome> {
  const link = await findLinkedIssue(scope, event.issueId);
  if (!link?.ticketId) return ignored(notLinked(`id ${event.issueId}`));
  const { comment } = event;
  if (await isStored(scope, link.ticketId, comment.id))
    return ignored(`${ECHO}: Jira comment ${comment.id} is already stored`);
  if (await isOursComingBack(scope, link.id, link.ticketId, comment))
    return ignored(`${ECHO}: Jira comment ${comment.id} was sent from TicketBridge`);

  const visibility = comment.internal ? "INTERNAL" : "PUBLIC";
  const created = await scope.tx.comment.create({
    data: {
      organizationId: scope.organizationId,
      ticketId: link.ticketId,
      authorId: await memberForAtlassianAccount(scope, comment.authorAccountId),
      authorName: comment.authorName,
      body: comment.body,
      visibility,
      source: "JIRA",
      externalId: comment.id,
    },
    select: { id: true },
  });
  // A comment is activity: the ticket is no longer stale (and its update time moves on).
  await scope.tx.ticket.updateMany({
    where: { id: link.ticketId, organizationId: scope.organizationId },
    data: { staleSince: null },
  });
  if (visibility === "PUBLIC") {
    // A public answer in Jira is the team's response too.
    await scope.tx.ticket.updateMany({
      where: { id: link.ticketId, organizationId: scope.organizationId, firstResponseAt: null },
      data: { firstResponseAt: new Date() },
    });
  }
  const author = comment.authorName ?? "someone in Jira";
  await recordInboundSync(scope, link, {
    ticketId: link.ticketId,
    reason: `Jira comment ${comment.id} by ${author}`,
    after: { commentId: created.id, externalId: comment.id, visibility },
  });
  return processed(`Added ${visibility.toLowerCase()} comment ${comment.id} by ${author}`);
}

function isStored({ tx, organizationId }: SyncScope, ticketId: string, externalId: string) {
  return tx.comment
    .findFirst({ where: { organizationId, ticketId, externalId }, select: { id: true } })
    .then(Boolean);
}

async function isOursComingBack(
  scope: SyncScope,
  externalIssueId: string,
  ticketId: string,
  comment: JiraWebhookComment,
): Promise<boolean> {
  const sent = await changesAwaitingEcho(scope, externalIssueId, "COMMENT");
  const ids = sent
    .map(({ payload }) => payloadField(payload, "commentId"))
    .filter((id): id is string => typeof id === "string");
  if (ids.length === 0) return false;
  const ours = await scope.tx.comment.findMany({
    where: { id: { in: ids }, organizationId: scope.organizationId, ticketId, source: "APP" },
    select: { body: true, externalId: true },
  });
  const text = comparable(comment.body);
  return ours.some(
    (mine) => mine.externalId === comment.id || (mine.externalId === null && comparable(mine.body) === text),
  );
}

/** Text as Jira gives it back: whitespace collapsed. */
const comparable = (text: string) => text.replace(/\s+/g, " ").trim();
