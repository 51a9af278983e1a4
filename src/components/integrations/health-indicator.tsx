type HealthLevel = "healthy" | "warning" | "error";

const HEALTH = {
  healthy: { label: "Healthy", icon: "✓", style: "text-emerald-800" },
  warning: { label: "Warning", icon: "!", style: "text-amber-800" },
  error: { label: "Error", icon: "✕", style: "text-red-800" },
} as const satisfies Record<HealthLevel, unknown>;

/** Health as text and icon (never color alone), with the reason under it. */
export function HealthIndicator({ health }: { health: { level: HealthLevel; summary: string } }) {
  const { label, icon, style } = HEALTH[health.level];
  return (
    <div data-testid="integration-health" data-health={health.level}>
      <span className={`inline-flex items-center gap-1.5 text-sm font-semibold ${style}`}>
        <span
          aria-hidden="true"
          className="flex h-4 w-4 items-center justify-center rounded-full border border-current text-[10px] leading-none"
        >
          {icon}
        </span>
        {label}
      </span>
      <p className="text-xs text-slate-600">{health.summary}</p>
    </div>
  );
}
