"use client";

import Link from "next/link";
import { useState } from "react";

import { formatDateTime } from "~/components/integrations/format";
import { LoadingBlock } from "~/components/integrations/query-problem";
import { errorMessage } from "~/components/integrations/trpc-errors";
import { PRIORITY_LABELS, TICKET_STATUS_LABELS, labelOf } from "~/components/tickets/labels";
import { Button } from "~/components/ui/button";
import { inputClasses } from "~/components/ui/form-field";

import { KIND_LABELS, PRIORITY_STYLES, STATUS_STYLES } from "./labels";
import { Badge } from "./my-tickets";
import { ScreenshotThumbnails } from "./screenshots";
import { useMyTicket, useReply } from "./use-support";

/** A customer's ticket: its status (kept current), the public conversation and a reply box. */
export function MyTicketView({ id }: { id: string }) {
  const ticket = useMyTicket(id);
  const reply = useReply(id);
  const [body, setBody] = useState("");
  if (ticket.isPending) return <LoadingBlock label="Loading your ticket…" />;
  if (ticket.isError) return <p className="text-red-800">{errorMessage(ticket.error)}</p>;
  const data = ticket.data;

  return (
    <div className="space-y-6">
      <header>
        <Link href="/support" className="text-sm font-medium text-brand-700 hover:underline">
          <span aria-hidden="true">←</span> Support
        </Link>
        <h1 className="mt-2 text-2xl font-semibold break-words text-slate-900">
          <span className="font-mono text-slate-600">#{data.number}</span> {data.title}
        </h1>
        <p className="mt-2 flex flex-wrap items-center gap-2">
          <Badge className={STATUS_STYLES[data.status]}>
            <span data-testid="my-ticket-status">{labelOf(TICKET_STATUS_LABELS, data.status)}</span>
          </Badge>
          <Badge className="bg-slate-100 text-slate-800">{KIND_LABELS[data.kind]}</Badge>
          <Badge className={PRIORITY_STYLES[data.priority]}>{labelOf(PRIORITY_LABELS, data.priority)}</Badge>
          {data.externalKey && data.externalUrl && (
            <a
              href={data.externalUrl}
              target="_blank"
              rel="noreferrer"
              className="font-mono text-sm text-brand-700 underline"
            >
              {data.externalKey}
            </a>
          )}
        </p>
      </header>
      <section className="rounded-2xl border border-slate-200 bg-white p-5">
        <h2 className="font-semibold text-slate-900">What you wrote</h2>
        <p className="mt-2 whitespace-pre-wrap break-words text-sm text-slate-800">{data.description}</p>
        <ScreenshotThumbnails attachments={data.attachments} />
      </section>
      <section
        aria-labelledby="conversation-heading"
        className="rounded-2xl border border-slate-200 bg-white p-5"
      >
        <h2 id="conversation-heading" className="font-semibold text-slate-900">
          Conversation
        </h2>
        {data.comments.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No replies yet. The team answers here.</p>
        ) : (
          <ol className="mt-3 space-y-3" data-testid="public-comments">
            {data.comments.map((comment) => (
              <li
                key={comment.id}
                className={`rounded-xl border p-3 text-sm ${comment.mine ? "border-brand-100 bg-brand-50" : "border-slate-200"}`}
              >
                <p className="text-xs text-slate-600">
                  <span className="font-medium text-slate-900">
                    {comment.mine ? "You" : comment.authorName}
                  </span>{" "}
                  <time dateTime={new Date(comment.createdAt).toISOString()}>
                    {formatDateTime(comment.createdAt)}
                  </time>
                </p>
                <p className="mt-1 whitespace-pre-wrap break-words text-slate-800">{comment.body}</p>
              </li>
            ))}
          </ol>
        )}
        <form
          className="mt-4 space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            reply.mutate({ ticketId: id, body }, { onSuccess: () => setBody("") });
          }}
        >
          <label htmlFor="reply" className="block text-sm font-medium text-slate-900">
            Reply
          </label>
          <textarea
            id="reply"
            rows={3}
            className={inputClasses}
            value={body}
            onChange={(event) => setBody(event.target.value)}
          />
          {reply.error && <p className="text-sm text-red-800">{errorMessage(reply.error)}</p>}
          <Button type="submit" pending={reply.isPending} pendingLabel="Sending…">
            Send reply
          </Button>
        </form>
      </section>
    </div>
  );
}
