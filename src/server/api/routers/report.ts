import { generateReportInput, reportIdInput } from "~/server/services/reports/reports.schema";
import { generateReport, getReport, listReports } from "~/server/services/reports/reports";

import { agentProcedure, createTRPCRouter } from "../trpc";

/** Weekly reports: agents, admins and owners read, download and generate them. */
export const reportRouter = createTRPCRouter({
  list: agentProcedure.query(({ ctx }) => listReports(ctx.viewer)),
  get: agentProcedure.input(reportIdInput).query(({ ctx, input }) => getReport(ctx.viewer, input)),
  generate: agentProcedure
    .input(generateReportInput)
    .mutation(({ ctx, input }) => generateReport(ctx.viewer, input)),
});
