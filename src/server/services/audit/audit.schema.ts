import { z } from "zod";

export const listAuditEventsInput = z.object({
  limit: z.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
  /** Filters: an action prefix ("integration.", "external_issue.failed"), an entity type, an entity. */
  action: z.string().trim().max(100).optional(),
  entityType: z.string().trim().max(50).optional(),
  entityId: z.string().trim().max(100).optional(),
});

export type ListAuditEventsInput = z.input<typeof listAuditEventsInput>;
