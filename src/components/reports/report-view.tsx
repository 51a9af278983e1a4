"use client";

import { EmptyState } from "~/components/empty-state";
import { ResponseTimesTable } from "~/components/tickets/response-times-table";
import { LoadingBlock } from "~/components/integrations/query-problem";
import { errorMessage, isNotFound } from "~/components/integrations/trpc-errors";
import { labelOf, PRIORITY_LABELS } from "~/components/tickets/labels";
import { Alert } from "~/components/ui/alert";
import { buttonClasses, ButtonLink } from "~/components/ui/button";

import { formatDateTime, formatWeek } from "./format";
import { useReport, type StoredReport } from "./use-reports";

type Summary = StoredReport["summary"];

const TYPE_LABELS: Record<string, string> = { BUG: "Bugs", FEATURE: "Feature requests", SUPPORT: "Support" };

/** One stored report: totals, breakdowns, response times against targets, and its CSV. */
export function ReportView({ id }: { id: string }) {
  const report = useReport(id);
  if (report.isPending) return <LoadingBlock label="Loading the report…" />;
  if (report.isError) {
    if (isNotFound(report.error)) {
      return (
        <EmptyState title="Report not found" action={{ href: "/reports", label: "Back to reports" }}>
          {errorMessage(report.error)}
        </EmptyState>
      );
    }
    return (
      <Alert tone="error" title="Could not load the report">
        <p>{errorMessage(report.error)}</p>
      </Alert>
    );
  }
  const { summary } = report.data;
  const totals = [
    ["opened", "Opened", summary.totals.opened],
    ["resolved", "Resolved", summary.totals.resolved],
    ["open", summary.complete ? "Open at the end of the week" : "Open now", summary.totals.openAtEnd],
    ["stale", "Stale", summary.totals.stale],
  ] as const;

  return (
    <article aria-labelledby="report-title" className="space-y-6" data-testid="report">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 id="report-title" className="text-lg font-semibold text-slate-900">
            Weekly report, {formatWeek(summary.periodStart, summary.periodEnd, summary.complete)}
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            {summary.complete
              ? "The whole week, Monday to Sunday (UTC)."
              : `This week so far, up to ${formatDateTime(summary.periodEnd)}.`}{" "}
            Generated {formatDateTime(summary.generatedAt)}.
          </p>
        </div>
        <div className="flex gap-2">
          <ButtonLink href="/reports" variant="secondary">
            All reports
          </ButtonLink>
          {/* A plain link: the route answers with the file as an attachment. */}
          <a href={`/api/reports/${report.data.id}/csv`} download className={buttonClasses("primary")}>
            Download CSV
          </a>
        </div>
      </header>

      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {totals.map(([key, label, value]) => (
          <div key={key} className="rounded-xl border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="text-2xl font-semibold text-slate-900" data-testid={`report-${key}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <p className="text-sm text-slate-600">
        Stale: open tickets with no update for longer than their priority&apos;s resolution target, still
        stale now and already by the end of the period.
      </p>

      <div className="grid gap-4 lg:grid-cols-2">
        <Breakdown
          title="By type"
          rows={summary.byType.map((row) => ({ label: TYPE_LABELS[row.type] ?? row.type, ...row }))}
          complete={summary.complete}
        />
        <Breakdown
          title="By priority"
          rows={summary.byPriority.map((row) => ({ label: labelOf(PRIORITY_LABELS, row.priority), ...row }))}
          complete={summary.complete}
        />
      </div>
      <ResponseTimes times={summary.times} />
    </article>
  );
}

function Breakdown({
  title,
  rows,
  complete,
}: {
  title: string;
  rows: { label: string; opened: number; resolved: number; openAtEnd: number }[];
  complete: boolean;
}) {
  return (
    <section aria-label={title} className="rounded-xl border border-slate-200 bg-white p-4">
      <h3 className="text-sm font-semibold text-slate-900">{title}</h3>
      <table className="mt-2 w-full text-left text-sm">
        <thead className="text-xs text-slate-600">
          <tr>
            <th scope="col" className="py-1 font-medium">
              <span className="sr-only">{title}</span>
            </th>
            <th scope="col" className="py-1 font-medium">
              Opened
            </th>
            <th scope="col" className="py-1 font-medium">
              Resolved
            </th>
            <th scope="col" className="py-1 font-medium">
              {complete ? "Open at end" : "Open now"}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label} className="border-t border-slate-100">
              <th scope="row" className="py-1 font-medium">
                {row.label}
              </th>
              <td className="py-1">{row.opened}</td>
              <td className="py-1">{row.resolved}</td>
              <td className="py-1">{row.openAtEnd}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ResponseTimes({ times }: { times: Summary["times"] }) {
  return (
    <section className="rounded-xl border border-slate-200 bg-white p-4">
      <h3 className="text-sm font-semibold text-slate-900">Response and resolution times in the period</h3>
      <p className="mt-1 text-xs text-slate-600">
        First responses and resolutions that happened this week, measured from when the ticket was opened.
      </p>
      <ResponseTimesTable times={times} />
    </section>
  );
}
