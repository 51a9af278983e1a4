import type { IntegrationStatusName } from "~/lib/domain";

import { statusLabel } from "./labels";

const STATUS_STYLES: Record<IntegrationStatusName, string> = {
  PENDING: "bg-amber-50 text-amber-900 ring-amber-300",
  ACTIVE: "bg-emerald-50 text-emerald-900 ring-emerald-300",
  INACTIVE: "bg-slate-100 text-slate-800 ring-slate-300",
  ERROR: "bg-red-50 text-red-900 ring-red-300",
  EXPIRED: "bg-red-50 text-red-900 ring-red-300",
  SUSPENDED: "bg-orange-50 text-orange-900 ring-orange-300",
};

export function StatusBadge({ status }: { status: string }) {
  const style = STATUS_STYLES[status as IntegrationStatusName] ?? STATUS_STYLES.INACTIVE;
  return (
    <span
      data-testid="integration-status"
      data-status={status}
      className={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${style}`}
    >
      {statusLabel(status)}
    </span>
  );
}

/** "Pending test → Active", for test results and history. */
export function StatusTransition({ from, to }: { from: string; to: string }) {
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <StatusBadge status={from} />
      <span aria-hidden="true">→</span>
      <span className="sr-only">to</span>
      <StatusBadge status={to} />
    </span>
  );
}
