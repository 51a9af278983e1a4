"use client";

import { toast } from "sonner";

import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";

import { CheckRunResult } from "./check-results";
import { statusLabel } from "./labels";
import { errorMessage } from "./trpc-errors";
import { useDisableIntegration, useEnableIntegration, type IntegrationDetails } from "./use-integrations";

/** Disable an integration that is not disabled; enable a disabled one (which runs the tests first). */
export function LifecycleActions({ integration }: { integration: IntegrationDetails }) {
  const disable = useDisableIntegration();
  const enable = useEnableIntegration();
  const { id, name } = integration;

  return (
    <div className="space-y-3">
      {integration.status === "INACTIVE" ? (
        <div className="flex flex-wrap items-center gap-3">
          <Button
            onClick={() =>
              enable.mutate(
                { id },
                {
                  onSuccess: (run) =>
                    run.newStatus === "ACTIVE"
                      ? toast.success(`${name} is enabled and active.`)
                      : toast.error(`${name} stays disabled: a check failed.`),
                },
              )
            }
            pending={enable.isPending}
            pendingLabel="Testing and enabling…"
          >
            Enable
          </Button>
          <p className="max-w-prose text-sm text-slate-600">
            Enabling runs all four tests first. It becomes active only if they pass; otherwise it stays
            disabled.
          </p>
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <Button
            variant="secondary"
            onClick={() => {
              enable.reset();
              disable.mutate({ id }, { onSuccess: () => toast.success(`${name} is disabled.`) });
            }}
            pending={disable.isPending}
            pendingLabel="Disabling…"
          >
            Disable
          </Button>
          <p className="max-w-prose text-sm text-slate-600">
            A disabled integration receives no new tickets. Issues already linked stay readable.
          </p>
        </div>
      )}
      <div aria-live="polite">
        {enable.data && (
          <div className="space-y-2">
            <CheckRunResult run={enable.data} title="Enable" />
            {enable.data.newStatus !== "ACTIVE" && (
              <p className="text-sm text-slate-700">
                It stays {statusLabel(enable.data.newStatus).toLowerCase()}. Fix the failing check, then
                enable it again.
              </p>
            )}
          </div>
        )}
      </div>
      {(enable.isError || disable.isError) && (
        <Alert tone="error" title={enable.isError ? "It could not be enabled" : "It could not be disabled"}>
          {errorMessage(enable.error ?? disable.error)}
        </Alert>
      )}
    </div>
  );
}
