"use client";

import { Button } from "~/components/ui/button";
import { FilterSelect, type FilterOption } from "~/components/ui/filter-select";
import { inputClasses } from "~/components/ui/form-field";
import { TICKET_CATEGORIES, TICKET_PRIORITIES } from "~/lib/domain";
import { SYNC_STATES, TICKET_STATUSES, TICKET_TYPES } from "~/server/services/tickets/tickets.schema";

import { CATEGORY_LABELS, PRIORITY_LABELS, SYNC_STATE_LABELS, TICKET_STATUS_LABELS } from "./labels";
import { DEFAULT_PAGE_SIZE, hasActiveFilters, PAGE_SIZES, type TicketFilters } from "./ticket-filters";
import { useActiveIntegrations, useReporters } from "./use-tickets";

function optionsOf<T extends string>(values: readonly T[], labels: Record<T, string>): FilterOption[] {
  return values.map((value) => ({ value, label: labels[value] }));
}

const STATUS_OPTIONS = optionsOf(TICKET_STATUSES, TICKET_STATUS_LABELS);
const SYNC_OPTIONS = optionsOf(SYNC_STATES, SYNC_STATE_LABELS);
const CATEGORY_OPTIONS = optionsOf(TICKET_CATEGORIES, CATEGORY_LABELS);
const PRIORITY_OPTIONS = optionsOf(TICKET_PRIORITIES, PRIORITY_LABELS);
const TYPE_OPTIONS = optionsOf(TICKET_TYPES, { BUG: "Bug", FEATURE: "Feature request", SUPPORT: "Support" });
const STALE_OPTIONS: FilterOption[] = [{ value: "1", label: "Stale only" }];

/**
 * Filters of the ticket list. Selects apply at once; the search and customer boxes apply on Enter
 * or "Search".
 * Any change goes back to page 1.
 */
export function TicketFilterBar({
  filters,
  onChange,
}: {
  filters: TicketFilters;
  onChange: (filters: TicketFilters) => void;
}) {
  const integrations = useActiveIntegrations();
  const reporters = useReporters();
  const integrationOptions: FilterOption[] = (integrations.data ?? []).map((integration) => ({
    value: integration.id,
    label: integration.name,
  }));
  if (filters.integrationId && !integrationOptions.some((option) => option.value === filters.integrationId)) {
    integrationOptions.push({ value: filters.integrationId, label: "The integration in the link" });
  }
  const set = (patch: Partial<TicketFilters>) => onChange({ ...filters, ...patch, page: 1 });

  return (
    <form
      role="search"
      aria-label="Filter tickets"
      className="space-y-4 rounded-2xl border border-slate-200 bg-white p-4"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const text = (name: string) => {
          const value = form.get(name);
          return typeof value === "string" && value.trim() ? value.trim() : undefined;
        };
        set({ search: text("search"), customer: text("customer") });
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor="ticket-search" className="block text-sm font-medium text-slate-900">
            Search
          </label>
          <input
            // A new key when the applied search changes elsewhere (e.g. "Clear filters") resets the box.
            key={filters.search ?? ""}
            id="ticket-search"
            name="search"
            type="search"
            defaultValue={filters.search ?? ""}
            aria-describedby="ticket-search-help"
            className={`mt-1 ${inputClasses}`}
          />
          <p id="ticket-search-help" className="mt-1 text-xs text-slate-600">
            Words in the title or description, number (#12) or external key (DEMO-12).
          </p>
        </div>
        <div className="min-w-56">
          <label htmlFor="ticket-customer" className="block text-sm font-medium text-slate-900">
            Customer
          </label>
          <input
            key={filters.customer ?? ""}
            id="ticket-customer"
            name="customer"
            type="search"
            list="ticket-customers"
            defaultValue={filters.customer ?? ""}
            aria-describedby="ticket-customer-help"
            className={`mt-1 ${inputClasses}`}
          />
          <datalist id="ticket-customers">
            {(reporters.data ?? []).map((reporter) => (
              <option key={reporter.id} value={reporter.email ?? reporter.name ?? ""}>
                {reporter.name}
              </option>
            ))}
          </datalist>
          <p id="ticket-customer-help" className="mt-1 text-xs text-slate-600">
            Who reported it: part of a name or email.
          </p>
        </div>
        <Button type="submit" variant="secondary" className="mb-5">
          Search
        </Button>
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-8">
        <FilterSelect
          id="filter-type"
          label="Type"
          value={filters.type}
          options={TYPE_OPTIONS}
          onChange={(type) => set({ type: type as TicketFilters["type"] })}
        />
        <FilterSelect
          id="filter-status"
          label="Status"
          value={filters.status}
          options={STATUS_OPTIONS}
          onChange={(status) => set({ status: status as TicketFilters["status"] })}
        />
        <FilterSelect
          id="filter-sync-state"
          label="Sync state"
          value={filters.syncState}
          options={SYNC_OPTIONS}
          onChange={(syncState) => set({ syncState: syncState as TicketFilters["syncState"] })}
        />
        <FilterSelect
          id="filter-category"
          label="Category"
          value={filters.category}
          options={CATEGORY_OPTIONS}
          onChange={(category) => set({ category: category as TicketFilters["category"] })}
        />
        <FilterSelect
          id="filter-priority"
          label="Priority"
          value={filters.priority}
          options={PRIORITY_OPTIONS}
          onChange={(priority) => set({ priority: priority as TicketFilters["priority"] })}
        />
        <FilterSelect
          id="filter-integration"
          label="Integration"
          value={filters.integrationId}
          options={integrationOptions}
          onChange={(integrationId) => set({ integrationId })}
        />
        <FilterSelect
          id="filter-stale"
          label="Stale"
          value={filters.stale ? "1" : undefined}
          options={STALE_OPTIONS}
          onChange={(stale) => set({ stale: stale === "1" || undefined })}
        />
        <FilterSelect
          id="filter-page-size"
          label="Rows per page"
          value={String(filters.pageSize)}
          options={PAGE_SIZES.map((size) => ({ value: String(size), label: String(size) }))}
          allLabel={null}
          onChange={(size) => set({ pageSize: Number(size ?? DEFAULT_PAGE_SIZE) })}
        />
      </div>
      {hasActiveFilters(filters) && (
        <Button
          variant="ghost"
          onClick={() =>
            onChange({
              page: 1,
              pageSize: filters.pageSize,
              sort: filters.sort,
              direction: filters.direction,
            })
          }
          className="-ml-4"
        >
          Clear filters
        </Button>
      )}
    </form>
  );
}
