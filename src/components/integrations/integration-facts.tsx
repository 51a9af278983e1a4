import { formatDateTime, formatDuration, formatRate } from "./format";
import { ISSUE_TYPE_FIELD, PROJECT_FIELD } from "./schema-form";
import { HealthIndicator } from "./health-indicator";
import { ACTIVATION_METHOD_LABELS } from "./labels";
import type { IntegrationDetails } from "./use-integrations";

function Fact({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function activation(integration: IntegrationDetails): string {
  if (!integration.activatedAt) return "Not activated yet";
  const method = integration.activationMethod ? ACTIVATION_METHOD_LABELS[integration.activationMethod] : null;
  return `${formatDateTime(integration.activatedAt)}${method ? `, ${method}` : ""}`;
}

/** Health, where it points, its counters and its activation. */
export function IntegrationFacts({ integration }: { integration: IntegrationDetails }) {
  const config = integration.config;
  const text = (value: unknown) => (typeof value === "string" && value ? value : "—");
  return (
    <section aria-labelledby="overview-heading" className="rounded-2xl border border-slate-200 bg-white p-5">
      <h2 id="overview-heading" className="font-semibold text-slate-900">
        Overview
      </h2>
      <div className="mt-3">
        <HealthIndicator health={integration.health} />
      </div>
      <dl className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Fact label="Connected to">{integration.baseUrl}</Fact>
        <Fact label="Default project">{text(config[PROJECT_FIELD])}</Fact>
        <Fact label="Default issue type">{text(config[ISSUE_TYPE_FIELD])}</Fact>
        <Fact label="Success rate" testId="success-rate">
          {formatRate(integration.health.successRate)}
        </Fact>
        <Fact label="Successful requests">{integration.successCount}</Fact>
        <Fact label="Failed requests">{integration.failureCount}</Fact>
        <Fact label="Failures in a row">{integration.consecutiveFailures}</Fact>
        <Fact label="Last ticket created">{formatDateTime(integration.lastSuccessfulCreationAt)}</Fact>
        <Fact label="Activated" testId="activation">
          {activation(integration)}
        </Fact>
        <Fact label="Last test">
          {integration.lastTest
            ? `${integration.lastTest.success ? "Passed" : "Failed"}, ${formatDateTime(integration.lastTest.at)} (${formatDuration(integration.lastTest.responseTimeMs)})`
            : "Not tested yet"}
        </Fact>
        <Fact label="Connected on">{formatDateTime(integration.createdAt)}</Fact>
        {integration.suspendedUntil && (
          <Fact label="Suspended until">{formatDateTime(integration.suspendedUntil)}</Fact>
        )}
      </dl>
    </section>
  );
}
