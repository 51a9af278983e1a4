"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";

import { Alert } from "~/components/ui/alert";
import { Button, ButtonLink } from "~/components/ui/button";

import { ConnectionForm } from "./connection-form";
import { ModeChoice } from "./mode-choice";
import { ProviderChoice } from "./provider-choice";
import { LoadingBlock, QueryProblem } from "./query-problem";
import { StatusBadge } from "./status-badge";
import { TestPanel } from "./test-panel";
import {
  useProviderCatalog,
  type ConnectionModeEntry,
  type IntegrationListItem,
  type ProviderCatalogEntry,
  type TestOutcome,
} from "./use-integrations";
import { WIZARD_STEPS, WizardProgress } from "./wizard-progress";

type WizardState =
  | { step: 0 }
  | { step: 1; provider: ProviderCatalogEntry }
  | { step: 2; provider: ProviderCatalogEntry; mode: ConnectionModeEntry }
  | { step: 3; provider: ProviderCatalogEntry; mode: ConnectionModeEntry; integration: IntegrationListItem };

/** Connect a ticketing system: system → how to connect → configure and verify → test and activate. */
export function ConnectWizard() {
  const catalog = useProviderCatalog();
  const [state, setState] = useState<WizardState>({ step: 0 });

  if (catalog.isPending) return <LoadingBlock label="Loading the ticketing systems…" />;
  if (catalog.isError) return <QueryProblem error={catalog.error} onRetry={() => void catalog.refetch()} />;

  return (
    <>
      <WizardProgress current={state.step} />
      <StepSection step={state.step}>
        {state.step === 0 && (
          <ProviderChoice providers={catalog.data} onChoose={(provider) => setState({ step: 1, provider })} />
        )}
        {state.step === 1 && (
          <>
            <ModeChoice
              modes={state.provider.modes}
              onChoose={(mode) => setState({ ...state, step: 2, mode })}
            />
            <BackButton onClick={() => setState({ step: 0 })} />
          </>
        )}
        {state.step === 2 && (
          <>
            <ConnectionForm
              provider={state.provider}
              mode={state.mode}
              onConnected={(integration) => setState({ ...state, step: 3, integration })}
            />
            <BackButton onClick={() => setState({ step: 1, provider: state.provider })} />
          </>
        )}
        {state.step === 3 && <TestStep integration={state.integration} />}
      </StepSection>
    </>
  );
}

/** Each step has a heading that takes focus when the step opens, so keyboard and screen reader users follow. */
function StepSection({ step, children }: { step: number; children: React.ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);
  return (
    <section aria-labelledby="wizard-step-heading" className="space-y-4">
      <h2
        id="wizard-step-heading"
        ref={heading}
        tabIndex={-1}
        className="text-lg font-semibold text-slate-900"
      >
        {WIZARD_STEPS[step]}
      </h2>
      {children}
    </section>
  );
}

function BackButton({ onClick }: { onClick: () => void }) {
  return (
    <Button variant="ghost" onClick={onClick}>
      <span aria-hidden="true">←</span> Back
    </Button>
  );
}

function TestStep({ integration }: { integration: IntegrationListItem }) {
  const [result, setResult] = useState<TestOutcome | null>(null);
  const detailHref = `/integrations/${integration.id}`;
  return (
    <div className="space-y-4">
      <Alert tone="success" title={`${integration.name} is connected`}>
        It was saved as <StatusBadge status={integration.status} />. Test it now: the four checks run against{" "}
        {integration.providerName}, and with “Activate on success” it becomes active when they pass.
      </Alert>
      <div className="rounded-2xl border border-slate-200 bg-white p-5">
        <TestPanel integrationId={integration.id} onResult={setResult}>
          {(outcome) =>
            outcome.newStatus === "ACTIVE" ? (
              <Alert tone="success" title={`${integration.name} is active`}>
                <p>It can receive tickets now.</p>
                <div className="mt-3 flex flex-wrap gap-3">
                  <ButtonLink href="/integrations">Go to integrations</ButtonLink>
                  <ButtonLink href={detailHref} variant="secondary">
                    Open {integration.name}
                  </ButtonLink>
                </div>
              </Alert>
            ) : (
              <p className="text-sm text-slate-700">
                {outcome.success
                  ? "Every check passed. Test again with “Activate on success” to activate it, or "
                  : "Fix the cause shown above and test again, or "}
                <Link href={detailHref} className="font-medium text-brand-700 underline">
                  open {integration.name}
                </Link>{" "}
                to edit its settings.
              </p>
            )
          }
        </TestPanel>
      </div>
      {!result && (
        <p className="text-sm text-slate-600">
          You can also test it later from the{" "}
          <Link href="/integrations" className="font-medium text-brand-700 underline">
            integrations list
          </Link>
          .
        </p>
      )}
    </div>
  );
}
