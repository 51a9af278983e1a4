import {
  fileSupportRequestInput,
  listMyTicketsInput,
  myTicketIdInput,
  replyInput,
} from "~/server/services/support/support.schema";
import {
  fileSupportRequest,
  getMyTicket,
  listMyTickets,
  replyToMyTicket,
} from "~/server/services/support/support";

import { createTRPCRouter, protectedProcedure } from "../trpc";

/** The support center: every member files requests and follows the tickets they reported. */
export const supportRouter = createTRPCRouter({
  file: protectedProcedure
    .input(fileSupportRequestInput)
    .mutation(({ ctx, input }) => fileSupportRequest(ctx.viewer, input)),
  myTickets: protectedProcedure
    .input(listMyTicketsInput)
    .query(({ ctx, input }) => listMyTickets(ctx.viewer, input)),
  myTicket: protectedProcedure
    .input(myTicketIdInput)
    .query(({ ctx, input }) => getMyTicket(ctx.viewer, input.id)),
  reply: protectedProcedure
    .input(replyInput)
    .mutation(({ ctx, input }) => replyToMyTicket(ctx.viewer, input)),
});
