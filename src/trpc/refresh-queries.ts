import type { QueryClient, QueryKey } from "@tanstack/react-query";

/**
 * Reads these queries again after a change. A first load still in flight is cancelled first: the
 * server may have read it before the change, and invalidating alone would wait for that answer
 * instead of asking again (TanStack Query cancels a running fetch only once a query has data).
 */
export async function refreshQueries(queryClient: QueryClient, queryKeys: readonly QueryKey[]) {
  await Promise.all(queryKeys.map((queryKey) => queryClient.cancelQueries({ queryKey })));
  await Promise.all(queryKeys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}
