"use client";

import { useInfiniteQuery } from "@tanstack/react-query";

import { useTRPC, type RouterOutputs } from "~/trpc/react";

import type { AuditFilters } from "./audit-filters";

export type AuditEvent = RouterOutputs["organization"]["auditLog"]["items"][number];

export const AUDIT_PAGE_SIZE = 25;

/** The organization's audit events, newest first, one page per "Load more" (cursor pagination). */
export function useAuditLog(filters: AuditFilters) {
  const trpc = useTRPC();
  return useInfiniteQuery(
    trpc.organization.auditLog.infiniteQueryOptions(
      { limit: AUDIT_PAGE_SIZE, ...filters },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
}
