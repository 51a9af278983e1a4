/**
 * Stored JSON, pretty-printed in a collapsible block. Rendered as text, so any markup inside is
 * shown, never interpreted.
 */
export function JsonDetails({
  summary,
  value,
  className = "",
}: {
  summary: React.ReactNode;
  value: unknown;
  className?: string;
}) {
  return (
    <details className={`group rounded-lg border border-slate-200 bg-slate-50 ${className}`}>
      <summary className="cursor-pointer select-none rounded-lg px-3 py-2 text-sm font-medium text-slate-800 hover:bg-slate-100">
        {summary}
      </summary>
      <pre
        tabIndex={0}
        className="max-h-96 overflow-auto border-t border-slate-200 px-3 py-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-800"
      >
        {JSON.stringify(value, null, 2)}
      </pre>
    </details>
  );
}
