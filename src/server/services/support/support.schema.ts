import { z } from "zod";

import { TICKET_PRIORITIES } from "~/lib/domain";
import { attachmentIdsInput } from "~/server/services/attachments/attachments.schema";
import { MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH } from "~/server/services/tickets/tickets.schema";

/** What customers file in the support center, and how they read it back. */

export const SUPPORT_KINDS = ["bug", "feature", "support"] as const;
export const SUPPORT_CATEGORIES = ["technical", "billing", "training", "account", "other"] as const;

const optionalText = (label: string, max = 4_000) =>
  z
    .string()
    .trim()
    .max(max, `Keep ${label} under ${max.toLocaleString("en")} characters.`)
    .optional()
    .transform((value) => (value ? value : undefined));

/** Screenshots belong to bug reports: anywhere else they are refused rather than dropped. */
const noScreenshots = z
  .array(z.string())
  .max(0, "Screenshots can be attached to bug reports only.")
  .optional()
  .transform(() => undefined);

const common = {
  summary: z
    .string()
    .trim()
    .min(1, "Give it a short summary.")
    .max(MAX_TITLE_LENGTH, `Keep the summary under ${MAX_TITLE_LENGTH} characters.`),
  description: z
    .string()
    .trim()
    .min(1, "Describe what happened.")
    .max(
      MAX_DESCRIPTION_LENGTH,
      `Keep the description under ${MAX_DESCRIPTION_LENGTH.toLocaleString("en")} characters.`,
    ),
  priority: z.enum(TICKET_PRIORITIES, { message: `Choose a priority: ${TICKET_PRIORITIES.join(", ")}.` }),
};

export const fileSupportRequestInput = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("bug"),
      ...common,
      stepsToReproduce: optionalText("the steps"),
      expectedBehavior: optionalText("the expected behaviour"),
      actualBehavior: optionalText("the actual behaviour"),
      environment: optionalText("the environment", 1_000),
      /** Screenshots uploaded first (POST /api/attachments), by the ids that answered. */
      attachmentIds: attachmentIdsInput.default([]),
    }),
    z.object({
      kind: z.literal("feature"),
      ...common,
      businessValue: optionalText("the business value"),
      useCase: optionalText("the use case"),
      attachmentIds: noScreenshots,
    }),
    z.object({
      kind: z.literal("support"),
      ...common,
      supportCategory: z.enum(SUPPORT_CATEGORIES, {
        message: `Choose a category: ${SUPPORT_CATEGORIES.join(", ")}.`,
      }),
      attachmentIds: noScreenshots,
    }),
  ],
  { error: "Choose what you are filing: a bug report, a feature request or a support ticket." },
);
export type FileSupportRequestInput = z.input<typeof fileSupportRequestInput>;

export const listMyTicketsInput = z.object({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(50).default(20),
  status: z.enum(["OPEN", "IN_PROGRESS", "RESOLVED", "CLOSED"]).optional(),
  kind: z.enum(SUPPORT_KINDS).optional(),
  search: z.string().trim().max(200).optional(),
});
export type ListMyTicketsInput = z.input<typeof listMyTicketsInput>;

export const myTicketIdInput = z.object({ id: z.string().trim().min(1) });

export const replyInput = z.object({
  ticketId: z.string().trim().min(1),
  body: z
    .string()
    .trim()
    .min(1, "Write something first.")
    .max(32_000, "Keep the reply under 32,000 characters."),
});
