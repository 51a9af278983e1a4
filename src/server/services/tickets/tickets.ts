import "server-only";

import { randomUUID } from "node:crypto";

import type { z } from "zod";

import { env } from "~/env";
import {
  Prisma,
  type ExternalIssue,
  type Integration,
  type Ticket,
  type TicketType,
} from "~/generated/prisma/client";
import type { TicketCategory } from "~/lib/domain";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { columnsOf, prefixedColumnsOf, splitPrefixed } from "~/server/db/columns";
import { isRefusal, requireInStatement } from "~/server/db/statement-guard";
import { AppError, parseInput } from "~/server/errors";
import { recordAuditEvent } from "~/server/services/audit/audit";
import { settingsOf } from "~/server/services/integrations/integrations";
import { integrationSettingsSchema } from "~/server/services/integrations/integrations.schema";

import { requeueChangesHeldByCreation, sendExternalChangesNow } from "./external-changes";
import {
  createExternalIssueNow,
  enqueueExternalIssueCreation,
  externalIssueCreationJob,
  LEASE_AT_CREATION,
} from "./outbox";
import { searchRank, ticketSearchCondition } from "./ticket-search";
import {
  createTicketInput,
  listTicketsInput,
  retryExternalIssueInput,
  type TicketSort,
} from "./tickets.schema";

const TYPE_BY_CATEGORY: Record<TicketCategory, TicketType> = {
  bug: "BUG",
  technical: "BUG",
  feature_request: "FEATURE",
  billing: "SUPPORT",
  general: "SUPPORT",
};

/** What the form shows after submitting: the external side of the ticket, in plain terms. */
function integrationResult(externalIssue: ExternalIssue, integrationName: string) {
  return {
    externalIssueId: externalIssue.id,
    state: externalIssue.syncState,
    success: externalIssue.syncState === "CREATED",
    integrationName,
    externalTicketId: externalIssue.externalKey,
    externalTicketUrl: externalIssue.url,
    errorMessage: externalIssue.syncState === "CREATED" ? null : externalIssue.lastError,
    /** The complete answers of the external system: the creation response and the issue fetched after it. */
    integrationResponse: externalIssue.creationResponse
      ? { created: externalIssue.creationResponse, issue: externalIssue.issueSnapshot }
      : null,
  };
}
export type IntegrationResult = ReturnType<typeof integrationResult>;

/**
 * Where a filing's external issue goes. The filing statement checks the integration (this
 * organization's, active, taking the category) and returns its row, so neither costs a round trip.
 */
export type FilingDestination = { integrationId: string };

/** Why the filing statement refused its integration, as the person filing should read it. */
async function explainRefusedIntegration(viewer: Viewer, integrationId: string, category: TicketCategory) {
  await activeIntegration(viewer, integrationId, category);
  // Usable again by now (changed in between): the refusal still stands for this filing.
  return new AppError("BAD_REQUEST", `Integration '${integrationId}' not found or not active.`);
}

async function activeIntegration(viewer: Viewer, integrationId: string, category: TicketCategory) {
  const integration = await db.integration.findFirst({
    where: { id: integrationId, organizationId: viewer.organizationId, deletedAt: null, status: "ACTIVE" },
  });
  if (!integration)
    throw new AppError("BAD_REQUEST", `Integration '${integrationId}' not found or not active.`);
  if (!settingsOf(integration).supportedCategories.includes(category)) {
    throw new AppError(
      "BAD_REQUEST",
      `Integration '${integration.name}' does not take ${category.replace("_", " ")} tickets. Choose another integration or category.`,
    );
  }
  return integration;
}

/**
 * Creates a ticket. The ticket, its PENDING external link and the queued job are written in one
 * transaction; then the external issue is created inline within a short deadline. Whatever the
 * external system does, the ticket stays, and the answer says what happened.
 */
export async function createTicket(
  viewer: Viewer,
  input: z.input<typeof createTicketInput>,
  options: { inlineDeadlineMs?: number } = {},
) {
  const data = parseInput(createTicketInput, input, "ticket");
  const destination =
    data.integrationId && data.createExternally ? { integrationId: data.integrationId } : null;

  return fileTicket(
    viewer,
    {
      title: data.title,
      description: data.description,
      category: data.category,
      priority: data.priority,
      source: "FORM",
    },
    destination,
    options,
  );
}

/** A ticket about to be filed: from the form, the support center, … */
export type NewTicket = Pick<Ticket, "title" | "description" | "priority" | "source"> & {
  category: TicketCategory;
  /** Defaults to the category's type. */
  type?: TicketType;
  /** Customer fields (steps, expected, environment, business value, …). */
  details?: Prisma.InputJsonObject;
};

/**
 * Files a ticket for the viewer. The ticket, its PENDING external link and the queued job are
 * written by one statement; then the external issue is created inline within a short deadline.
 * Whatever the external system does, the ticket stays, and the answer says what happened.
 */
export async function fileTicket(
  viewer: Viewer,
  fields: NewTicket,
  destination: FilingDestination | null,
  options: {
    inlineDeadlineMs?: number;
    /** More writes that belong to the filing (a bug report's screenshots): they commit with the ticket or not at all. */
    alsoInTransaction?: (tx: Prisma.TransactionClient, ticket: Ticket) => Promise<void>;
  } = {},
) {
  const ticketFields = { ...fields, organizationId: viewer.organizationId, reporterId: viewer.userId };
  const external = destination ? await externalFiling(destination) : undefined;
  // Taken before the lease is written, so the run never counts on more lease than it has.
  const leasedAt = Date.now();
  const { alsoInTransaction } = options;
  const filing = alsoInTransaction
    ? db.$transaction(
        async (tx) => {
          const inserted = await insertTicket(tx, ticketFields, external);
          await alsoInTransaction(tx, inserted.ticket);
          return inserted;
        },
        // Bursts queue on the organization's ticket-number row; give them time rather than failing.
        { maxWait: 15_000, timeout: 15_000 },
      )
    : insertTicket(db, ticketFields, external);
  const { ticket, integration } = await filing.catch(async (error: unknown) => {
    if (external && isRefusal(error, INTEGRATION_REFUSED))
      throw await explainRefusedIntegration(viewer, external.integrationId, fields.category);
    throw error;
  });
  if (!external || !integration) return { ticket: filedTicket(ticket), integrationResult: null };

  const { externalIssueId } = external;
  const leased = {
    externalIssue: {
      id: externalIssueId,
      organizationId: viewer.organizationId,
      integrationId: integration.id,
      ticketId: ticket.id,
      attempts: 1,
    },
    integration,
    ticket,
    leasedAt,
  };
  const externalIssue = await createExternalIssueNow(leased, {
    deadlineMs: options.inlineDeadlineMs ?? env.INLINE_CREATION_DEADLINE_MS,
  });
  return {
    ticket: filedTicket(ticket),
    integrationResult: integrationResult(externalIssue, integration.name),
  };
}

/** The external side of a filing: where it goes, the link's id and its job, written with the ticket. */
async function externalFiling(destination: FilingDestination) {
  const externalIssueId = randomUUID();
  return { ...destination, externalIssueId, job: await externalIssueCreationJob(externalIssueId) };
}

/** What the answer to filing carries of the ticket: not the text the agent just sent. */
function filedTicket({ id, number, title, category, priority, status, type, createdAt }: Ticket) {
  return { id, number, title, category, priority, status, type, createdAt };
}

const TICKET_COLUMNS = columnsOf(Prisma.TicketScalarFieldEnum);
const INTEGRATION_COLUMNS = prefixedColumnsOf(Prisma.IntegrationScalarFieldEnum, "integration");

type TicketFields = NewTicket & Pick<Ticket, "organizationId" | "reporterId">;

/**
 * Numbers and inserts a ticket with its audit event (and its PENDING external link, that link's
 * job and the integration's row, read) in one statement: filing is the hottest write path, and
 * one round trip keeps it close to a bare insert.
 */
async function insertTicket(
  client: Prisma.TransactionClient,
  fields: TicketFields,
  external?: Awaited<ReturnType<typeof externalFiling>>,
): Promise<{ ticket: Ticket; integration: Integration | null }> {
  // Nothing is written unless the job is (pg-boss refuses jobs of an unknown queue), and the
  // integration takes the ticket; a refusal raises, so the job's insert is undone with the rest.
  const [queued, guarded, reasonSuffix, integrationRow] = external
    ? [
        Prisma.sql`job AS (${external.job}),`,
        Prisma.sql`AND EXISTS (SELECT 1 FROM job) AND ${integrationTakes(external.integrationId, fields)}`,
        Prisma.sql`'; creating it in ' || (SELECT name FROM "Integration" WHERE id = ${external.integrationId})`,
        Prisma.sql`, integration.* FROM ticket CROSS JOIN (
          SELECT ${INTEGRATION_COLUMNS} FROM "Integration" WHERE id = ${external.integrationId}) integration`,
      ]
    : [Prisma.empty, Prisma.empty, Prisma.sql`''`, Prisma.sql` FROM ticket`];
  const [row] = await client.$queryRaw<Record<string, unknown>[]>`
    WITH ${queued} numbered AS (
      UPDATE "Organization" SET "ticketSequence" = "ticketSequence" + 1, "updatedAt" = now()
      WHERE id = ${fields.organizationId} ${guarded} RETURNING "ticketSequence" AS number
    ), ticket AS (
      INSERT INTO "Ticket" (id, "organizationId", number, title, description, category, priority, type, source, details, "reporterId", "updatedAt")
      SELECT ${randomUUID()}, ${fields.organizationId}, number, ${fields.title}, ${fields.description},
             ${fields.category}, ${fields.priority}, ${fields.type ?? TYPE_BY_CATEGORY[fields.category]}::"TicketType",
             ${fields.source}::"TicketSource", ${fields.details ? JSON.stringify(fields.details) : null}::jsonb,
             ${fields.reporterId}, now()
      FROM numbered
      RETURNING *
    ), audit AS (
      INSERT INTO "AuditEvent" (id, "organizationId", "actorId", action, "entityType", "entityId", reason, after)
      SELECT ${randomUUID()}, "organizationId", "reporterId", 'ticket.created', 'Ticket', id,
             'Filed #' || number || ${reasonSuffix},
             jsonb_build_object('number', number, 'title', title, 'category', category, 'priority', priority)
      FROM ticket
    ), external AS (
      INSERT INTO "ExternalIssue" (id, "organizationId", "integrationId", "ticketId", attempts, "leaseUntil", "updatedAt")
      SELECT ${external?.externalIssueId ?? null}, "organizationId", ${external?.integrationId ?? null}, id,
             1, ${LEASE_AT_CREATION}, now()
      FROM ticket WHERE ${external?.externalIssueId ?? null}::text IS NOT NULL
    )
    SELECT ${TICKET_COLUMNS}${integrationRow}`;
  if (!row)
    throw new Error(
      `Filing wrote nothing: no organization ${fields.organizationId}, or the job queue refused the job.`,
    );
  const { rest, prefixed } = splitPrefixed(row, "integration");
  return { ticket: rest as Ticket, integration: external ? (prefixed as Integration) : null };
}

const INTEGRATION_REFUSED = "The integration does not take this ticket.";
const ALL_CATEGORIES = JSON.stringify(integrationSettingsSchema.parse({}).supportedCategories);

/** The filing statement's check of its integration: the same conditions as `activeIntegration`. */
function integrationTakes(integrationId: string, fields: Pick<TicketFields, "organizationId" | "category">) {
  return requireInStatement(
    Prisma.sql`EXISTS (
      SELECT 1 FROM "Integration"
      WHERE id = ${integrationId} AND "organizationId" = ${fields.organizationId} AND status = 'ACTIVE'
        AND "deletedAt" IS NULL
        AND COALESCE(settings -> 'supportedCategories', ${ALL_CATEGORIES}::jsonb) @> jsonb_build_array(${fields.category}::text)
    )`,
    INTEGRATION_REFUSED,
  );
}

/** Tries a failed external creation again (the marker check still guards against duplicates). */
export async function retryExternalIssue(viewer: Viewer, input: z.input<typeof retryExternalIssueInput>) {
  const { externalIssueId } = parseInput(retryExternalIssueInput, input, "retry");
  const externalIssue = await db.externalIssue.findFirst({
    where: { id: externalIssueId, organizationId: viewer.organizationId },
    include: { integration: true },
  });
  if (!externalIssue) throw new AppError("NOT_FOUND", "This external issue does not exist.");
  if (externalIssue.syncState === "CREATED") {
    throw new AppError(
      "CONFLICT",
      `Already created as ${externalIssue.externalKey}; there is nothing to retry.`,
    );
  }
  const { integration } = externalIssue;
  if (integration.deletedAt || integration.status !== "ACTIVE") {
    throw new AppError(
      "BAD_REQUEST",
      `Integration '${integration.name}' is ${integration.deletedAt ? "deleted" : integration.status}. Fix it under Integrations, then retry.`,
    );
  }
  const heldChanges = await db.$transaction(async (tx) => {
    await tx.externalIssue.update({
      where: { id: externalIssueId },
      data: { syncState: "PENDING", nextAttemptAt: null },
    });
    await recordAuditEvent(
      {
        organizationId: viewer.organizationId,
        actorId: viewer.userId,
        action: "external_issue.retry_requested",
        entityType: "ExternalIssue",
        entityId: externalIssueId,
        reason: externalIssue.lastError ?? undefined,
      },
      tx,
    );
    await enqueueExternalIssueCreation(tx, externalIssueId);
    return requeueChangesHeldByCreation(tx, externalIssueId);
  });
  const outcome = await createExternalIssueNow(
    { externalIssueId, integrationId: integration.id },
    { deadlineMs: env.INLINE_CREATION_DEADLINE_MS },
  );
  if (outcome.syncState === "CREATED" && heldChanges.length > 0) {
    await sendExternalChangesNow(heldChanges, env.INLINE_CREATION_DEADLINE_MS);
  }
  return integrationResult(outcome, integration.name);
}

/** A ticket's external issues as lists show them: key, link, sync state and integration. */
export const LINK_SUMMARY = {
  orderBy: { createdAt: "asc" },
  select: {
    id: true,
    syncState: true,
    externalKey: true,
    url: true,
    externalStatus: true,
    lastError: true,
    integration: { select: { id: true, name: true } },
  },
} satisfies Prisma.Ticket$externalIssuesArgs;

/** Severity order of priorities, for sorting (unknown priorities last). */
const PRIORITY_RANK = Prisma.sql`CASE t.priority WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END`;

/** Each sort's expression and its natural direction (newest, most severe, most relevant first; open before closed). */
const SORTS: Record<TicketSort, { column: (search: string) => Prisma.Sql; direction: "asc" | "desc" }> = {
  number: { column: () => Prisma.sql`t.number`, direction: "desc" },
  updated: { column: () => Prisma.sql`t."updatedAt"`, direction: "desc" },
  priority: { column: () => PRIORITY_RANK, direction: "desc" },
  status: { column: () => Prisma.sql`t.status`, direction: "asc" },
  relevance: { column: searchRank, direction: "desc" },
};

/** `%` and `_` typed by a person are literal in a name or email search. */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * Tickets filtered, sorted and paginated in the database: one count and one page of ids in SQL
 * (full-text search through the GIN index), then the page's rows with their links.
 */
export async function listTickets(viewer: Viewer, input: z.input<typeof listTicketsInput>) {
  const filters = parseInput(listTicketsInput, input, "filters");
  const organizationId = viewer.organizationId;
  const search = filters.search || undefined;
  const conditions = [Prisma.sql`t."organizationId" = ${organizationId}`];
  if (filters.status) conditions.push(Prisma.sql`t.status = ${filters.status}::"TicketStatus"`);
  if (filters.type) conditions.push(Prisma.sql`t.type = ${filters.type}::"TicketType"`);
  if (filters.category) conditions.push(Prisma.sql`t.category = ${filters.category}`);
  if (filters.priority) conditions.push(Prisma.sql`t.priority = ${filters.priority}`);
  if (filters.stale) conditions.push(Prisma.sql`t."staleSince" IS NOT NULL`);
  if (filters.customer) {
    const pattern = likePattern(filters.customer);
    conditions.push(Prisma.sql`t."reporterId" IN (
      SELECT u.id FROM "User" u WHERE u.name ILIKE ${pattern} OR u.email ILIKE ${pattern})`);
  }
  if (filters.syncState || filters.integrationId) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "ExternalIssue" e WHERE e."ticketId" = t.id
      ${filters.syncState ? Prisma.sql`AND e."syncState" = ${filters.syncState}::"SyncState"` : Prisma.empty}
      ${filters.integrationId ? Prisma.sql`AND e."integrationId" = ${filters.integrationId}` : Prisma.empty})`);
  }
  if (search) conditions.push(ticketSearchCondition(organizationId, search));
  const where = Prisma.join(conditions, " AND ");

  // Relevance needs a search; without one the list is newest first.
  const sortName = filters.sort ?? (search ? "relevance" : "number");
  const sort = SORTS[sortName === "relevance" && !search ? "number" : sortName];
  const direction = Prisma.raw(filters.direction ?? sort.direction);
  const tieBreak = sort === SORTS.number ? Prisma.empty : Prisma.sql`, t.number DESC`;
  const [[counted], page] = await Promise.all([
    db.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "Ticket" t WHERE ${where}`,
    db.$queryRaw<{ id: string }[]>`
      SELECT t.id FROM "Ticket" t WHERE ${where}
      ORDER BY ${sort.column(search ?? "")} ${direction}${tieBreak}
      LIMIT ${filters.pageSize} OFFSET ${(filters.page - 1) * filters.pageSize}`,
  ]);
  const rows = await db.ticket.findMany({
    where: { id: { in: page.map((row) => row.id) } },
    select: {
      id: true,
      number: true,
      title: true,
      category: true,
      priority: true,
      status: true,
      type: true,
      createdAt: true,
      updatedAt: true,
      staleSince: true,
      reporter: { select: { name: true, email: true } },
      externalIssues: LINK_SUMMARY,
    },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const total = counted?.total ?? 0;
  return {
    items: page.flatMap((row) => byId.get(row.id) ?? []),
    total,
    page: filters.page,
    pageSize: filters.pageSize,
    pageCount: Math.max(1, Math.ceil(total / filters.pageSize)),
    sort: sortName === "relevance" && !search ? "number" : sortName,
    direction: filters.direction ?? sort.direction,
  };
}

/** Members who have reported tickets here, for the customer filter's suggestions. */
export async function listReporters(viewer: Viewer) {
  return db.$queryRaw<{ id: string; name: string | null; email: string | null }[]>`
    SELECT u.id, u.name, u.email FROM "User" u
    JOIN "Membership" m ON m."userId" = u.id AND m."organizationId" = ${viewer.organizationId}
    WHERE u.id IN (SELECT DISTINCT t."reporterId" FROM "Ticket" t WHERE t."organizationId" = ${viewer.organizationId})
    ORDER BY u.name NULLS LAST, u.email
    LIMIT 500`;
}

export async function getTicket(viewer: Viewer, id: string) {
  const ticket = await db.ticket.findFirst({
    where: { id, organizationId: viewer.organizationId },
    include: {
      reporter: { select: { id: true, name: true, email: true } },
      assignee: { select: { id: true, name: true, email: true } },
      externalIssues: { orderBy: { createdAt: "asc" }, include: { integration: { select: { name: true } } } },
    },
  });
  if (!ticket) throw new AppError("NOT_FOUND", "This ticket does not exist.");
  const { externalIssues, ...rest } = ticket;
  return {
    ...rest,
    externalIssues: externalIssues.map((externalIssue) => ({
      ...integrationResult(externalIssue, externalIssue.integration.name),
      externalStatus: externalIssue.externalStatus,
      attempts: externalIssue.attempts,
      lastSyncedAt: externalIssue.lastSyncedAt,
    })),
  };
}
