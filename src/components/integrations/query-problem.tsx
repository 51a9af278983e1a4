import { EmptyState } from "~/components/empty-state";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";

import { errorMessage, isForbidden, isNotFound } from "./trpc-errors";

/** Loading: announced politely, shaped like the content that comes. */
export function LoadingBlock({ label }: { label: string }) {
  return (
    <div role="status" aria-live="polite" className="rounded-2xl border border-slate-200 bg-white p-6">
      <span className="sr-only">{label}</span>
      <div aria-hidden="true" className="animate-pulse space-y-3">
        <div className="h-4 w-1/3 rounded bg-slate-200" />
        <div className="h-4 w-2/3 rounded bg-slate-200" />
        <div className="h-4 w-1/2 rounded bg-slate-200" />
      </div>
    </div>
  );
}

/** A failed read: "admins only" for FORBIDDEN, "not found" for NOT_FOUND, otherwise the message and a retry. */
export function QueryProblem({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (isForbidden(error)) {
    return (
      <EmptyState title="Admins only">
        Only owners and admins of this organization can see and change integrations. Ask an owner to make you
        an admin if you need to connect a ticketing system.
      </EmptyState>
    );
  }
  if (isNotFound(error)) {
    return (
      <EmptyState
        title="Integration not found"
        action={{ href: "/integrations", label: "Back to integrations" }}
      >
        {errorMessage(error)}
      </EmptyState>
    );
  }
  return (
    <Alert tone="error" title="Could not load this page">
      <p>{errorMessage(error)}</p>
      {onRetry && (
        <Button variant="secondary" className="mt-3" onClick={onRetry}>
          Try again
        </Button>
      )}
    </Alert>
  );
}
