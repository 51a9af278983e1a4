import { z } from "zod";

export const reportIdInput = z.object({ id: z.string().trim().min(1) });

/** "Generate now": the week running now, or the week before it. */
export const REPORT_WEEKS = ["current", "last"] as const;
export const generateReportInput = z.object({ week: z.enum(REPORT_WEEKS) });
export type GenerateReportInput = z.input<typeof generateReportInput>;
