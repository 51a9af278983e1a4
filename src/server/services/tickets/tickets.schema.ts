import { z } from "zod";

import { TICKET_CATEGORIES, TICKET_PRIORITIES } from "~/lib/domain";

/** Jira stores at most 32,767 characters in a description; longer text would fail there. */
export const MAX_DESCRIPTION_LENGTH = 32_000;
export const MAX_TITLE_LENGTH = 255;

export const TICKET_STATUSES = ["OPEN", "IN_PROGRESS", "RESOLVED", "CLOSED"] as const;
export const SYNC_STATES = ["PENDING", "CREATED", "FAILED"] as const;

export const createTicketInput = z.object({
  title: z
    .string()
    .trim()
    .min(1, "Give the ticket a title.")
    .max(MAX_TITLE_LENGTH, `Keep the title under ${MAX_TITLE_LENGTH} characters.`),
  description: z
    .string()
    .trim()
    .max(
      MAX_DESCRIPTION_LENGTH,
      `Keep the description under ${MAX_DESCRIPTION_LENGTH.toLocaleString("en")} characters.`,
    )
    .default(""),
  category: z.enum(TICKET_CATEGORIES, { message: `Choose a category: ${TICKET_CATEGORIES.join(", ")}.` }),
  priority: z.enum(TICKET_PRIORITIES, { message: `Choose a priority: ${TICKET_PRIORITIES.join(", ")}.` }),
  /** The integration to create the external issue in; none keeps the ticket internal. */
  integrationId: z.string().trim().min(1).optional(),
  createExternally: z.boolean().default(true),
});
export type CreateTicketInput = z.input<typeof createTicketInput>;

export const TICKET_TYPES = ["BUG", "FEATURE", "SUPPORT"] as const;
/** Orders of the ticket list; relevance needs a search. `number` is also the order of creation. */
export const TICKET_SORTS = ["number", "updated", "priority", "status", "relevance"] as const;
export type TicketSort = (typeof TICKET_SORTS)[number];
export const SORT_DIRECTIONS = ["asc", "desc"] as const;

export const listTicketsInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
  status: z.enum(TICKET_STATUSES).optional(),
  syncState: z.enum(SYNC_STATES).optional(),
  category: z.enum(TICKET_CATEGORIES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  type: z.enum(TICKET_TYPES, { message: `Choose a type: ${TICKET_TYPES.join(", ")}.` }).optional(),
  integrationId: z.string().optional(),
  /** The reporter, by user id (the customer picker). */
  reporterId: z.string().trim().min(1).optional(),
  /** The reporter, by part of their name or email. */
  customer: z.string().trim().max(200).optional(),
  /** Only tickets marked stale (open past their priority's target with no update). */
  stale: z.boolean().optional(),
  search: z.string().trim().max(200).optional(),
  /** Without a sort: by relevance when searching, else newest first. */
  sort: z.enum(TICKET_SORTS, { message: `Sort by one of: ${TICKET_SORTS.join(", ")}.` }).optional(),
  direction: z
    .enum(SORT_DIRECTIONS, { message: `Choose a sort direction: ${SORT_DIRECTIONS.join(", ")}.` })
    .optional(),
});
export type ListTicketsInput = z.input<typeof listTicketsInput>;

export const ticketIdInput = z.object({ id: z.string().trim().min(1) });

export const retryExternalIssueInput = z.object({ externalIssueId: z.string().trim().min(1) });

export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const MAX_COMMENT_LENGTH = 32_000;

export const changeStatusInput = z.object({
  ticketId: z.string().trim().min(1),
  status: z.enum(TICKET_STATUSES, { message: `Choose a status: ${TICKET_STATUSES.join(", ")}.` }),
});

export const assignTicketInput = z.object({
  ticketId: z.string().trim().min(1),
  /** A member of the organization, or null to unassign. */
  assigneeId: z.string().trim().min(1).nullable(),
});

export const addCommentInput = z.object({
  ticketId: z.string().trim().min(1),
  body: z
    .string()
    .trim()
    .min(1, "Write something first.")
    .max(MAX_COMMENT_LENGTH, `Keep the comment under ${MAX_COMMENT_LENGTH.toLocaleString("en")} characters.`),
  /** Internal comments are for agents and admins only, here and in Jira. */
  internal: z.boolean().default(false),
});
