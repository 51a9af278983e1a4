"use client";

import { formatDateTime } from "~/components/integrations/format";
import { Fact } from "~/components/ui/fact";
import { JsonDetails } from "~/components/ui/json-details";

import { ExternalKeyLink } from "./external-key-link";
import { ExternalOutcomeView } from "./external-outcome";
import { SyncStateBadge } from "./sync-state-badge";
import type { TicketLink } from "./use-tickets";

/** One external issue of a ticket: where it stands, its facts, and the external system's stored answer. */
export function ExternalIssueCard({
  ticketId,
  link,
  watching,
  onWatchAgain,
}: {
  ticketId: string;
  link: TicketLink;
  watching: boolean;
  onWatchAgain: () => void;
}) {
  const headingId = `external-${link.externalIssueId}`;
  return (
    <article
      aria-labelledby={headingId}
      data-testid="external-issue"
      data-state={link.state}
      className="space-y-4 rounded-xl border border-slate-200 p-4"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 id={headingId} className="font-semibold text-slate-900">
          {link.integrationName}
        </h3>
        <SyncStateBadge state={link.state} errorMessage={link.errorMessage} />
      </div>
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-4">
        <Fact label="Key">
          {link.externalTicketId ? (
            <ExternalKeyLink
              issueKey={link.externalTicketId}
              url={link.externalTicketUrl}
              integrationName={link.integrationName}
            />
          ) : (
            "Not created yet"
          )}
        </Fact>
        <Fact label="External status">{link.externalStatus ?? "Unknown"}</Fact>
        <Fact label="Attempts">{link.attempts}</Fact>
        <Fact label="Last synced">{formatDateTime(link.lastSyncedAt)}</Fact>
      </dl>
      {link.state !== "CREATED" && (
        <ExternalOutcomeView
          ticketId={ticketId}
          link={link}
          watching={watching}
          onWatchAgain={onWatchAgain}
        />
      )}
      {link.integrationResponse ? (
        <JsonDetails
          summary={`Stored response from ${link.integrationName}`}
          value={link.integrationResponse}
        />
      ) : (
        <p className="text-sm text-slate-600">No response from {link.integrationName} is stored yet.</p>
      )}
    </article>
  );
}
