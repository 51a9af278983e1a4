import { ScrollRegion } from "~/components/ui/scroll-region";

import { formatDateTime } from "./format";
import { HISTORY_ACTION_LABELS } from "./labels";
import { StatusBadge, StatusTransition } from "./status-badge";
import type { IntegrationDetails } from "./use-integrations";

type HistoryEvent = IntegrationDetails["history"][number];

function statusIn(snapshot: unknown): string | null {
  if (typeof snapshot !== "object" || snapshot === null || !("status" in snapshot)) return null;
  return typeof snapshot.status === "string" ? snapshot.status : null;
}

function StatusChange({ event }: { event: HistoryEvent }) {
  const before = statusIn(event.before);
  const after = statusIn(event.after);
  if (before && after && before !== after) return <StatusTransition from={before} to={after} />;
  if (after ?? before) return <StatusBadge status={(after ?? before)!} />;
  return <span className="text-slate-600">—</span>;
}

/** Every change of the integration: what, why, status before → after, who, when. */
export function StatusHistory({ events }: { events: HistoryEvent[] }) {
  return (
    <section
      aria-labelledby="status-history-heading"
      className="rounded-2xl border border-slate-200 bg-white p-5"
    >
      <h2 id="status-history-heading" className="font-semibold text-slate-900">
        Status changes and edits
      </h2>
      {events.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">Nothing has changed yet.</p>
      ) : (
        <ScrollRegion label="Status changes and edits table" className="mt-3">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                {["When", "What", "Status", "Reason", "By"].map((heading) => (
                  <th key={heading} scope="col" className="py-2 pr-4 font-medium">
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr
                  key={event.id}
                  className="border-t border-slate-100 align-top"
                  data-testid="history-event"
                >
                  <td className="py-2 pr-4 whitespace-nowrap">
                    <time dateTime={new Date(event.createdAt).toISOString()}>
                      {formatDateTime(event.createdAt)}
                    </time>
                  </td>
                  <td className="py-2 pr-4 font-medium">
                    {HISTORY_ACTION_LABELS[event.action] ?? event.action}
                  </td>
                  <td className="py-2 pr-4">
                    <StatusChange event={event} />
                  </td>
                  <td className="py-2 pr-4 text-slate-700">{event.reason ?? "—"}</td>
                  <td className="py-2 pr-4 text-slate-700">
                    {event.actor?.name ?? event.actor?.email ?? "TicketBridge"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
