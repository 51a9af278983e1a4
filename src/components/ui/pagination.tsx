import { Button } from "./button";

/** Previous / next with "Page 2 of 5"; the page is announced when it changes. */
export function Pagination({
  label,
  page,
  pageCount,
  onPageChange,
}: {
  /** What is paged, for the navigation landmark: "Tickets pages". */
  label: string;
  page: number;
  pageCount: number;
  onPageChange: (page: number) => void;
}) {
  if (pageCount <= 1 && page <= 1) return null;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-between gap-3">
      <Button variant="secondary" disabled={page <= 1} onClick={() => onPageChange(page - 1)}>
        <span aria-hidden="true">←</span> Previous
      </Button>
      <p aria-live="polite" className="text-sm text-slate-700" data-testid="page-indicator">
        Page {page} of {Math.max(pageCount, 1)}
      </p>
      <Button variant="secondary" disabled={page >= pageCount} onClick={() => onPageChange(page + 1)}>
        Next <span aria-hidden="true">→</span>
      </Button>
    </nav>
  );
}
