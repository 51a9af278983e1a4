"use client";

import { Button, Spinner } from "~/components/ui/button";

import { ExternalKeyLink } from "./external-key-link";
import { RetryExternalButton } from "./retry-external-button";
import { isFailingForNow, needsRetry } from "./sync-state-badge";
import type { ExternalOutcome as Outcome } from "./use-tickets";

const TONES = {
  created: "border-emerald-200 bg-emerald-50 text-emerald-900",
  pending: "border-slate-200 bg-slate-50 text-slate-900",
  retrying: "border-amber-200 bg-amber-50 text-amber-900",
  failed: "border-red-200 bg-red-50 text-red-900",
} as const;

function toneOf(link: Outcome): keyof typeof TONES {
  if (link.state === "CREATED") return "created";
  if (link.state === "FAILED") return "failed";
  return isFailingForNow(link) ? "retrying" : "pending";
}

/** The sentence that says where the external issue stands; announced whenever it changes. */
function OutcomeMessage({ link, watching }: { link: Outcome; watching: boolean }) {
  const name = link.integrationName;
  if (link.state === "CREATED") {
    return (
      <>
        <span aria-hidden="true">✓ </span>Created in {name} as{" "}
        {link.externalTicketId ? (
          <ExternalKeyLink
            issueKey={link.externalTicketId}
            url={link.externalTicketUrl}
            integrationName={name}
          />
        ) : (
          "an issue without a key"
        )}
        .
      </>
    );
  }
  if (link.state === "FAILED") {
    return (
      <>
        <span aria-hidden="true">✕ </span>
        <strong>Not created in {name}.</strong> {link.errorMessage ?? "No reason was given."} The ticket
        itself is saved; retry once the cause is fixed.
      </>
    );
  }
  if (link.errorMessage) {
    return (
      <>
        <span aria-hidden="true">! </span>
        <strong>Not created in {name} yet.</strong> {link.errorMessage} TicketBridge tries again by itself;
        you can also retry now.
      </>
    );
  }
  if (watching) {
    return (
      <span className="inline-flex items-center gap-2">
        <Spinner />
        Creating in {name}…
      </span>
    );
  }
  return (
    <>Still creating in {name}. It continues in the background; this page stopped checking after a minute.</>
  );
}

/**
 * Where the creation of an external issue stands: the key as a link, "Creating in …" while it is
 * pending, or the failure in plain words with Retry.
 */
export function ExternalOutcomeView({
  ticketId,
  link,
  watching,
  onWatchAgain,
}: {
  ticketId: string;
  link: Outcome;
  /** Whether the page is still reading the state every second. */
  watching: boolean;
  /** Starts watching again (after a retry, or when the person asks to check again). */
  onWatchAgain: () => void;
}) {
  const stalled = link.state === "PENDING" && !link.errorMessage && !watching;
  return (
    <div
      data-testid="external-outcome"
      data-state={link.state}
      className={`space-y-3 rounded-xl border p-4 text-sm ${TONES[toneOf(link)]}`}
    >
      <p aria-live="polite" aria-atomic="true">
        <OutcomeMessage link={link} watching={watching} />
      </p>
      {needsRetry(link) && (
        <RetryExternalButton
          ticketId={ticketId}
          externalIssueId={link.externalIssueId}
          integrationName={link.integrationName}
          onRetried={onWatchAgain}
        />
      )}
      {stalled && (
        <Button variant="secondary" onClick={onWatchAgain}>
          Check again
        </Button>
      )}
    </div>
  );
}
