"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { refreshQueries } from "~/trpc/refresh-queries";

/** The reads and the "Generate now" of the reports pages, with the list kept in step. */

export type StoredReport = RouterOutputs["report"]["get"];

export function useReports() {
  const trpc = useTRPC();
  return useQuery(trpc.report.list.queryOptions());
}

export function useReport(id: string) {
  const trpc = useTRPC();
  return useQuery(trpc.report.get.queryOptions({ id }));
}

export function useGenerateReport() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.report.generate.mutationOptions({
      onSuccess: (report) =>
        refreshQueries(queryClient, [
          trpc.report.list.queryKey(),
          trpc.report.get.queryKey({ id: report.id }),
        ]),
    }),
  );
}
