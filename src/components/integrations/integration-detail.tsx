"use client";

import Link from "next/link";
import { useState } from "react";

import { Button } from "~/components/ui/button";

import { DeleteIntegration } from "./delete-integration";
import { EditSettings } from "./edit-settings-form";
import { IntegrationFacts } from "./integration-facts";
import { STATUS_EXPLANATIONS } from "./labels";
import { LifecycleActions } from "./lifecycle-actions";
import { LoadingBlock, QueryProblem } from "./query-problem";
import { StatusBadge } from "./status-badge";
import { StatusHistory } from "./status-history";
import { TestHistory } from "./test-history";
import { TestPanel } from "./test-panel";
import { useIntegration, type IntegrationDetails } from "./use-integrations";
import { WebhookSetup } from "./webhook-setup";

export function IntegrationDetail({ id }: { id: string }) {
  const integration = useIntegration(id);
  if (integration.isPending) return <LoadingBlock label="Loading the integration…" />;
  if (integration.isError)
    return <QueryProblem error={integration.error} onRetry={() => void integration.refetch()} />;
  return <IntegrationDetailView integration={integration.data} />;
}

function IntegrationDetailView({ integration }: { integration: IntegrationDetails }) {
  const [editing, setEditing] = useState(false);
  const explanation = STATUS_EXPLANATIONS[integration.status as keyof typeof STATUS_EXPLANATIONS];

  return (
    <div className="space-y-6">
      <header>
        <Link href="/integrations" className="text-sm font-medium text-brand-700 hover:underline">
          <span aria-hidden="true">←</span> Integrations
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold text-slate-900">{integration.name}</h1>
          <span data-testid="current-status">
            <StatusBadge status={integration.status} />
          </span>
        </div>
        <p className="mt-1 text-slate-600">
          {integration.providerName} · {integration.modeLabel}
          {integration.description ? ` · ${integration.description}` : ""}
        </p>
        <p className="mt-2 text-sm text-slate-700" data-testid="status-reason">
          {integration.statusReason ?? explanation}
        </p>
      </header>

      <IntegrationFacts integration={integration} />

      <section
        aria-labelledby="actions-heading"
        className="space-y-5 rounded-2xl border border-slate-200 bg-white p-5"
      >
        <h2 id="actions-heading" className="font-semibold text-slate-900">
          Actions
        </h2>
        <TestPanel integrationId={integration.id} disabledIntegration={integration.status === "INACTIVE"} />
        <hr className="border-slate-100" />
        <LifecycleActions integration={integration} />
        <hr className="border-slate-100" />
        <div className="flex flex-wrap gap-3">
          <Button variant="secondary" onClick={() => setEditing((open) => !open)} aria-expanded={editing}>
            Edit settings
          </Button>
          <DeleteIntegration id={integration.id} name={integration.name} />
        </div>
        {editing && (
          <div id="edit-settings" className="rounded-xl border border-slate-200 p-4">
            <EditSettings integration={integration} onDone={() => setEditing(false)} />
          </div>
        )}
      </section>

      <WebhookSetup integration={integration} />

      <TestHistory runs={integration.testRuns} />
      <StatusHistory events={integration.history} />
    </div>
  );
}
