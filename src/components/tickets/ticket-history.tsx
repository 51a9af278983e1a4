"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

import { auditHrefFor } from "~/components/audit/audit-filters";
import { formatDateTime } from "~/components/integrations/format";
import type { RouterOutputs } from "~/trpc/react";
import { useTRPC } from "~/trpc/react";

type HistoryEvent = RouterOutputs["ticket"]["history"]["events"][number];

/** What each recorded action means to someone reading the ticket's history. */
const ACTION_LABELS: Record<string, string> = {
  "ticket.created": "Filed",
  "ticket.status_changed": "Status changed",
  "ticket.assigned": "Assignee changed",
  "ticket.comment_added": "Public comment added",
  "ticket.internal_comment_added": "Internal note added",
  "ticket.synced_from_jira": "Changed in Jira",
  "external_issue.created": "Created in Jira",
  "external_issue.adopted": "Linked to the issue Jira had created",
  "external_issue.retry_scheduled": "Jira creation will be retried",
  "external_issue.retry_requested": "Jira creation retried by hand",
  "external_issue.failed": "Jira creation failed",
  "external_change.sent": "Change sent to Jira",
  "external_change.failed": "Change could not be sent to Jira",
};

/** Checks again now and then: changes also arrive from Jira and from the background jobs. */
const REFRESH_MS = 15_000;

/** The ticket's full history, oldest first, for agents and admins. */
export function TicketHistory({ ticketId }: { ticketId: string }) {
  const trpc = useTRPC();
  const history = useQuery({
    ...trpc.ticket.history.queryOptions({ id: ticketId }),
    refetchInterval: REFRESH_MS,
  });
  // The ticket view above already explains a ticket that cannot be loaded.
  if (history.isError) return null;
  return (
    <section
      aria-labelledby="history-heading"
      className="mt-6 rounded-2xl border border-slate-200 bg-white p-5"
      data-testid="ticket-history"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="history-heading" className="font-semibold text-slate-900">
          History
        </h2>
        {history.data?.truncated && (
          <Link
            href={auditHrefFor("Ticket", ticketId)}
            className="text-sm text-brand-700 underline-offset-2 hover:underline"
          >
            Older events are in the audit log
          </Link>
        )}
      </div>
      {history.isPending ? (
        <p className="mt-3 text-sm text-slate-600">Loading the history…</p>
      ) : (
        <ol className="mt-3 space-y-3 border-l border-slate-200 pl-4">
          {history.data.events.map((event) => (
            <HistoryRow key={event.id} event={event} />
          ))}
        </ol>
      )}
    </section>
  );
}

function HistoryRow({ event }: { event: HistoryEvent }) {
  return (
    <li className="text-sm" data-action={event.action}>
      <div className="flex flex-wrap items-baseline gap-x-3">
        <span className="font-medium text-slate-900">{ACTION_LABELS[event.action] ?? event.action}</span>
        <span className="text-slate-600">{actorOf(event)}</span>
        <time dateTime={new Date(event.createdAt).toISOString()} className="text-slate-500">
          {formatDateTime(event.createdAt)}
        </time>
      </div>
      {event.reason && <p className="mt-0.5 break-words text-slate-700">{event.reason}</p>}
    </li>
  );
}

function actorOf(event: HistoryEvent): string {
  if (event.actor) return `by ${event.actor.name ?? event.actor.email ?? "a former member"}`;
  return event.action === "ticket.synced_from_jira" ? "from Jira" : "by TicketBridge";
}
