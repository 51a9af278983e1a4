import { SYNC_STATE_LABELS, labelOf } from "./labels";

const STYLES = {
  PENDING: { icon: "…", style: "bg-slate-100 text-slate-800 ring-slate-300" },
  RETRYING: { icon: "!", style: "bg-amber-50 text-amber-900 ring-amber-300" },
  CREATED: { icon: "✓", style: "bg-emerald-50 text-emerald-900 ring-emerald-300" },
  FAILED: { icon: "✕", style: "bg-red-50 text-red-900 ring-red-300" },
} as const;

/**
 * A pending creation whose last attempt failed is "failed for now": the server retries it, and
 * the person may retry it too.
 */
export function isFailingForNow(link: { state: string; errorMessage: string | null }): boolean {
  return link.state === "PENDING" && Boolean(link.errorMessage);
}

export function needsRetry(link: { state: string; errorMessage: string | null }): boolean {
  return link.state === "FAILED" || isFailingForNow(link);
}

/** Sync state of an external issue as icon and words, never color alone. */
export function SyncStateBadge({ state, errorMessage }: { state: string; errorMessage?: string | null }) {
  const retrying = isFailingForNow({ state, errorMessage: errorMessage ?? null });
  const key = retrying ? "RETRYING" : (state as keyof typeof STYLES);
  const { icon, style } = STYLES[key] ?? STYLES.PENDING;
  return (
    <span
      data-testid="sync-state"
      data-state={state}
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset ${style}`}
    >
      <span aria-hidden="true">{icon}</span>
      {retrying ? "Failed, retrying" : labelOf(SYNC_STATE_LABELS, state)}
    </span>
  );
}
