"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { useTRPC, type RouterOutputs } from "~/trpc/react";
import { refreshQueries } from "~/trpc/refresh-queries";

/** Every read and change of integrations the pages make, with the cache kept in step. */

export type IntegrationListItem = RouterOutputs["integration"]["list"][number];
export type IntegrationDetails = RouterOutputs["integration"]["get"];
export type ProviderCatalogEntry = RouterOutputs["integration"]["providers"][number];
export type ConnectionModeEntry = ProviderCatalogEntry["modes"][number];
export type TestOutcome = RouterOutputs["integration"]["test"];

export function useIntegrationList() {
  const trpc = useTRPC();
  return useQuery(trpc.integration.list.queryOptions());
}

export function useIntegration(id: string) {
  const trpc = useTRPC();
  return useQuery(trpc.integration.get.queryOptions({ id }));
}

/** The providers and their connection modes; they only change with a deployment. */
export function useProviderCatalog() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.integration.providers.queryOptions(), staleTime: Infinity });
}

export function useConnectionMode(providerId: string | undefined, modeId: string | undefined) {
  const catalog = useProviderCatalog();
  const provider = catalog.data?.find((candidate) => candidate.id === providerId);
  return { ...catalog, provider, mode: provider?.modes.find((candidate) => candidate.id === modeId) };
}

function useRefreshIntegration() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (id?: string) =>
    refreshQueries(queryClient, [
      trpc.integration.list.queryKey(),
      ...(id ? [trpc.integration.get.queryKey({ id })] : []),
    ]);
}

export function useCreateIntegration() {
  const trpc = useTRPC();
  const refresh = useRefreshIntegration();
  return useMutation(trpc.integration.create.mutationOptions({ onSuccess: () => refresh() }));
}

export function useVerifyConnection() {
  const trpc = useTRPC();
  return useMutation(trpc.integration.verify.mutationOptions());
}

export function useTestIntegration() {
  const trpc = useTRPC();
  const refresh = useRefreshIntegration();
  return useMutation(
    trpc.integration.test.mutationOptions({ onSettled: (_data, _error, input) => refresh(input.id) }),
  );
}

export function useEnableIntegration() {
  const trpc = useTRPC();
  const refresh = useRefreshIntegration();
  return useMutation(
    trpc.integration.enable.mutationOptions({ onSettled: (_data, _error, input) => refresh(input.id) }),
  );
}

export function useDisableIntegration() {
  const trpc = useTRPC();
  const refresh = useRefreshIntegration();
  return useMutation(
    trpc.integration.disable.mutationOptions({ onSettled: (_data, _error, input) => refresh(input.id) }),
  );
}

export function useUpdateIntegration() {
  const trpc = useTRPC();
  const refresh = useRefreshIntegration();
  return useMutation(
    trpc.integration.update.mutationOptions({ onSuccess: (_data, input) => refresh(input.id) }),
  );
}

export function useDeleteIntegration() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.integration.delete.mutationOptions({
      onSuccess: async (_data, input) => {
        queryClient.removeQueries({ queryKey: trpc.integration.get.queryKey({ id: input.id }) });
        await refreshQueries(queryClient, [trpc.integration.list.queryKey()]);
      },
    }),
  );
}

export function useDiscoverProjects() {
  const trpc = useTRPC();
  return useMutation(trpc.integration.discoverProjects.mutationOptions());
}

export function useDiscoverIssueTypes() {
  const trpc = useTRPC();
  return useMutation(trpc.integration.discoverIssueTypes.mutationOptions());
}

export function useOAuthSites(enabled: boolean) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.integration.oauthSites.queryOptions(), enabled, retry: false });
}
