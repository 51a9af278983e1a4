"use client";

import Link from "next/link";

import { EmptyState } from "~/components/empty-state";
import { LoadingBlock } from "~/components/integrations/query-problem";
import { Button, ButtonLink } from "~/components/ui/button";
import { Pagination } from "~/components/ui/pagination";
import { ScrollRegion } from "~/components/ui/scroll-region";
import { useSearchParamsState } from "~/components/ui/use-search-params-state";

import { ExternalKeyLink } from "./external-key-link";
import { CATEGORY_LABELS, PRIORITY_LABELS, TICKET_STATUS_LABELS, labelOf } from "./labels";
import { SyncStateBadge } from "./sync-state-badge";
import { TicketFilterBar } from "./ticket-filter-bar";
import {
  filtersFromSearchParams,
  hasActiveFilters,
  searchParamsFromFilters,
  type TicketFilters,
} from "./ticket-filters";
import { TicketQueryProblem } from "./ticket-query-problem";
import { useTicketList, type TicketList as TicketPage, type TicketListItem } from "./use-tickets";
import type { TicketSort } from "~/server/services/tickets/tickets.schema";

/** Every ticket of the organization, filtered and paginated by the server; the filters live in the address. */
export function TicketList() {
  const [filters, setFilters] = useSearchParamsState(filtersFromSearchParams, searchParamsFromFilters);
  const list = useTicketList(filters);

  return (
    <div className="space-y-4">
      <div className="flex justify-end">
        <ButtonLink href="/tickets/new">New ticket</ButtonLink>
      </div>
      <TicketFilterBar filters={filters} onChange={setFilters} />
      {list.isPending ? (
        <LoadingBlock label="Loading tickets…" />
      ) : list.isError ? (
        <TicketQueryProblem error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <TicketResults
          page={list.data}
          filters={filters}
          onChange={setFilters}
          updating={list.isPlaceholderData}
        />
      )}
    </div>
  );
}

function TicketResults({
  page,
  filters,
  onChange,
  updating,
}: {
  page: TicketPage;
  filters: TicketFilters;
  onChange: (filters: TicketFilters) => void;
  /** The previous result is shown while the new one loads. */
  updating: boolean;
}) {
  if (page.total === 0 && !hasActiveFilters(filters)) {
    return (
      <EmptyState title="No tickets yet" action={{ href: "/tickets/new", label: "New ticket" }}>
        File the first ticket; with an active integration it is created and linked there too.
      </EmptyState>
    );
  }
  const summary =
    page.total === 0
      ? "No tickets match these filters."
      : `${page.total} ${page.total === 1 ? "ticket" : "tickets"}${hasActiveFilters(filters) ? " match" : ""}.`;

  return (
    <div className="space-y-4" aria-busy={updating || undefined}>
      <p role="status" className="text-sm text-slate-700" data-testid="ticket-count" data-total={page.total}>
        {summary}
      </p>
      {page.items.length === 0 ? (
        <div className="rounded-2xl border border-dashed border-slate-300 bg-white p-8 text-center text-slate-700">
          {page.total === 0 ? (
            <Button
              variant="secondary"
              onClick={() =>
                onChange({
                  page: 1,
                  pageSize: filters.pageSize,
                  sort: filters.sort,
                  direction: filters.direction,
                })
              }
            >
              Clear filters
            </Button>
          ) : (
            <Button variant="secondary" onClick={() => onChange({ ...filters, page: page.pageCount })}>
              Go to the last page
            </Button>
          )}
        </div>
      ) : (
        <ScrollRegion
          label="Tickets table"
          className={`rounded-2xl border border-slate-200 bg-white ${updating ? "opacity-60" : ""}`}
        >
          <table className="w-full min-w-[60rem] text-left text-sm">
            <caption className="sr-only">Tickets, {SORT_CAPTIONS[page.sort]}</caption>
            <SortableHead page={page} filters={filters} onChange={onChange} />
            <tbody>
              {page.items.map((ticket) => (
                <TicketRow key={ticket.id} ticket={ticket} />
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <Pagination
        label="Ticket pages"
        page={page.page}
        pageCount={page.pageCount}
        onPageChange={(next) => onChange({ ...filters, page: next })}
      />
    </div>
  );
}

const SORT_CAPTIONS: Record<TicketSort, string> = {
  number: "by number",
  updated: "by last update",
  priority: "by priority",
  status: "by status",
  relevance: "best matches first",
};

const COLUMNS: { heading: string; sort?: TicketSort }[] = [
  { heading: "Number", sort: "number" },
  { heading: "Title" },
  { heading: "Type" },
  { heading: "Customer" },
  { heading: "Priority", sort: "priority" },
  { heading: "Status", sort: "status" },
  { heading: "Updated", sort: "updated" },
  { heading: "External issue" },
  { heading: "Sync state" },
];

/** Column headings; sortable ones are buttons (again on the same column reverses the order). */
function SortableHead({
  page,
  filters,
  onChange,
}: {
  page: TicketPage;
  filters: TicketFilters;
  onChange: (filters: TicketFilters) => void;
}) {
  return (
    <thead className="bg-slate-50 text-slate-700">
      <tr>
        {COLUMNS.map(({ heading, sort }) => {
          const active = sort !== undefined && page.sort === sort;
          return (
            <th
              key={heading}
              scope="col"
              className="px-3 py-3 font-medium whitespace-nowrap"
              aria-sort={active ? (page.direction === "asc" ? "ascending" : "descending") : undefined}
            >
              {sort ? (
                <button
                  type="button"
                  className="inline-flex items-center gap-1 font-medium hover:underline"
                  onClick={() =>
                    onChange({
                      ...filters,
                      page: 1,
                      sort,
                      direction: active ? (page.direction === "asc" ? "desc" : "asc") : undefined,
                    })
                  }
                >
                  {heading}
                  <span aria-hidden="true">{active ? (page.direction === "asc" ? "▲" : "▼") : "↕"}</span>
                </button>
              ) : (
                heading
              )}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

const TYPE_LABELS = { BUG: "Bug", FEATURE: "Feature request", SUPPORT: "Support" } as const;

function TicketRow({ ticket }: { ticket: TicketListItem }) {
  const links = ticket.externalIssues;
  return (
    <tr className="border-t border-slate-100 align-top" data-testid="ticket-row" data-number={ticket.number}>
      <td className="px-3 py-3 font-mono whitespace-nowrap text-slate-700">#{ticket.number}</td>
      <th scope="row" className="max-w-md px-3 py-3 font-medium break-words">
        <Link href={`/tickets/${ticket.id}`} className="text-brand-700 underline-offset-2 hover:underline">
          {ticket.title}
        </Link>
        {ticket.staleSince && (
          <span
            className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900"
            title={`No update since before ${new Date(ticket.staleSince).toLocaleString()}, past its priority's target`}
            data-testid="stale-badge"
          >
            Stale
          </span>
        )}
      </th>
      <td className="px-3 py-3">
        {TYPE_LABELS[ticket.type]}
        <span className="block text-xs text-slate-600">{labelOf(CATEGORY_LABELS, ticket.category)}</span>
      </td>
      <td className="px-3 py-3 break-words">
        {ticket.reporter ? (
          (ticket.reporter.name ?? ticket.reporter.email)
        ) : (
          <span className="text-slate-600">—</span>
        )}
      </td>
      <td className="px-3 py-3">{labelOf(PRIORITY_LABELS, ticket.priority)}</td>
      <td className="px-3 py-3">{labelOf(TICKET_STATUS_LABELS, ticket.status)}</td>
      <td className="px-3 py-3 whitespace-nowrap">
        <time dateTime={new Date(ticket.updatedAt).toISOString()}>
          {new Date(ticket.updatedAt).toLocaleDateString()}
        </time>
      </td>
      <td className="px-3 py-3">
        {links.length === 0 ? (
          <span className="text-slate-600">Internal only</span>
        ) : (
          <ul className="space-y-1">
            {links.map((link) => (
              <li key={link.id}>
                {link.externalKey ? (
                  <ExternalKeyLink
                    issueKey={link.externalKey}
                    url={link.url}
                    integrationName={link.integration.name}
                  />
                ) : (
                  <span className="text-slate-600">Not created yet</span>
                )}
                <span className="block text-xs text-slate-600">{link.integration.name}</span>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="px-3 py-3">
        {links.length === 0 ? (
          <span className="text-slate-600">—</span>
        ) : (
          <ul className="space-y-1">
            {links.map((link) => (
              <li key={link.id}>
                <SyncStateBadge state={link.syncState} errorMessage={link.lastError} />
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
