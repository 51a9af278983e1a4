"use client";

import Link from "next/link";

import { formatDateTime } from "~/components/integrations/format";
import { LoadingBlock } from "~/components/integrations/query-problem";
import { TicketScreenshots } from "~/components/support/screenshots";
import { Fact } from "~/components/ui/fact";

import { ExternalIssueCard } from "./external-issue-card";
import { CATEGORY_LABELS, PRIORITY_LABELS, TICKET_STATUS_LABELS, labelOf } from "./labels";
import { TicketQueryProblem } from "./ticket-query-problem";
import { TicketWorkPanel } from "./ticket-work-panel";
import { usePollingWindow, useTicket, type TicketDetails } from "./use-tickets";

const SOURCE_LABELS: Record<string, string> = {
  FORM: "Ticket form",
  AI: "AI ticket creation",
  AI_ISSUE_GROUP: "AI issue group",
  VIOLATION: "Compliance violation",
  RELEASE: "Release",
  PORTAL: "Support center",
  JIRA: "Imported from Jira",
};

/** A ticket, its external issues (kept up to date while one is pending) and their stored responses. */
export function TicketDetail({ id }: { id: string }) {
  const polling = usePollingWindow();
  const ticket = useTicket(id, { poll: polling.open });
  if (ticket.isPending) return <LoadingBlock label="Loading the ticket…" />;
  if (ticket.isError)
    return <TicketQueryProblem error={ticket.error} onRetry={() => void ticket.refetch()} />;
  return <TicketDetailView ticket={ticket.data} watching={polling.open} onWatchAgain={polling.restart} />;
}

function TicketDetailView({
  ticket,
  watching,
  onWatchAgain,
}: {
  ticket: TicketDetails;
  watching: boolean;
  onWatchAgain: () => void;
}) {
  return (
    <div className="space-y-6">
      <header>
        <Link href="/tickets" className="text-sm font-medium text-brand-700 hover:underline">
          <span aria-hidden="true">←</span> Tickets
        </Link>
        <h1 className="mt-2 text-2xl font-semibold break-words text-slate-900" data-testid="ticket-title">
          <span className="font-mono text-slate-600">#{ticket.number}</span> {ticket.title}
        </h1>
      </header>

      <section aria-label="Ticket facts" className="rounded-2xl border border-slate-200 bg-white p-5">
        <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-3 lg:grid-cols-4">
          <Fact label="Status">{labelOf(TICKET_STATUS_LABELS, ticket.status)}</Fact>
          <Fact label="Category">{labelOf(CATEGORY_LABELS, ticket.category)}</Fact>
          <Fact label="Priority">{labelOf(PRIORITY_LABELS, ticket.priority)}</Fact>
          <Fact label="Source">{SOURCE_LABELS[ticket.source] ?? ticket.source}</Fact>
          <Fact label="Reporter">{ticket.reporter?.name ?? ticket.reporter?.email ?? "Unknown"}</Fact>
          <Fact label="Assignee">{ticket.assignee?.name ?? ticket.assignee?.email ?? "Unassigned"}</Fact>
          <Fact label="Created">
            <time dateTime={new Date(ticket.createdAt).toISOString()}>
              {formatDateTime(ticket.createdAt)}
            </time>
          </Fact>
          <Fact label="Updated">
            <time dateTime={new Date(ticket.updatedAt).toISOString()}>
              {formatDateTime(ticket.updatedAt)}
            </time>
          </Fact>
        </dl>
      </section>

      <section
        aria-labelledby="description-heading"
        className="rounded-2xl border border-slate-200 bg-white p-5"
      >
        <h2 id="description-heading" className="font-semibold text-slate-900">
          Description
        </h2>
        {ticket.description ? (
          // Shown as text: any markup in it appears as typed, never rendered.
          <div
            data-testid="ticket-description"
            className="mt-3 font-mono text-sm whitespace-pre-wrap break-words text-slate-800"
          >
            {ticket.description}
          </div>
        ) : (
          <p className="mt-3 text-sm text-slate-600">No description.</p>
        )}
        <TicketScreenshots ticketId={ticket.id} />
      </section>

      <TicketWorkPanel ticket={ticket} />

      <section
        aria-labelledby="external-heading"
        className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5"
      >
        <h2 id="external-heading" className="font-semibold text-slate-900">
          External issues
        </h2>
        {ticket.externalIssues.length === 0 ? (
          <p className="text-sm text-slate-600" data-testid="kept-internal">
            Kept internal: this ticket is not linked to an external issue.
          </p>
        ) : (
          ticket.externalIssues.map((link) => (
            <ExternalIssueCard
              key={link.externalIssueId}
              ticketId={ticket.id}
              link={link}
              watching={watching}
              onWatchAgain={onWatchAgain}
            />
          ))
        )}
      </section>
    </div>
  );
}
