import { CheckList, type CheckOutcome } from "./check-results";
import { formatDateTime, formatDuration } from "./format";
import { StatusTransition } from "./status-badge";
import type { IntegrationDetails } from "./use-integrations";

type TestRun = IntegrationDetails["testRuns"][number];

/** Stored as JSON; only well-formed entries are shown. */
function checksOf(run: TestRun): CheckOutcome[] {
  if (!Array.isArray(run.results)) return [];
  return run.results.filter(
    (entry): entry is CheckOutcome =>
      typeof entry === "object" &&
      entry !== null &&
      "type" in entry &&
      "passed" in entry &&
      "message" in entry,
  );
}

/** The test runs, newest first: outcome, time, response time, previous → new status, each check. */
export function TestHistory({ runs }: { runs: TestRun[] }) {
  return (
    <section
      aria-labelledby="test-history-heading"
      className="rounded-2xl border border-slate-200 bg-white p-5"
    >
      <h2 id="test-history-heading" className="font-semibold text-slate-900">
        Test runs
      </h2>
      {runs.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No tests yet. Run one with “Test” above.</p>
      ) : (
        <ol className="mt-3 space-y-2">
          {runs.map((run, index) => (
            <li key={run.id} data-testid="test-run">
              <details open={index === 0} className="group rounded-xl border border-slate-200">
                <summary className="flex cursor-pointer flex-wrap items-center gap-x-4 gap-y-1 px-4 py-3 text-sm">
                  <span className={`font-semibold ${run.success ? "text-emerald-800" : "text-red-800"}`}>
                    <span aria-hidden="true">{run.success ? "✓ " : "✕ "}</span>
                    {run.success ? "Passed" : "Failed"}
                  </span>
                  <time dateTime={new Date(run.createdAt).toISOString()} className="text-slate-700">
                    {formatDateTime(run.createdAt)}
                  </time>
                  <span className="text-slate-700">{formatDuration(run.responseTimeMs)}</span>
                  <StatusTransition from={run.previousStatus} to={run.newStatus} />
                </summary>
                <div className="px-4 pb-4">
                  <CheckList checks={checksOf(run)} />
                </div>
              </details>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
