import type { ConnectionModeEntry } from "./use-integrations";

/** Step 2: the ways to connect the chosen system, each with what it needs. */
export function ModeChoice({
  modes,
  onChoose,
}: {
  modes: ConnectionModeEntry[];
  onChoose: (mode: ConnectionModeEntry) => void;
}) {
  return (
    <ul className="grid gap-4 md:grid-cols-3">
      {modes.map((mode) => (
        <li key={mode.id}>
          <button
            type="button"
            onClick={() => onChoose(mode)}
            aria-describedby={`mode-${mode.id}-description`}
            className="flex h-full w-full flex-col items-start rounded-2xl border border-slate-200 bg-white p-5 text-left hover:border-brand-600"
          >
            <span className="font-semibold text-slate-900">{mode.label}</span>
            <span id={`mode-${mode.id}-description`} className="mt-1 text-sm text-slate-600">
              {mode.description}
            </span>
            {mode.usesUserOAuthGrant && (
              <span className="mt-3 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-800">
                Uses your Atlassian sign-in
              </span>
            )}
          </button>
        </li>
      ))}
    </ul>
  );
}
