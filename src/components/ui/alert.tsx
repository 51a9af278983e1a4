const TONES = {
  error: { box: "border-red-200 bg-red-50 text-red-900", icon: "!" },
  warning: { box: "border-amber-200 bg-amber-50 text-amber-900", icon: "!" },
  success: { box: "border-emerald-200 bg-emerald-50 text-emerald-900", icon: "✓" },
  info: { box: "border-brand-100 bg-brand-50 text-brand-800", icon: "i" },
} as const;

/**
 * A message box. Errors are announced at once (`role="alert"`); the other tones politely
 * (`role="status"`).
 */
export function Alert({
  tone = "info",
  title,
  children,
  className = "",
}: {
  tone?: keyof typeof TONES;
  title?: string;
  children?: React.ReactNode;
  className?: string;
}) {
  const { box, icon } = TONES[tone];
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={`flex gap-3 rounded-xl border p-4 text-sm ${box} ${className}`}
    >
      <span
        aria-hidden="true"
        className="flex h-5 w-5 shrink-0 items-center justify-center rounded-full border border-current text-xs font-bold"
      >
        {icon}
      </span>
      <div className="min-w-0">
        {title && <p className="font-semibold">{title}</p>}
        {children && <div className={title ? "mt-1" : ""}>{children}</div>}
      </div>
    </div>
  );
}
