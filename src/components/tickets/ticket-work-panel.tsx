"use client";

import { useState } from "react";
import { toast } from "sonner";

import { formatDateTime } from "~/components/integrations/format";
import { errorMessage } from "~/components/integrations/trpc-errors";
import { Button } from "~/components/ui/button";
import { inputClasses } from "~/components/ui/form-field";

import { TICKET_STATUS_LABELS } from "./labels";
import {
  useAssignableMembers,
  useTicketChanges,
  useTicketComments,
  type TicketChangeResult,
  type TicketDetails,
} from "./use-tickets";

/** Says what happened in the app and, for each linked issue, whether the external side followed. */
function announce(done: string, result: TicketChangeResult) {
  const failed = result.externalChanges.filter((change) => change.syncState !== "CREATED");
  const sent = result.externalChanges.filter((change) => change.syncState === "CREATED");
  const followed = sent.map((change) => change.externalIssue.externalKey).join(", ");
  if (failed.length === 0) {
    toast.success(followed ? `${done} ${followed} follows in Jira.` : done);
    return;
  }
  const pending = failed.filter((change) => change.syncState === "PENDING");
  toast.warning(
    `${done} ${failed
      .map((change) =>
        change.syncState === "PENDING"
          ? `${change.externalIssue.externalKey} will follow when Jira answers (${change.lastError ?? "still sending"}).`
          : `${change.externalIssue.externalKey} did not follow: ${change.lastError ?? "unknown error"}`,
      )
      .join(" ")}`,
    { duration: pending.length > 0 ? 6_000 : 12_000 },
  );
}

/** What an agent does with a ticket: its status, who has it, and the conversation. */
export function TicketWorkPanel({ ticket }: { ticket: TicketDetails }) {
  const { changeStatus, assign } = useTicketChanges(ticket.id);
  const members = useAssignableMembers();

  return (
    <section aria-labelledby="work-heading" className="rounded-2xl border border-slate-200 bg-white p-5">
      <h2 id="work-heading" className="font-semibold text-slate-900">
        Work on this ticket
      </h2>
      <div className="mt-4 grid gap-4 sm:grid-cols-2">
        <div>
          <label htmlFor="ticket-status" className="block text-sm font-medium text-slate-900">
            Status
          </label>
          <select
            id="ticket-status"
            className={`${inputClasses} mt-1`}
            value={ticket.status}
            disabled={changeStatus.isPending}
            onChange={(event) => {
              const status = event.target.value as keyof typeof TICKET_STATUS_LABELS;
              changeStatus.mutate(
                { ticketId: ticket.id, status },
                {
                  onSuccess: (result) => announce(`Status set to ${TICKET_STATUS_LABELS[status]}.`, result),
                  onError: (error) => toast.error(errorMessage(error)),
                },
              );
            }}
          >
            {Object.entries(TICKET_STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="ticket-assignee" className="block text-sm font-medium text-slate-900">
            Assignee
          </label>
          <select
            id="ticket-assignee"
            className={`${inputClasses} mt-1`}
            value={ticket.assignee?.id ?? ""}
            disabled={assign.isPending || members.isPending}
            onChange={(event) => {
              const assigneeId = event.target.value || null;
              const name = members.data?.find((member) => member.id === assigneeId)?.name;
              assign.mutate(
                { ticketId: ticket.id, assigneeId },
                {
                  onSuccess: (result) => announce(name ? `Assigned to ${name}.` : "Unassigned.", result),
                  onError: (error) => toast.error(errorMessage(error)),
                },
              );
            }}
          >
            <option value="">Unassigned</option>
            {members.data?.map((member) => (
              <option key={member.id} value={member.id}>
                {member.name}
                {member.linkedToJira ? "" : " (not linked to Jira)"}
              </option>
            ))}
          </select>
        </div>
      </div>
      <Conversation ticketId={ticket.id} />
    </section>
  );
}

function Conversation({ ticketId }: { ticketId: string }) {
  const comments = useTicketComments(ticketId);
  const { addComment } = useTicketChanges(ticketId);
  const [body, setBody] = useState("");
  const [internal, setInternal] = useState(false);
  const fieldError = (addComment.error?.data as { fieldErrors?: Record<string, string[]> } | undefined)
    ?.fieldErrors?.body?.[0];

  return (
    <div className="mt-6">
      <h3 className="text-sm font-semibold text-slate-900">Conversation</h3>
      {comments.isPending ? (
        <p className="mt-2 text-sm text-slate-600">Loading comments…</p>
      ) : comments.isError ? (
        <p className="mt-2 text-sm text-red-800">{errorMessage(comments.error)}</p>
      ) : comments.data.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No comments yet.</p>
      ) : (
        <ol className="mt-2 space-y-3" data-testid="comments">
          {comments.data.map((comment) => (
            <li
              key={comment.id}
              data-testid="comment"
              data-visibility={comment.visibility}
              className={`rounded-xl border p-3 text-sm ${comment.visibility === "INTERNAL" ? "border-amber-200 bg-amber-50" : "border-slate-200"}`}
            >
              <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
                <span className="font-medium text-slate-900">
                  {comment.author?.name ?? comment.author?.email ?? comment.authorName ?? "Someone"}
                </span>
                {comment.source === "JIRA" && <span>in Jira</span>}
                <time dateTime={new Date(comment.createdAt).toISOString()}>
                  {formatDateTime(comment.createdAt)}
                </time>
                {comment.visibility === "INTERNAL" && (
                  <span className="rounded-full bg-amber-200 px-2 py-0.5 font-medium text-amber-900">
                    Internal — agents only
                  </span>
                )}
              </p>
              {/* Shown as text: markup appears as typed, never rendered. */}
              <p className="mt-1 whitespace-pre-wrap break-words text-slate-800">{comment.body}</p>
            </li>
          ))}
        </ol>
      )}
      <form
        className="mt-4 space-y-3"
        onSubmit={(event) => {
          event.preventDefault();
          addComment.mutate(
            { ticketId, body, internal },
            {
              onSuccess: (result) => {
                setBody("");
                announce(internal ? "Internal comment added." : "Comment added.", result);
              },
            },
          );
        }}
      >
        <label htmlFor="new-comment" className="block text-sm font-medium text-slate-900">
          Add a comment
        </label>
        <textarea
          id="new-comment"
          rows={3}
          className={inputClasses}
          value={body}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? "new-comment-error" : undefined}
          onChange={(event) => setBody(event.target.value)}
        />
        {addComment.error && (
          <p id="new-comment-error" className="text-sm text-red-800">
            {fieldError ?? errorMessage(addComment.error)}
          </p>
        )}
        <div className="flex flex-wrap items-center justify-between gap-3">
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              checked={internal}
              onChange={(event) => setInternal(event.target.checked)}
            />
            Internal — visible to agents and admins only (restricted in Jira too)
          </label>
          <Button type="submit" pending={addComment.isPending} pendingLabel="Adding…">
            {internal ? "Add internal comment" : "Add comment"}
          </Button>
        </div>
      </form>
    </div>
  );
}
