"use client";

import { LoadingBlock, QueryProblem } from "~/components/integrations/query-problem";
import { isForbidden } from "~/components/integrations/trpc-errors";
import { Button } from "~/components/ui/button";
import { useSearchParamsState } from "~/components/ui/use-search-params-state";

import { AdminsOnly } from "./admins-only";
import { AuditEventList } from "./audit-event-list";
import { AuditFilterBar } from "./audit-filter-bar";
import { auditFiltersFromSearchParams, searchParamsFromAuditFilters } from "./audit-filters";
import { useAuditLog } from "./use-audit-log";

/** The organization's audit log with filters in the address and "Load more". */
export function AuditLog() {
  const [filters, setFilters] = useSearchParamsState(
    auditFiltersFromSearchParams,
    searchParamsFromAuditFilters,
  );
  const log = useAuditLog(filters);
  const events = log.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="space-y-4">
      <AuditFilterBar filters={filters} onChange={setFilters} />
      {log.isPending ? (
        <LoadingBlock label="Loading audit events…" />
      ) : log.isError ? (
        isForbidden(log.error) ? (
          <AdminsOnly />
        ) : (
          <QueryProblem error={log.error} onRetry={() => void log.refetch()} />
        )
      ) : (
        <section aria-label="Audit events" className="rounded-2xl border border-slate-200 bg-white px-5 py-2">
          <p role="status" className="py-2 text-sm text-slate-700" data-testid="audit-count">
            {events.length === 0
              ? "No audit events match these filters."
              : `Showing ${events.length} ${events.length === 1 ? "event" : "events"}${log.hasNextPage ? "; more are available" : ""}.`}
          </p>
          {events.length > 0 && <AuditEventList events={events} />}
          {log.hasNextPage && (
            <div className="border-t border-slate-100 py-3">
              <Button
                variant="secondary"
                pending={log.isFetchingNextPage}
                pendingLabel="Loading more…"
                onClick={() => void log.fetchNextPage()}
              >
                Load more
              </Button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
