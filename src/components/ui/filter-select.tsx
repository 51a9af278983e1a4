import { inputClasses } from "./form-field";

export type FilterOption = { value: string; label: string };

/** A labelled select whose first option means "no filter" (`allLabel={null}` leaves it out). */
export function FilterSelect({
  id,
  label,
  value,
  options,
  allLabel = "All",
  onChange,
}: {
  id: string;
  label: string;
  value: string | undefined;
  options: FilterOption[];
  allLabel?: string | null;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      <select
        id={id}
        value={value ?? ""}
        onChange={(event) => onChange(event.target.value || undefined)}
        className={`mt-1 ${inputClasses}`}
      >
        {allLabel !== null && <option value="">{allLabel}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
