"use client";

import Link from "next/link";
import { useState } from "react";

import { formatDateTime } from "~/components/integrations/format";
import { errorMessage } from "~/components/integrations/trpc-errors";
import { PRIORITY_LABELS, TICKET_STATUS_LABELS, labelOf } from "~/components/tickets/labels";
import { inputClasses } from "~/components/ui/form-field";
import { SUPPORT_KINDS, type ListMyTicketsInput } from "~/server/services/support/support.schema";

import { KIND_LABELS, PRIORITY_STYLES, STATUS_STYLES } from "./labels";
import { useMyTickets } from "./use-support";

export function Badge({ className, children }: { className?: string; children: React.ReactNode }) {
  return (
    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${className ?? ""}`}>{children}</span>
  );
}

/** The customer's own tickets: filtered by status and type, searched, a page at a time. */
export function MyTickets() {
  const [filters, setFilters] = useState<ListMyTicketsInput>({ page: 1 });
  const tickets = useMyTickets(filters);
  const update = (change: Partial<ListMyTicketsInput>) =>
    setFilters((current) => ({ ...current, ...change, page: 1 }));

  return (
    <section
      aria-labelledby="my-tickets-heading"
      className="rounded-2xl border border-slate-200 bg-white p-5"
    >
      <h2 id="my-tickets-heading" className="font-semibold text-slate-900">
        My tickets
      </h2>
      <div className="mt-3 grid gap-3 sm:grid-cols-3">
        <input
          type="search"
          aria-label="Search my tickets"
          placeholder="Search my tickets"
          className={inputClasses}
          onChange={(event) => update({ search: event.target.value || undefined })}
        />
        <select
          aria-label="Status"
          className={inputClasses}
          onChange={(event) =>
            update({ status: (event.target.value || undefined) as ListMyTicketsInput["status"] })
          }
        >
          <option value="">Any status</option>
          {Object.entries(TICKET_STATUS_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <select
          aria-label="Type"
          className={inputClasses}
          onChange={(event) =>
            update({ kind: (event.target.value || undefined) as ListMyTicketsInput["kind"] })
          }
        >
          <option value="">Any type</option>
          {SUPPORT_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {KIND_LABELS[kind]}
            </option>
          ))}
        </select>
      </div>
      {tickets.isPending ? (
        <p className="mt-4 text-sm text-slate-600">Loading your tickets…</p>
      ) : tickets.isError ? (
        <p className="mt-4 text-sm text-red-800">{errorMessage(tickets.error)}</p>
      ) : tickets.data.items.length === 0 ? (
        <p className="mt-4 text-sm text-slate-600" data-testid="my-tickets-empty">
          {filters.search || filters.status || filters.kind
            ? "No tickets match these filters."
            : "You have no tickets yet. File one above and it appears here with its status and the team's replies."}
        </p>
      ) : (
        <ul className="mt-4 divide-y divide-slate-200" data-testid="my-tickets">
          {tickets.data.items.map((ticket) => (
            <li key={ticket.id} className="flex flex-wrap items-center gap-3 py-3" data-testid="my-ticket">
              <Link href={`/support/${ticket.id}`} className="font-medium text-brand-700 hover:underline">
                <span className="font-mono">#{ticket.number}</span> {ticket.title}
              </Link>
              <Badge className={STATUS_STYLES[ticket.status]}>
                {labelOf(TICKET_STATUS_LABELS, ticket.status)}
              </Badge>
              <Badge className="bg-slate-100 text-slate-800">{KIND_LABELS[ticket.kind]}</Badge>
              <Badge className={PRIORITY_STYLES[ticket.priority]}>
                {labelOf(PRIORITY_LABELS, ticket.priority)}
              </Badge>
              {ticket.externalKey && ticket.externalUrl && (
                <a
                  href={ticket.externalUrl}
                  target="_blank"
                  rel="noreferrer"
                  className="font-mono text-sm text-brand-700 underline"
                >
                  {ticket.externalKey}
                </a>
              )}
              <span className="ml-auto text-xs text-slate-600">{formatDateTime(ticket.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
      {tickets.data && tickets.data.pageCount > 1 && (
        <nav aria-label="My tickets pages" className="mt-4 flex items-center gap-3 text-sm">
          <button
            type="button"
            className="text-brand-700 disabled:text-slate-400"
            disabled={(filters.page ?? 1) <= 1}
            onClick={() => setFilters((current) => ({ ...current, page: (current.page ?? 1) - 1 }))}
          >
            Previous
          </button>
          <span>
            Page {tickets.data.page} of {tickets.data.pageCount}
          </span>
          <button
            type="button"
            className="text-brand-700 disabled:text-slate-400"
            disabled={tickets.data.page >= tickets.data.pageCount}
            onClick={() => setFilters((current) => ({ ...current, page: (current.page ?? 1) + 1 }))}
          >
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
