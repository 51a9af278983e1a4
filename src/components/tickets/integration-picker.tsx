"use client";

import Link from "next/link";
import { useId } from "react";

import { formatRate } from "~/components/integrations/format";
import { HealthIndicator } from "~/components/integrations/health-indicator";
import { Alert } from "~/components/ui/alert";
import type { TicketCategory } from "~/lib/domain";

import { CATEGORY_LABELS } from "./labels";
import type { ActiveIntegration } from "./use-tickets";

function healthOf(integration: ActiveIntegration) {
  const rate = integration.successRate;
  return {
    level: integration.health,
    summary: rate === null ? "Not used yet" : `${formatRate(rate)} of requests succeeded`,
  };
}

/** The active integrations that take tickets of this category (all of them before one is chosen). */
export function integrationsFor(integrations: ActiveIntegration[], category: TicketCategory | undefined) {
  return category
    ? integrations.filter((integration) => integration.supportedCategories.includes(category))
    : integrations;
}

/**
 * One radio per active integration, with its health; "Keep it internal" is always there. Without
 * active integrations it says how to connect one.
 */
export function IntegrationPicker({
  integrations,
  category,
  value,
  onChange,
  error,
}: {
  /** Every active integration of the organization. */
  integrations: ActiveIntegration[];
  category: TicketCategory | undefined;
  value: string | undefined;
  onChange: (integrationId: string | undefined) => void;
  error?: string;
}) {
  const name = useId();
  const choices = integrationsFor(integrations, category);

  return (
    <fieldset aria-describedby={error ? `${name}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-900">Integration</legend>
      {integrations.length === 0 ? (
        <Alert tone="info" className="mt-2" title="No active integration">
          Tickets are created internally until an integration is active. An admin connects and tests one under{" "}
          <Link href="/integrations" className="font-medium underline underline-offset-2">
            Integrations
          </Link>
          ; you can still create this ticket now.
        </Alert>
      ) : (
        choices.length === 0 && (
          <p className="mt-1 text-sm text-slate-700">
            No active integration takes {CATEGORY_LABELS[category!].toLowerCase()} tickets. Choose another
            category, or keep this ticket internal.
          </p>
        )
      )}
      <div className="mt-2 space-y-2">
        {choices.map((integration) => {
          const inputId = `${name}-${integration.id}`;
          return (
            <div
              key={integration.id}
              className="flex items-start gap-3 rounded-xl border border-slate-200 p-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50"
            >
              <input
                id={inputId}
                type="radio"
                name={name}
                value={integration.id}
                checked={value === integration.id}
                onChange={() => onChange(integration.id)}
                aria-describedby={`${inputId}-health`}
                className="mt-1 h-4 w-4 accent-brand-600"
              />
              <div className="flex min-w-0 flex-1 flex-wrap items-start justify-between gap-x-6 gap-y-1">
                <label htmlFor={inputId} className="cursor-pointer">
                  <span className="block font-medium text-slate-900">{integration.name}</span>
                  <span className="block text-sm text-slate-600">{integration.providerName}</span>
                </label>
                <div id={`${inputId}-health`}>
                  <HealthIndicator health={healthOf(integration)} />
                </div>
              </div>
            </div>
          );
        })}
        <label className="flex cursor-pointer items-center gap-3 rounded-xl border border-slate-200 p-3 has-[:checked]:border-brand-600 has-[:checked]:bg-brand-50">
          <input
            type="radio"
            name={name}
            value=""
            checked={!value}
            onChange={() => onChange(undefined)}
            className="h-4 w-4 accent-brand-600"
          />
          <span className="font-medium text-slate-900">Keep it internal</span>
        </label>
      </div>
      {error && (
        <p id={`${name}-error`} role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
