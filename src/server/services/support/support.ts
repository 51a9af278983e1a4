import "server-only";

import type { z } from "zod";

import type { Prisma, TicketType } from "~/generated/prisma/client";
import type { TicketCategory } from "~/lib/domain";
import { env } from "~/env";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError, parseInput } from "~/server/errors";
import { ATTACHMENT_SUMMARY, linkDrafts } from "~/server/services/attachments/attachments";
import { settingsOf } from "~/server/services/integrations/integrations";
import { postComment } from "~/server/services/tickets/ticket-changes";
import { matchingTicketIds } from "~/server/services/tickets/ticket-search";
import { queueAttachmentChanges, sendExternalChangesNow } from "~/server/services/tickets/external-changes";
import { fileTicket, type FilingDestination } from "~/server/services/tickets/tickets";

import {
  fileSupportRequestInput,
  listMyTicketsInput,
  replyInput,
  type SUPPORT_KINDS,
} from "./support.schema";

/**
 * The support center: customers file bug reports, feature requests and support tickets, follow
 * their own tickets and talk to the team. A customer only ever reaches tickets they reported, and
 * never an internal comment.
 */

type SupportKind = (typeof SUPPORT_KINDS)[number];
type SupportRequest = z.output<typeof fileSupportRequestInput>;

const TYPE_BY_KIND: Record<SupportKind, TicketType> = { bug: "BUG", feature: "FEATURE", support: "SUPPORT" };
const KIND_BY_TYPE: Record<TicketType, SupportKind> = { BUG: "bug", FEATURE: "feature", SUPPORT: "support" };

function categoryOf(request: SupportRequest): TicketCategory {
  if (request.kind === "bug") return "bug";
  if (request.kind === "feature") return "feature_request";
  return request.supportCategory === "technical"
    ? "technical"
    : request.supportCategory === "billing"
      ? "billing"
      : "general";
}

/** The customer's fields, kept on the ticket and written out in the external issue's description. */
function detailsOf(request: SupportRequest): Record<string, string> {
  const { kind: _kind, summary: _summary, description: _description, priority: _priority, ...rest } = request;
  return Object.fromEntries(
    Object.entries(rest).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== "",
    ),
  );
}

const DETAIL_HEADINGS: Record<string, string> = {
  stepsToReproduce: "Steps to reproduce",
  expectedBehavior: "Expected behaviour",
  actualBehavior: "Actual behaviour",
  environment: "Environment",
  businessValue: "Business value",
  useCase: "Use case",
  supportCategory: "Category",
};

function describe(request: SupportRequest): string {
  const sections = Object.entries(detailsOf(request)).map(
    ([field, value]) => `**${DETAIL_HEADINGS[field] ?? field}**\n${value}`,
  );
  return [request.description, ...sections].join("\n\n");
}

/**
 * Where support requests go: the active integration marked as the support default that takes the
 * category, else the first active one that does; none keeps the ticket internal.
 */
async function supportDestination(
  viewer: Viewer,
  category: TicketCategory,
): Promise<FilingDestination | null> {
  const candidates = await db.integration.findMany({
    where: { organizationId: viewer.organizationId, status: "ACTIVE", deletedAt: null },
    orderBy: { activatedAt: "asc" },
  });
  const taking = candidates.filter((integration) =>
    settingsOf(integration).supportedCategories.includes(category),
  );
  const chosen = taking.find((integration) => settingsOf(integration).supportDefault) ?? taking[0];
  return chosen ? { integrationId: chosen.id } : null;
}

export async function fileSupportRequest(viewer: Viewer, input: z.input<typeof fileSupportRequestInput>) {
  const request = parseInput(fileSupportRequestInput, input, "request");
  const category = categoryOf(request);
  const attachmentIds = request.kind === "bug" ? request.attachmentIds : [];
  let attachmentChangeIds: string[] = [];
  const { ticket, integrationResult } = await fileTicket(
    viewer,
    {
      title: request.summary,
      description: describe(request),
      category,
      priority: request.priority,
      source: "PORTAL",
      type: TYPE_BY_KIND[request.kind],
      details: { ...detailsOf(request), description: request.description },
    },
    await supportDestination(viewer, category),
    {
      // Screenshots are linked with the ticket, and queued for its Jira issue, or nothing is filed.
      alsoInTransaction: async (tx, filed) => {
        await linkDrafts(tx, viewer, filed.id, attachmentIds);
        attachmentChangeIds = await queueAttachmentChanges(tx, filed.id, attachmentIds);
      },
    },
  );
  // Uploaded now when the issue was created in time; otherwise once it is (the queued jobs).
  if (integrationResult?.success && attachmentChangeIds.length > 0)
    await sendExternalChangesNow(attachmentChangeIds, env.INLINE_CREATION_DEADLINE_MS);
  return {
    id: ticket.id,
    number: ticket.number,
    externalKey: integrationResult?.success ? integrationResult.externalTicketId : null,
    externalUrl: integrationResult?.success ? integrationResult.externalTicketUrl : null,
    attachmentCount: attachmentIds.length,
  };
}

const MY_TICKET_SUMMARY = {
  id: true,
  number: true,
  title: true,
  type: true,
  status: true,
  priority: true,
  createdAt: true,
  updatedAt: true,
  externalIssues: {
    where: { syncState: "CREATED" },
    select: { externalKey: true, url: true },
    take: 1,
  },
} satisfies Prisma.TicketSelect;

export async function listMyTickets(viewer: Viewer, input: z.input<typeof listMyTicketsInput>) {
  const filters = parseInput(listMyTicketsInput, input, "filters");
  // Full-text search (stemmed, indexed) within the customer's own tickets, best match first.
  const ranked = filters.search
    ? await matchingTicketIds(
        { organizationId: viewer.organizationId, reporterId: viewer.userId },
        filters.search,
      )
    : null;
  const where: Prisma.TicketWhereInput = {
    organizationId: viewer.organizationId,
    reporterId: viewer.userId,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.kind ? { type: TYPE_BY_KIND[filters.kind] } : {}),
    ...(ranked ? { id: { in: ranked } } : {}),
  };
  const skip = (filters.page - 1) * filters.pageSize;
  const [total, items] = ranked
    ? await rankedPage(where, ranked, skip, filters.pageSize)
    : await Promise.all([
        db.ticket.count({ where }),
        db.ticket.findMany({
          where,
          orderBy: { createdAt: "desc" },
          skip,
          take: filters.pageSize,
          select: MY_TICKET_SUMMARY,
        }),
      ]);
  return {
    items: items.map(({ externalIssues, type, ...ticket }) => ({
      ...ticket,
      kind: KIND_BY_TYPE[type],
      externalKey: externalIssues[0]?.externalKey ?? null,
      externalUrl: externalIssues[0]?.url ?? null,
    })),
    total,
    page: filters.page,
    pageCount: Math.max(1, Math.ceil(total / filters.pageSize)),
  };
}

/** A page of search results in the order of `ranked` (one customer's matches: ids only in memory). */
async function rankedPage(where: Prisma.TicketWhereInput, ranked: string[], skip: number, take: number) {
  const filtered = new Set((await db.ticket.findMany({ where, select: { id: true } })).map((row) => row.id));
  const pageIds = ranked.filter((id) => filtered.has(id)).slice(skip, skip + take);
  const rows = await db.ticket.findMany({ where: { id: { in: pageIds } }, select: MY_TICKET_SUMMARY });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return [filtered.size, pageIds.flatMap((id) => byId.get(id) ?? [])] as const;
}

/** One of the viewer's own tickets with its public conversation; anyone else's is NOT_FOUND. */
export async function getMyTicket(viewer: Viewer, id: string) {
  const ticket = await db.ticket.findFirst({
    where: { id, organizationId: viewer.organizationId, reporterId: viewer.userId },
    select: {
      ...MY_TICKET_SUMMARY,
      description: true,
      details: true,
      // Only reached through the reporter's own ticket (the where above).
      files: ATTACHMENT_SUMMARY,
      comments: {
        where: { visibility: "PUBLIC" },
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          body: true,
          createdAt: true,
          source: true,
          authorName: true,
          author: { select: { id: true, name: true } },
        },
      },
    },
  });
  if (!ticket) throw new AppError("NOT_FOUND", "This ticket does not exist.");
  const { externalIssues, type, details, comments, files, ...rest } = ticket;
  return {
    ...rest,
    kind: KIND_BY_TYPE[type],
    description: (details as { description?: string } | null)?.description ?? rest.description,
    externalKey: externalIssues[0]?.externalKey ?? null,
    externalUrl: externalIssues[0]?.url ?? null,
    attachments: files,
    comments: comments.map(({ author, authorName, ...comment }) => ({
      ...comment,
      authorName: author?.name ?? authorName ?? "Support team",
      mine: author?.id === viewer.userId,
    })),
  };
}

export async function replyToMyTicket(viewer: Viewer, input: z.input<typeof replyInput>) {
  const { ticketId, body } = parseInput(replyInput, input, "reply");
  const owned = await db.ticket.findFirst({
    where: { id: ticketId, organizationId: viewer.organizationId, reporterId: viewer.userId },
    select: { id: true },
  });
  if (!owned) throw new AppError("NOT_FOUND", "This ticket does not exist.");
  const { commentId } = await postComment(viewer, ticketId, body, false);
  return { commentId };
}
