"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import type { ListMyTicketsInput } from "~/server/services/support/support.schema";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { refreshQueries } from "~/trpc/refresh-queries";

export type MyTicket = RouterOutputs["support"]["myTicket"];
export type MyTicketListItem = RouterOutputs["support"]["myTickets"]["items"][number];

/** While a customer looks at a ticket, it is read again now and then, to show the team's changes. */
const REFRESH_MS = 10_000;

export function useMyTickets(filters: ListMyTicketsInput) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.support.myTickets.queryOptions(filters), placeholderData: keepPreviousData });
}

export function useMyTicket(id: string) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.support.myTicket.queryOptions({ id }), refetchInterval: REFRESH_MS });
}

export function useFileSupportRequest() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.support.file.mutationOptions({
      onSuccess: () => refreshQueries(queryClient, [trpc.support.myTickets.queryKey()]),
    }),
  );
}

export function useReply(ticketId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.support.reply.mutationOptions({
      onSuccess: () => refreshQueries(queryClient, [trpc.support.myTicket.queryKey({ id: ticketId })]),
    }),
  );
}
