"use client";

import { Button } from "~/components/ui/button";
import { errorMessage } from "~/components/integrations/trpc-errors";

import { useRetryExternalIssue } from "./use-tickets";

/** Retries the creation of one external issue; the outcome appears where the state is shown. */
export function RetryExternalButton({
  ticketId,
  externalIssueId,
  integrationName,
  onRetried,
}: {
  ticketId: string;
  externalIssueId: string;
  integrationName: string;
  /** Called once the server answered (whatever the outcome), e.g. to watch a pending result again. */
  onRetried?: () => void;
}) {
  const retry = useRetryExternalIssue(ticketId);
  return (
    <div className="space-y-2">
      <Button
        variant="secondary"
        pending={retry.isPending}
        pendingLabel={`Retrying in ${integrationName}…`}
        onClick={() => retry.mutate({ externalIssueId }, { onSettled: onRetried })}
      >
        Retry
      </Button>
      {retry.isError && (
        <p role="alert" className="text-sm text-red-800">
          The retry was not started: {errorMessage(retry.error)}
        </p>
      )}
    </div>
  );
}
