"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";

import type { TicketCategory } from "~/lib/domain";
import type { ListTicketsInput } from "~/server/services/tickets/tickets.schema";
import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { refreshQueries } from "~/trpc/refresh-queries";

/** Every read and change of tickets the pages make, with the cache kept in step. */

export type CreatedTicket = RouterOutputs["ticket"]["create"];
export type TicketDetails = RouterOutputs["ticket"]["get"];
export type TicketLink = TicketDetails["externalIssues"][number];
export type TicketList = RouterOutputs["ticket"]["list"];
export type TicketListItem = TicketList["items"][number];
export type ActiveIntegration = RouterOutputs["integration"]["listActive"][number];

/** What every view of an external creation needs: the creation result and the detail page's links share it. */
export type ExternalOutcome = Pick<
  TicketLink,
  "externalIssueId" | "state" | "integrationName" | "externalTicketId" | "externalTicketUrl" | "errorMessage"
>;

/** While an external issue is pending, its ticket is read again every second, for at most a minute. */
export const POLL_INTERVAL_MS = 1_000;
export const POLL_LIMIT_MS = 60_000;

export function useTicketList(filters: ListTicketsInput) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.ticket.list.queryOptions(filters), placeholderData: keepPreviousData });
}

/** Members who reported tickets here: suggestions for the customer filter. */
export function useReporters() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.ticket.reporters.queryOptions(), staleTime: 5 * 60_000 });
}

/** Integrations a ticket of this category may go to; all active ones without a category. */
export function useActiveIntegrations(category?: TicketCategory) {
  const trpc = useTRPC();
  return useQuery(trpc.integration.listActive.queryOptions(category ? { category } : {}));
}

/**
 * Stays true for `limitMs` after mount or after `restart()`; then false until restarted.
 * Bounds live polling so a page left open does not poll forever.
 */
export function usePollingWindow(limitMs = POLL_LIMIT_MS) {
  const [generation, setGeneration] = useState(0);
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setExpired(true), limitMs);
    return () => clearTimeout(timer);
  }, [generation, limitMs]);
  const restart = useCallback(() => {
    setExpired(false);
    setGeneration((value) => value + 1);
  }, []);
  return { open: !expired, restart };
}

export function hasPendingLink(ticket: TicketDetails | undefined): boolean {
  return Boolean(ticket?.externalIssues.some((link) => link.state === "PENDING"));
}

/** One ticket; with `poll`, read again every second while one of its external issues is pending. */
export function useTicket(id: string, { poll = false }: { poll?: boolean } = {}) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.ticket.get.queryOptions({ id }),
    refetchInterval: (query) => (poll && hasPendingLink(query.state.data) ? POLL_INTERVAL_MS : false),
  });
}

export function useCreateTicket() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.ticket.create.mutationOptions({
      onSuccess: () =>
        refreshQueries(queryClient, [
          trpc.ticket.list.queryKey(),
          trpc.ticket.stats.queryKey(),
          // Counters and health of the integration changed with the attempt.
          trpc.integration.listActive.queryKey(),
        ]),
    }),
  );
}

/**
 * Tries a failed external creation again. The answer is written into the ticket's cached details
 * at once, then the ticket and the list are read again.
 */
export function useRetryExternalIssue(ticketId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ticketKey = trpc.ticket.get.queryKey({ id: ticketId });
  return useMutation(
    trpc.ticket.retryExternal.mutationOptions({
      onSuccess: (result) => {
        queryClient.setQueryData(ticketKey, (ticket) =>
          ticket
            ? {
                ...ticket,
                externalIssues: ticket.externalIssues.map((link) =>
                  link.externalIssueId === result.externalIssueId ? { ...link, ...result } : link,
                ),
              }
            : ticket,
        );
      },
      onSettled: () => refreshQueries(queryClient, [ticketKey, trpc.ticket.list.queryKey()]),
    }),
  );
}

export type TicketComment = RouterOutputs["ticket"]["comments"][number];
export type TicketChangeResult = RouterOutputs["ticket"]["changeStatus"];

export function useTicketComments(ticketId: string) {
  const trpc = useTRPC();
  return useQuery(trpc.ticket.comments.queryOptions({ id: ticketId }));
}

export function useAssignableMembers() {
  const trpc = useTRPC();
  return useQuery(trpc.ticket.assignableMembers.queryOptions());
}

/** Status, assignee and comment changes: afterwards the ticket, its comments and the list are read again. */
export function useTicketChanges(ticketId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    refreshQueries(queryClient, [
      trpc.ticket.get.queryKey({ id: ticketId }),
      trpc.ticket.comments.queryKey({ id: ticketId }),
      trpc.ticket.history.queryKey({ id: ticketId }),
      trpc.ticket.list.queryKey(),
      trpc.ticket.stats.queryKey(),
    ]);
  return {
    changeStatus: useMutation(trpc.ticket.changeStatus.mutationOptions({ onSettled: refresh })),
    assign: useMutation(trpc.ticket.assign.mutationOptions({ onSettled: refresh })),
    addComment: useMutation(trpc.ticket.addComment.mutationOptions({ onSettled: refresh })),
  };
}
