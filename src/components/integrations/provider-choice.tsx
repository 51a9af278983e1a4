import type { ProviderCatalogEntry } from "./use-integrations";

const CARD =
  "flex h-full w-full flex-col items-start rounded-2xl border bg-white p-5 text-left disabled:cursor-not-allowed";

/** Step 1: the ticketing systems of the registry; those not available yet are shown as coming soon. */
export function ProviderChoice({
  providers,
  onChoose,
}: {
  providers: ProviderCatalogEntry[];
  onChoose: (provider: ProviderCatalogEntry) => void;
}) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      {providers.map((provider) => (
        <li key={provider.id}>
          <button
            type="button"
            disabled={!provider.available}
            onClick={() => onChoose(provider)}
            aria-describedby={`provider-${provider.id}-description`}
            className={`${CARD} ${
              provider.available
                ? "border-slate-200 hover:border-brand-600"
                : "border-dashed border-slate-300 bg-slate-50"
            }`}
          >
            <span className="flex w-full items-center justify-between gap-2">
              <span className="font-semibold text-slate-900">{provider.name}</span>
              {!provider.available && (
                <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-medium text-slate-700">
                  Coming soon
                </span>
              )}
            </span>
            <span id={`provider-${provider.id}-description`} className="mt-1 text-sm text-slate-600">
              {provider.description}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
