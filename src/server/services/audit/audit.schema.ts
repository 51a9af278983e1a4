import { z } from "zod";

export const listAuditEventsInput = z.object({
  limit: z.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});

export type ListAuditEventsInput = z.input<typeof listAuditEventsInput>;
