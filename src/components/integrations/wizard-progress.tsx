export const WIZARD_STEPS = [
  "Choose a system",
  "Choose how to connect",
  "Configure and verify",
  "Test and activate",
] as const;

/** Where the admin is in the wizard; the current step is marked for screen readers too. */
export function WizardProgress({ current }: { current: number }) {
  return (
    <ol aria-label="Progress" className="mb-6 grid gap-2 sm:grid-cols-4">
      {WIZARD_STEPS.map((label, index) => {
        const state = index < current ? "done" : index === current ? "current" : "upcoming";
        return (
          <li
            key={label}
            aria-current={state === "current" ? "step" : undefined}
            className={`rounded-lg border-t-4 px-3 py-2 text-sm ${
              state === "current"
                ? "border-brand-600 bg-white font-semibold text-slate-900"
                : state === "done"
                  ? "border-brand-600 text-slate-700"
                  : "border-slate-200 text-slate-600"
            }`}
          >
            <span className="block text-xs font-medium text-slate-600">
              Step {index + 1}
              {state === "done" && <span className="sr-only"> (done)</span>}
            </span>
            {label}
          </li>
        );
      })}
    </ol>
  );
}
