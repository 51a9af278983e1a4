/** How reports show periods and durations: dates in UTC, the zone reports are cut in. */

const DAY_MS = 86_400_000;

const dateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

export const formatDate = (date: Date | string) => dateFormat.format(new Date(date));
export const formatDateTime = (date: Date | string) => dateTimeFormat.format(new Date(date));

/** "16 Nov 2026 – 22 Nov 2026": the last day is the one before the period's (exclusive) end. */
export function formatWeek(start: Date | string, end: Date | string, complete: boolean): string {
  const last = complete ? new Date(new Date(end).getTime() - DAY_MS) : new Date(end);
  return `${formatDate(start)} – ${formatDate(last)}`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 3_600) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (seconds < 48 * 3_600) return `${Math.round((seconds / 3_600) * 10) / 10} h`;
  return `${Math.round((seconds / 86_400) * 10) / 10} d`;
}

export function formatShare(part: number, whole: number): string {
  return whole === 0 ? "—" : `${Math.round((part / whole) * 100)}%`;
}
