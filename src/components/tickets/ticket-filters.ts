import { TICKET_CATEGORIES, TICKET_PRIORITIES, type TicketCategory, type TicketPriority } from "~/lib/domain";
import {
  SORT_DIRECTIONS,
  SYNC_STATES,
  TICKET_SORTS,
  TICKET_STATUSES,
  TICKET_TYPES,
  type TicketSort,
} from "~/server/services/tickets/tickets.schema";

import type { SyncStateName, TicketStatusName } from "./labels";

/** The list's filters as they live in the address: `/tickets?category=bug&page=2`. */
export type TicketFilters = {
  page: number;
  pageSize: number;
  status?: TicketStatusName;
  syncState?: SyncStateName;
  category?: TicketCategory;
  priority?: TicketPriority;
  integrationId?: string;
  type?: (typeof TICKET_TYPES)[number];
  /** Part of the reporter's name or email. */
  customer?: string;
  stale?: boolean;
  search?: string;
  sort?: TicketSort;
  direction?: (typeof SORT_DIRECTIONS)[number];
};

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

/** The filter fields a person sets (page and page size aside). */
export const FILTER_KEYS = [
  "status",
  "syncState",
  "category",
  "priority",
  "integrationId",
  "type",
  "customer",
  "stale",
  "search",
] as const;

function oneOf<T extends string>(values: readonly T[], raw: string | null): T | undefined {
  return raw !== null && (values as readonly string[]).includes(raw) ? (raw as T) : undefined;
}

function positiveInt(raw: string | null): number | undefined {
  const value = Number(raw);
  return raw && Number.isInteger(value) && value >= 1 ? value : undefined;
}

/** Reads the filters from the query string; unknown or malformed values are ignored. */
export function filtersFromSearchParams(params: URLSearchParams): TicketFilters {
  const pageSize = positiveInt(params.get("pageSize"));
  const search = params.get("search")?.trim().slice(0, 200);
  const integrationId = params.get("integrationId")?.trim();
  const customer = params.get("customer")?.trim().slice(0, 200);
  return {
    page: positiveInt(params.get("page")) ?? 1,
    pageSize: pageSize && (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
    status: oneOf(TICKET_STATUSES, params.get("status")),
    syncState: oneOf(SYNC_STATES, params.get("syncState")),
    category: oneOf(TICKET_CATEGORIES, params.get("category")),
    priority: oneOf(TICKET_PRIORITIES, params.get("priority")),
    integrationId: integrationId || undefined,
    type: oneOf(TICKET_TYPES, params.get("type")),
    customer: customer || undefined,
    stale: params.get("stale") === "1" || undefined,
    search: search || undefined,
    sort: oneOf(TICKET_SORTS, params.get("sort")),
    direction: oneOf(SORT_DIRECTIONS, params.get("direction")),
  };
}

/** The query string for these filters, leaving out defaults so shared links stay short. */
export function searchParamsFromFilters(filters: TicketFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value) params.set(key, value === true ? "1" : value);
  }
  if (filters.sort) params.set("sort", filters.sort);
  if (filters.direction) params.set("direction", filters.direction);
  if (filters.pageSize !== DEFAULT_PAGE_SIZE) params.set("pageSize", String(filters.pageSize));
  if (filters.page > 1) params.set("page", String(filters.page));
  return params;
}

export function hasActiveFilters(filters: TicketFilters): boolean {
  return FILTER_KEYS.some((key) => Boolean(filters[key]));
}
