"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { toast } from "sonner";

import { EmptyState } from "~/components/empty-state";
import { LoadingBlock } from "~/components/integrations/query-problem";
import { errorMessage } from "~/components/integrations/trpc-errors";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";

import { formatDate, formatDateTime } from "./format";
import { useGenerateReport, useReports } from "./use-reports";

const DAY_MS = 86_400_000;

/** "Generate now" and the stored reports, newest week first. */
export function ReportList() {
  const reports = useReports();
  return (
    <div className="space-y-6">
      <GenerateNow />
      <section aria-labelledby="stored-reports" className="rounded-2xl border border-slate-200 bg-white p-5">
        <h2 id="stored-reports" className="font-semibold">
          Stored reports
        </h2>
        {reports.isPending ? (
          <div className="mt-3">
            <LoadingBlock label="Loading reports…" />
          </div>
        ) : reports.isError ? (
          <Alert tone="error" title="Could not load the reports" className="mt-3">
            <p>{errorMessage(reports.error)}</p>
          </Alert>
        ) : reports.data.length === 0 ? (
          <div className="mt-3">
            <EmptyState title="No reports yet">
              Every Monday at 06:00 UTC the report of the week before is stored here. Generate one now to see
              this week so far.
            </EmptyState>
          </div>
        ) : (
          <table className="mt-3 w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-2 font-medium">
                  Week
                </th>
                <th scope="col" className="py-2 font-medium">
                  Covers
                </th>
                <th scope="col" className="py-2 font-medium">
                  Generated
                </th>
              </tr>
            </thead>
            <tbody>
              {reports.data.map((report) => {
                const complete = report.periodEnd.getTime() - report.periodStart.getTime() >= 7 * DAY_MS;
                return (
                  <tr key={report.id} className="border-t border-slate-100" data-testid="report-row">
                    <td className="py-2">
                      <Link
                        href={`/reports/${report.id}`}
                        className="font-medium text-brand-700 hover:underline"
                      >
                        Week of {formatDate(report.periodStart)}
                      </Link>
                    </td>
                    <td className="py-2">
                      {complete ? "The whole week" : `Up to ${formatDateTime(report.periodEnd)}`}
                    </td>
                    <td className="py-2">{formatDateTime(report.createdAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function GenerateNow() {
  const router = useRouter();
  const generate = useGenerateReport();
  const run = (week: "current" | "last") =>
    generate.mutate(
      { week },
      {
        onSuccess: (report) => {
          toast.success(`Report for the week of ${formatDate(report.periodStart)} is ready.`);
          router.push(`/reports/${report.id}`);
        },
      },
    );
  const busy = generate.isPending ? generate.variables?.week : undefined;
  return (
    <section aria-labelledby="generate-now" className="rounded-2xl border border-slate-200 bg-white p-5">
      <h2 id="generate-now" className="font-semibold">
        Generate now
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Weeks run Monday to Sunday (UTC). This week&apos;s report covers the days so far; generating a week
        again replaces its report with current figures.
      </p>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button
          pending={busy === "current"}
          pendingLabel="Generating…"
          disabled={generate.isPending}
          onClick={() => run("current")}
        >
          Generate this week
        </Button>
        <Button
          variant="secondary"
          pending={busy === "last"}
          pendingLabel="Generating…"
          disabled={generate.isPending}
          onClick={() => run("last")}
        >
          Generate last week
        </Button>
      </div>
      {generate.isError && (
        <p role="alert" className="mt-2 text-sm text-red-800">
          The report was not generated: {errorMessage(generate.error)}
        </p>
      )}
    </section>
  );
}
