import { EmptyState } from "~/components/empty-state";
import { QueryProblem } from "~/components/integrations/query-problem";
import { errorMessage, isForbidden, isNotFound } from "~/components/integrations/trpc-errors";

/** A failed read of tickets: agents only, ticket not found, or the message with "Try again". */
export function TicketQueryProblem({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (isForbidden(error)) {
    return (
      <EmptyState title="Agents only" action={{ href: "/support", label: "Go to the support center" }}>
        Tickets are worked by the agents, admins and owners of this organization. Ask an owner to change your
        role if you need them.
      </EmptyState>
    );
  }
  if (isNotFound(error)) {
    return (
      <EmptyState title="Ticket not found" action={{ href: "/tickets", label: "Back to tickets" }}>
        {errorMessage(error)}
      </EmptyState>
    );
  }
  return <QueryProblem error={error} onRetry={onRetry} />;
}
