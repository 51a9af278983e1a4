"use client";

import Link from "next/link";

import { EmptyState } from "~/components/empty-state";
import { ButtonLink } from "~/components/ui/button";
import { ScrollRegion } from "~/components/ui/scroll-region";

import { formatDateTime, formatDuration, formatRate } from "./format";
import { HealthIndicator } from "./health-indicator";
import { LoadingBlock, QueryProblem } from "./query-problem";
import { StatusBadge } from "./status-badge";
import { useIntegrationList, type IntegrationListItem } from "./use-integrations";
import { TableHead } from "~/components/ui/table-head";

export function IntegrationList() {
  const list = useIntegrationList();

  if (list.isPending) return <LoadingBlock label="Loading integrations…" />;
  if (list.isError) return <QueryProblem error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.length === 0) {
    return (
      <EmptyState
        title="No integrations yet"
        action={{ href: "/integrations/new", label: "Connect a system" }}
      >
        Connect Jira Cloud with an API token or your Atlassian account, or Jira Server / Data Center with a
        personal access token. Once it passes its connection tests it becomes active and can receive tickets.
      </EmptyState>
    );
  }

  return (
    <>
      <div className="mb-4 flex justify-end">
        <ButtonLink href="/integrations/new">Connect</ButtonLink>
      </div>
      <ScrollRegion label="Integrations table" className="rounded-2xl border border-slate-200 bg-white">
        <table className="w-full min-w-[56rem] text-left text-sm">
          <caption className="sr-only">Integrations of this organization</caption>
          <TableHead
            headings={[
              "Name",
              "System",
              "Status",
              "Health",
              "Success rate",
              "Last ticket created",
              "Last test",
            ]}
          />
          <tbody>
            {list.data.map((integration) => (
              <IntegrationRow key={integration.id} integration={integration} />
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </>
  );
}

function IntegrationRow({ integration }: { integration: IntegrationListItem }) {
  return (
    <tr
      className="border-t border-slate-100 align-top"
      data-testid="integration-row"
      data-name={integration.name}
    >
      <th scope="row" className="px-4 py-3 font-medium">
        <Link
          href={`/integrations/${integration.id}`}
          className="text-brand-700 underline-offset-2 hover:underline"
        >
          {integration.name}
        </Link>
        {integration.description && (
          <p className="mt-0.5 font-normal text-slate-600">{integration.description}</p>
        )}
      </th>
      <td className="px-4 py-3">
        <p className="font-medium text-slate-900">{integration.providerName}</p>
        <p className="text-slate-600">{integration.modeLabel}</p>
      </td>
      <td className="px-4 py-3">
        <StatusBadge status={integration.status} />
      </td>
      <td className="px-4 py-3">
        <HealthIndicator health={integration.health} />
      </td>
      <td className="px-4 py-3">{formatRate(integration.health.successRate)}</td>
      <td className="px-4 py-3">{formatDateTime(integration.lastSuccessfulCreationAt)}</td>
      <td className="px-4 py-3">
        <LastTest test={integration.lastTest} />
      </td>
    </tr>
  );
}

function LastTest({ test }: { test: IntegrationListItem["lastTest"] }) {
  if (!test) return <span className="text-slate-600">Not tested yet</span>;
  return (
    <>
      <p className={`font-medium ${test.success ? "text-emerald-800" : "text-red-800"}`}>
        <span aria-hidden="true">{test.success ? "✓ " : "✕ "}</span>
        {test.success ? "Passed" : "Failed"}
      </p>
      <p className="text-slate-600">
        {formatDateTime(test.at)} · {formatDuration(test.responseTimeMs)}
      </p>
    </>
  );
}
