import "server-only";

import { Prisma } from "~/generated/prisma/client";
import { db } from "~/server/db";

/**
 * Full-text search over tickets: the generated `search` document (title weighted above
 * description, English stemming, GIN index `Ticket_search_idx`) queried with
 * websearch_to_tsquery, which accepts any text a person types (quotes, `-word`, `or`) and never
 * fails on syntax. A ticket number (`12`, `#12`) or an external key (`DEMO-4`) matches too.
 */

const NUMBER = /^#?(\d{1,9})$/;
const EXTERNAL_KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/;

/** The text query as SQL; an input of only stop words or symbols matches nothing. */
export const tsQuery = (search: string) => Prisma.sql`websearch_to_tsquery('english', ${search})`;

/**
 * A WHERE condition on the ticket alias `t` (of an organization already restricted by the
 * caller). Plain words stay a single `@@` so PostgreSQL can answer from the GIN index; numbers
 * and keys add their matches as an id set, each found through its own index.
 */
export function ticketSearchCondition(organizationId: string, search: string): Prisma.Sql {
  const text = Prisma.sql`t.search @@ ${tsQuery(search)}`;
  const number = NUMBER.exec(search)?.[1];
  // `#12` can only mean the ticket number; a bare `12` may also be a word of the text.
  if (number && search.startsWith("#")) return Prisma.sql`t.number = ${Number(number)}`;
  const isKey = EXTERNAL_KEY.test(search);
  if (!number && !isKey) return text;
  const others = number
    ? Prisma.sql`SELECT n.id FROM "Ticket" n WHERE n."organizationId" = ${organizationId} AND n.number = ${Number(number)}`
    : Prisma.sql`SELECT e."ticketId" FROM "ExternalIssue" e
                 WHERE e."organizationId" = ${organizationId} AND e."externalKey" = ${search.toUpperCase()}`;
  return Prisma.sql`t.id IN (
    SELECT s.id FROM "Ticket" s WHERE s."organizationId" = ${organizationId} AND s.search @@ ${tsQuery(search)}
    UNION ${others})`;
}

/** How well a ticket matches (title words weigh more), for ordering by relevance. */
export const searchRank = (search: string) => Prisma.sql`ts_rank(t.search, ${tsQuery(search)})`;

/**
 * Ids of the tickets matching a search, best match first, within an organization and optionally one reporter:
 * for Prisma queries, which cannot express `@@`. Meant for bounded scopes (a customer's own
 * tickets); the agents' list filters in SQL with `ticketSearchCondition` instead.
 */
export async function matchingTicketIds(
  scope: { organizationId: string; reporterId?: string },
  search: string,
): Promise<string[]> {
  const reporter = scope.reporterId ? Prisma.sql`AND t."reporterId" = ${scope.reporterId}` : Prisma.empty;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT t.id FROM "Ticket" t
    WHERE t."organizationId" = ${scope.organizationId} ${reporter}
      AND ${ticketSearchCondition(scope.organizationId, search)}
    ORDER BY ${searchRank(search)} DESC, t.number DESC`;
  return rows.map((row) => row.id);
}
