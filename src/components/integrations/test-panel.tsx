"use client";

import { useId, useState } from "react";

import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";

import { CheckRunResult } from "./check-results";
import { errorMessage } from "./trpc-errors";
import { useTestIntegration, type TestOutcome } from "./use-integrations";

/**
 * Runs the four checks against a saved integration. "Activate on success" (on by default) makes a
 * passing run activate it. The result — each check, total time, previous → new status — is
 * announced when it arrives.
 */
export function TestPanel({
  integrationId,
  disabledIntegration = false,
  onResult,
  children,
}: {
  integrationId: string;
  /** A disabled integration is only re-activated by "Enable"; testing it changes nothing. */
  disabledIntegration?: boolean;
  onResult?: (result: TestOutcome) => void;
  /** Shown under the result, e.g. what to do next. */
  children?: (result: TestOutcome) => React.ReactNode;
}) {
  const [autoActivate, setAutoActivate] = useState(true);
  const test = useTestIntegration();
  const checkboxId = useId();

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-4">
        {disabledIntegration ? (
          <p className="max-w-prose text-sm text-slate-600">
            Testing a disabled integration does not enable it; use Enable for that.
          </p>
        ) : (
          <div className="flex items-start gap-2">
            <input
              id={checkboxId}
              type="checkbox"
              checked={autoActivate}
              onChange={(event) => setAutoActivate(event.target.checked)}
              aria-describedby={`${checkboxId}-help`}
              className="mt-0.5 h-4 w-4 accent-brand-600"
            />
            <div>
              <label htmlFor={checkboxId} className="text-sm font-medium text-slate-900">
                Activate on success
              </label>
              <p id={`${checkboxId}-help`} className="text-xs text-slate-600">
                When every check passes, the integration becomes active and can receive tickets.
              </p>
            </div>
          </div>
        )}
        <Button
          onClick={() =>
            test.mutate(
              { id: integrationId, autoActivateOnSuccess: autoActivate && !disabledIntegration },
              { onSuccess: onResult },
            )
          }
          pending={test.isPending}
          pendingLabel="Testing…"
        >
          Test
        </Button>
      </div>
      <div aria-live="polite" className="space-y-4">
        {test.isPending && (
          <p className="text-sm text-slate-700">
            Running the checks: connection, authentication, project access, permissions…
          </p>
        )}
        {test.data && !test.isPending && (
          <>
            <CheckRunResult run={test.data} title="Test" />
            {children?.(test.data)}
          </>
        )}
      </div>
      {test.isError && (
        <Alert tone="error" title="The test could not run">
          {errorMessage(test.error)}
        </Alert>
      )}
    </div>
  );
}
