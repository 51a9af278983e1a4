"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";

import { Button } from "~/components/ui/button";
import { useTRPC, type RouterOutputs } from "~/trpc/react";

import { ResponseTimesTable } from "./response-times-table";

type Stats = RouterOutputs["ticket"]["stats"];

function minutesAgo(at: Date): string {
  const minutes = Math.floor((Date.now() - new Date(at).getTime()) / 60_000);
  return minutes < 1 ? "just now" : minutes === 1 ? "1 min ago" : `${minutes} min ago`;
}

/**
 * Counts (always current), response times against their targets, and tickets opened vs resolved
 * per day. For large organizations the times and the chart come from figures stored every few
 * minutes: the overview says when, and Refresh recomputes them.
 */
export function SupportOverview() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const stats = useQuery(trpc.ticket.stats.queryOptions());
  const refresh = useMutation(
    trpc.ticket.refreshStats.mutationOptions({
      onSuccess: (fresh) => queryClient.setQueryData(trpc.ticket.stats.queryKey(), fresh),
    }),
  );
  if (!stats.data) return null;
  const { counts, times, perDay, computedAt } = stats.data;
  const tiles = [
    ["Tickets", counts.total],
    ["Open bugs", counts.openBugs],
    ["Open feature requests", counts.openFeatures],
    ["Open support tickets", counts.openSupport],
    ["Open high", counts.openHigh],
    ["Open critical", counts.openCritical],
  ] as const;

  return (
    <section aria-labelledby="overview-heading" className="mb-6 space-y-4" data-testid="support-overview">
      <h2 id="overview-heading" className="sr-only">
        Support overview
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 xl:grid-cols-7">
        {tiles.map(([label, value]) => (
          <div key={label} className="rounded-xl border border-slate-200 bg-white p-3">
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd className="text-2xl font-semibold text-slate-900">{value}</dd>
          </div>
        ))}
        <div className="rounded-xl border border-amber-200 bg-amber-50 p-3">
          <dt className="text-xs text-amber-900">Stale</dt>
          <dd className="text-2xl font-semibold text-slate-900">
            <Link
              href="/tickets?stale=1"
              className="underline-offset-2 hover:underline"
              aria-label={`${counts.stale} stale tickets: show them`}
              data-testid="stale-count"
            >
              {counts.stale}
            </Link>
          </dd>
        </div>
      </dl>
      {computedAt && (
        <p className="flex items-center gap-3 text-xs text-slate-600" data-testid="stats-updated">
          Response times and the daily chart updated {minutesAgo(computedAt)}.
          <Button variant="ghost" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
            {refresh.isPending ? "Refreshing…" : "Refresh"}
          </Button>
        </p>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <ResponseTimes times={times} />
        <OpenedVsResolved perDay={perDay} />
      </div>
    </section>
  );
}

function ResponseTimes({ times }: { times: Stats["times"] }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4">
      <h3 className="text-sm font-semibold text-slate-900">Response and resolution times</h3>
      <ResponseTimesTable times={times} />
    </div>
  );
}

function OpenedVsResolved({ perDay }: { perDay: Stats["perDay"] }) {
  const max = Math.max(1, ...perDay.flatMap((day) => [day.opened, day.resolved]));
  const width = 100 / perDay.length;
  const opened = perDay.reduce((sum, day) => sum + day.opened, 0);
  const resolved = perDay.reduce((sum, day) => sum + day.resolved, 0);
  return (
    <figure className="rounded-xl border border-slate-200 bg-white p-4">
      <figcaption className="text-sm font-semibold text-slate-900">
        Opened vs resolved, last {perDay.length} days{" "}
        <span className="font-normal text-slate-600">
          ({opened} opened, {resolved} resolved)
        </span>
      </figcaption>
      <svg
        viewBox="0 0 100 40"
        className="mt-2 h-32 w-full"
        role="img"
        aria-label={`${opened} opened, ${resolved} resolved`}
      >
        {perDay.map((day, index) => (
          <g key={day.day}>
            <title>{`${day.day}: ${day.opened} opened, ${day.resolved} resolved`}</title>
            <rect
              x={index * width + width * 0.1}
              width={width * 0.4}
              y={40 - (day.opened / max) * 38}
              height={(day.opened / max) * 38}
              className="fill-brand-600"
            />
            <rect
              x={index * width + width * 0.5}
              width={width * 0.4}
              y={40 - (day.resolved / max) * 38}
              height={(day.resolved / max) * 38}
              className="fill-emerald-500"
            />
          </g>
        ))}
      </svg>
      <p className="mt-1 flex gap-4 text-xs text-slate-600">
        <span>
          <span className="mr-1 inline-block h-2 w-2 bg-brand-600" aria-hidden="true" />
          Opened
        </span>
        <span>
          <span className="mr-1 inline-block h-2 w-2 bg-emerald-500" aria-hidden="true" />
          Resolved
        </span>
      </p>
    </figure>
  );
}
