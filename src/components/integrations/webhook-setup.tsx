"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useTRPC } from "~/trpc/react";
import { refreshQueries } from "~/trpc/refresh-queries";

import { formatDateTime } from "./format";
import { errorMessage } from "./trpc-errors";
import { useUpdateIntegration, type IntegrationDetails } from "./use-integrations";

/**
 * Two-way sync. Connections through an Atlassian account register their webhook in Jira
 * themselves (shown with its expiry, and a button to register it again); the others get the URL
 * and secret to enter in Jira (Settings → System → WebHooks), shown once, when made. Without a
 * working webhook, changes are fetched every 5 minutes.
 */
export function WebhookSetup({ integration }: { integration: IntegrationDetails }) {
  const integrationId = integration.id;
  const trpc = useTRPC();
  const update = useUpdateIntegration();
  const toggle = (setting: "supportDefault" | "importIssues", label: string, help: string) => (
    <label className="flex items-start gap-2 text-sm text-slate-800">
      <input
        type="checkbox"
        className="mt-1"
        checked={integration.settings[setting]}
        disabled={update.isPending}
        onChange={(event) =>
          update.mutate({ id: integrationId, settings: { [setting]: event.target.checked } })
        }
      />
      <span>
        <span className="font-medium text-slate-900">{label}</span>
        <span className="block text-slate-600">{help}</span>
      </span>
    </label>
  );
  const queryClient = useQueryClient();
  const setup = useQuery(trpc.integration.webhookSetup.queryOptions({ id: integrationId }));
  const refreshSetup = () =>
    refreshQueries(queryClient, [trpc.integration.webhookSetup.queryKey({ id: integrationId })]);
  const rotate = useMutation(
    trpc.integration.rotateWebhookSecret.mutationOptions({ onSuccess: refreshSetup }),
  );
  const register = useMutation(
    trpc.integration.registerWebhooks.mutationOptions({ onSuccess: refreshSetup, onError: refreshSetup }),
  );
  const dynamic = setup.data?.dynamic ?? null;

  return (
    <section
      aria-labelledby="webhook-heading"
      className="space-y-3 rounded-2xl border border-slate-200 bg-white p-5"
    >
      <h2 id="webhook-heading" className="font-semibold text-slate-900">
        Support and changes made in Jira
      </h2>
      {toggle(
        "supportDefault",
        "Default for support requests",
        "Bug reports, feature requests and support tickets customers file under Support go here.",
      )}
      {toggle(
        "importIssues",
        "Import issues created in Jira",
        "An issue created directly in the project becomes a ticket here.",
      )}
      {update.error && <p className="text-sm text-red-800">{errorMessage(update.error)}</p>}
      {setup.isPending ? (
        <p className="text-sm text-slate-600">Loading…</p>
      ) : setup.isError ? (
        <p className="text-sm text-red-800">{errorMessage(setup.error)}</p>
      ) : dynamic ? (
        <>
          <p className="text-sm text-slate-700" data-testid="webhook-status">
            {dynamic.registered
              ? `Jira sends changes automatically (registered, expires ${formatDateTime(dynamic.expiresAt)}).`
              : "Jira is not sending changes by itself yet: they are fetched every 5 minutes instead."}{" "}
            Status, assignee, priority and comment changes made in Jira show up on the tickets here.
          </p>
          <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="font-medium text-slate-900">Last delivery</dt>
            <dd className="text-slate-800">
              {setup.data.lastWebhookAt ? formatDateTime(setup.data.lastWebhookAt) : "None received yet"}
            </dd>
            <dt className="font-medium text-slate-900">Last fetched</dt>
            <dd className="text-slate-800">
              {setup.data.lastPolledAt ? formatDateTime(setup.data.lastPolledAt) : "Not needed so far"}
            </dd>
          </dl>
          {register.error && <p className="text-sm text-red-800">{errorMessage(register.error)}</p>}
          <Button
            variant="secondary"
            pending={register.isPending}
            pendingLabel="Registering…"
            onClick={() => register.mutate({ id: integrationId })}
          >
            {dynamic.registered ? "Register again" : "Register the webhook"}
          </Button>
        </>
      ) : (
        <>
          <p className="text-sm text-slate-700">
            Add a webhook in Jira (Settings → System → WebHooks) with this URL and secret, for issue created,
            issue updated and comment created events. Status, assignee, priority and comment changes made in
            Jira then show up on the tickets here within seconds (without it, within 5 minutes).
          </p>
          <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="font-medium text-slate-900">URL</dt>
            <dd className="font-mono break-all text-slate-800" data-testid="webhook-url">
              {setup.data.url}
            </dd>
            <dt className="font-medium text-slate-900">Secret</dt>
            <dd className="text-slate-800">
              {setup.data.hasSecret ? "Set (shown only when made)" : "Not set yet"}
            </dd>
            <dt className="font-medium text-slate-900">Last delivery</dt>
            <dd className="text-slate-800">
              {setup.data.lastWebhookAt ? formatDateTime(setup.data.lastWebhookAt) : "None received yet"}
            </dd>
          </dl>
          {rotate.data && (
            <Alert tone="warning" title="Copy this secret now: it is not shown again">
              <code className="font-mono break-all" data-testid="webhook-secret">
                {rotate.data.secret}
              </code>
            </Alert>
          )}
          {rotate.error && <p className="text-sm text-red-800">{errorMessage(rotate.error)}</p>}
          <Button
            variant="secondary"
            pending={rotate.isPending}
            pendingLabel="Making a secret…"
            onClick={() => rotate.mutate({ id: integrationId })}
          >
            {setup.data.hasSecret ? "Replace the secret" : "Make a secret"}
          </Button>
        </>
      )}
    </section>
  );
}
