import {
  addTicketComment,
  assignTicket,
  changeTicketStatus,
  listAssignableMembers,
  listTicketComments,
} from "~/server/services/tickets/ticket-changes";
import {
  addCommentInput,
  assignTicketInput,
  changeStatusInput,
  createTicketInput,
  listTicketsInput,
  retryExternalIssueInput,
  ticketIdInput,
} from "~/server/services/tickets/tickets.schema";
import { ticketHistory } from "~/server/services/tickets/ticket-history";
import { refreshTicketStats, ticketStats } from "~/server/services/tickets/ticket-stats";
import {
  createTicket,
  getTicket,
  listReporters,
  listTickets,
  retryExternalIssue,
} from "~/server/services/tickets/tickets";

import { agentProcedure, createTRPCRouter } from "../trpc";

/** Agents, admins and owners work tickets; customers use the support center. */
export const ticketRouter = createTRPCRouter({
  create: agentProcedure
    .input(createTicketInput)
    .mutation(({ ctx, input }) => createTicket(ctx.viewer, input)),
  list: agentProcedure.input(listTicketsInput).query(({ ctx, input }) => listTickets(ctx.viewer, input)),
  get: agentProcedure.input(ticketIdInput).query(({ ctx, input }) => getTicket(ctx.viewer, input.id)),
  retryExternal: agentProcedure
    .input(retryExternalIssueInput)
    .mutation(({ ctx, input }) => retryExternalIssue(ctx.viewer, input)),
  changeStatus: agentProcedure
    .input(changeStatusInput)
    .mutation(({ ctx, input }) => changeTicketStatus(ctx.viewer, input)),
  assign: agentProcedure
    .input(assignTicketInput)
    .mutation(({ ctx, input }) => assignTicket(ctx.viewer, input)),
  addComment: agentProcedure
    .input(addCommentInput)
    .mutation(({ ctx, input }) => addTicketComment(ctx.viewer, input)),
  comments: agentProcedure
    .input(ticketIdInput)
    .query(({ ctx, input }) => listTicketComments(ctx.viewer, input.id)),
  history: agentProcedure.input(ticketIdInput).query(({ ctx, input }) => ticketHistory(ctx.viewer, input.id)),
  assignableMembers: agentProcedure.query(({ ctx }) => listAssignableMembers(ctx.viewer)),
  stats: agentProcedure.query(({ ctx }) => ticketStats(ctx.viewer)),
  refreshStats: agentProcedure.mutation(({ ctx }) => refreshTicketStats(ctx.viewer)),
  reporters: agentProcedure.query(({ ctx }) => listReporters(ctx.viewer)),
});
