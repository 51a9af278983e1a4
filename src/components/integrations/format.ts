const dateTime = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return "Never";
  return dateTime.format(new Date(value));
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** A 0–1 share as a percentage; null means "no data yet". */
export function formatRate(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? "No requests yet" : `${Math.round(rate * 100)}%`;
}

/** "baseUrl" → "Base url": a readable label for a field the schema gives no title. */
export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}
