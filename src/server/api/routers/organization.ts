import { listAuditEventsInput } from "~/server/services/audit/audit.schema";
import { listAuditEvents } from "~/server/services/audit/audit";
import { dashboardSummary } from "~/server/services/organizations/dashboard";
import { getCurrentOrganization } from "~/server/services/organizations/organizations";

import { adminProcedure, createTRPCRouter, protectedProcedure } from "../trpc";

export const organizationRouter = createTRPCRouter({
  current: protectedProcedure.query(({ ctx }) => getCurrentOrganization(ctx.viewer)),
  dashboard: protectedProcedure.query(({ ctx }) => dashboardSummary(ctx.viewer)),
  auditLog: adminProcedure
    .input(listAuditEventsInput)
    .query(({ ctx, input }) => listAuditEvents(ctx.viewer, input)),
});
