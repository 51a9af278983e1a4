import Link from "next/link";

import { formatDateTime } from "~/components/integrations/format";
import { JsonDetails } from "~/components/ui/json-details";

import { auditHrefFor, ENTITY_TYPES } from "./audit-filters";
import type { AuditEvent } from "./use-audit-log";

/**
 * Audit events, newest first: when, what, on which entity (a link where it has a page), by whom,
 * why, and the before/after snapshots in a collapsible block. Works in server and client components.
 */
export function AuditEventList({
  events,
  filterLinks = true,
}: {
  events: AuditEvent[];
  filterLinks?: boolean;
}) {
  return (
    <ol className="divide-y divide-slate-100">
      {events.map((event) => (
        <AuditEventRow key={event.id} event={event} filterLink={filterLinks} />
      ))}
    </ol>
  );
}

const ENTITY_NAMES: Record<string, string> = Object.fromEntries(
  ENTITY_TYPES.map((type) => [type.value, type.label]),
);

function AuditEventRow({ event, filterLink }: { event: AuditEvent; filterLink: boolean }) {
  const { subject } = event;
  const hasChanges = event.before != null || event.after != null;
  return (
    <li className="space-y-2 py-3 text-sm" data-testid="audit-event" data-action={event.action}>
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <time dateTime={new Date(event.createdAt).toISOString()} className="whitespace-nowrap text-slate-600">
          {formatDateTime(event.createdAt)}
        </time>
        <span className="font-mono font-semibold text-slate-900">{event.action}</span>
        <span className="text-slate-700">
          {ENTITY_NAMES[event.entityType] ?? event.entityType}{" "}
          {!subject ? (
            <span>
              <span className="font-mono">{event.entityId}</span> (no longer exists)
            </span>
          ) : subject.href ? (
            <Link
              href={subject.href}
              title={event.entityId}
              className="font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800"
            >
              {subject.label}
            </Link>
          ) : (
            <span title={event.entityId} className="font-medium">
              {subject.label}
            </span>
          )}
          {filterLink && (
            <>
              {" · "}
              <Link
                href={auditHrefFor(event.entityType, event.entityId)}
                className="text-brand-700 underline-offset-2 hover:underline"
              >
                Only this {(ENTITY_NAMES[event.entityType] ?? event.entityType).toLowerCase()}
              </Link>
            </>
          )}
        </span>
        <span className="text-slate-700">
          by <span className="font-medium">{event.actor?.name ?? event.actor?.email ?? "system"}</span>
        </span>
      </div>
      {event.reason && <p className="break-words text-slate-800">{event.reason}</p>}
      {hasChanges && (
        <JsonDetails
          summary="Before and after"
          value={{ before: event.before ?? null, after: event.after ?? null }}
        />
      )}
    </li>
  );
}
