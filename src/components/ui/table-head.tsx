/** The header row of a data table: one column heading per entry. */
export function TableHead({ headings }: { headings: readonly string[] }) {
  return (
    <thead className="bg-slate-50 text-slate-700">
      <tr>
        {headings.map((heading) => (
          <th key={heading} scope="col" className="px-4 py-3 font-medium">
            {heading}
          </th>
        ))}
      </tr>
    </thead>
  );
}
