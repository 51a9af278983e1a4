"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";

import { Button, ButtonLink } from "~/components/ui/button";

import { ExternalOutcomeView } from "./external-outcome";
import { useTicket, usePollingWindow, type CreatedTicket } from "./use-tickets";

/**
 * Shown at once after submitting: the internal number (linking to the ticket) and where the
 * external issue stands, kept up to date while it is pending.
 */
export function TicketCreatedPanel({
  created,
  onFileAnother,
}: {
  created: CreatedTicket;
  onFileAnother: () => void;
}) {
  const { ticket, integrationResult } = created;
  const polling = usePollingWindow();
  const details = useTicket(ticket.id, { poll: polling.open });
  const link =
    details.data?.externalIssues.find(
      (candidate) => candidate.externalIssueId === integrationResult?.externalIssueId,
    ) ?? integrationResult;

  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  return (
    <section
      aria-labelledby="ticket-created-heading"
      data-testid="ticket-created"
      data-ticket-id={ticket.id}
      className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5"
    >
      <h2
        id="ticket-created-heading"
        ref={heading}
        tabIndex={-1}
        className="text-lg font-semibold text-slate-900"
      >
        Ticket{" "}
        <Link
          href={`/tickets/${ticket.id}`}
          data-testid="ticket-number"
          className="text-brand-700 underline underline-offset-2 hover:text-brand-800"
        >
          #{ticket.number}
        </Link>{" "}
        created
      </h2>
      <p className="text-slate-700">{ticket.title}</p>
      {link ? (
        <ExternalOutcomeView
          ticketId={ticket.id}
          link={link}
          watching={polling.open}
          onWatchAgain={polling.restart}
        />
      ) : (
        <p className="text-sm text-slate-700" data-testid="kept-internal">
          Kept internal: no external issue was requested.
        </p>
      )}
      <div className="flex flex-wrap gap-3">
        <ButtonLink href={`/tickets/${ticket.id}`}>Open ticket #{ticket.number}</ButtonLink>
        <Button variant="secondary" onClick={onFileAnother}>
          File another ticket
        </Button>
        <ButtonLink href="/tickets" variant="ghost">
          All tickets
        </ButtonLink>
      </div>
    </section>
  );
}
