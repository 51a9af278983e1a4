import { CHECK_LABELS, type CheckType } from "~/lib/domain";

import { formatDuration } from "./format";
import { StatusTransition } from "./status-badge";

export type CheckOutcome = {
  type: string;
  passed: boolean;
  message: string;
  durationMs: number;
};

export type CheckRunOutcome = {
  checks: CheckOutcome[];
  success: boolean;
  totalMs: number;
  cancelled?: boolean;
  previousStatus?: string;
  newStatus?: string;
};

function checkLabel(type: string): string {
  return CHECK_LABELS[type as CheckType] ?? type;
}

/** Each check with pass/fail (icon and word), its message and how long it took. */
export function CheckList({ checks }: { checks: CheckOutcome[] }) {
  return (
    <ul className="divide-y divide-slate-100 rounded-xl border border-slate-200 bg-white">
      {checks.map((check) => (
        <li
          key={check.type}
          data-testid={`check-${check.type}`}
          data-passed={check.passed}
          className="flex gap-3 px-4 py-3 text-sm"
        >
          <span
            aria-hidden="true"
            className={`mt-0.5 flex h-5 w-5 shrink-0 items-center justify-center rounded-full text-xs font-bold text-white ${
              check.passed ? "bg-emerald-700" : "bg-red-700"
            }`}
          >
            {check.passed ? "✓" : "✕"}
          </span>
          <div className="min-w-0 flex-1">
            <p className="font-medium text-slate-900">
              {checkLabel(check.type)}:{" "}
              <span className={check.passed ? "text-emerald-800" : "text-red-800"}>
                {check.passed ? "passed" : "failed"}
              </span>
            </p>
            <p className="break-words text-slate-700">{check.message}</p>
          </div>
          <span className="shrink-0 text-xs text-slate-600">{formatDuration(check.durationMs)}</span>
        </li>
      ))}
    </ul>
  );
}

/** A whole run: the outcome, total time, and (for tests) previous → new status. */
export function CheckRunResult({ run, title }: { run: CheckRunOutcome; title: string }) {
  const outcome = run.cancelled ? "Cancelled" : run.success ? "All checks passed" : "A check failed";
  return (
    <section aria-label={title} data-testid="check-run" data-success={run.success} className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        <p className={`font-semibold ${run.success ? "text-emerald-800" : "text-red-800"}`}>
          <span aria-hidden="true">{run.success ? "✓ " : "✕ "}</span>
          {title}: {outcome}
        </p>
        <p className="text-slate-700">
          Total response time: <span data-testid="total-time">{formatDuration(run.totalMs)}</span>
        </p>
        {run.previousStatus && run.newStatus && (
          <p className="flex items-center gap-2 text-slate-700">
            Status: <StatusTransition from={run.previousStatus} to={run.newStatus} />
          </p>
        )}
      </div>
      <CheckList checks={run.checks} />
    </section>
  );
}
