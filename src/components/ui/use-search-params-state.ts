"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";

/**
 * State kept in the address's query string, so a filtered view can be shared and reloaded.
 * `parse` and `serialize` must be stable (module-level) functions. Changes push a history entry
 * without a server round trip (Next keeps `useSearchParams` in step with `history.pushState`).
 * Components using this need a <Suspense> boundary above them.
 */
export function useSearchParamsState<T>(
  parse: (params: URLSearchParams) => T,
  serialize: (value: T) => URLSearchParams,
) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  // Never null under the App Router; typed nullable because the tRPC endpoint is a Pages API route.
  const value = useMemo(() => parse(new URLSearchParams(searchParams?.toString())), [parse, searchParams]);
  const setValue = useCallback(
    (next: T) => {
      const query = serialize(next).toString();
      window.history.pushState(null, "", query ? `${pathname}?${query}` : pathname);
    },
    [pathname, serialize],
  );
  return [value, setValue] as const;
}
