"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";

import { Button } from "~/components/ui/button";
import {
  formatBytes,
  MAX_SCREENSHOT_BYTES,
  MAX_SCREENSHOTS,
  SCREENSHOT_ACCEPT,
  SCREENSHOT_TYPES,
  type UploadedAttachment,
} from "~/server/services/attachments/attachments.schema";

type Picked = {
  key: string;
  name: string;
  previewUrl: string;
  state: "uploading" | "ready" | "failed";
  id?: string;
  problem?: string;
};

/**
 * Screenshots for a bug report: each file chosen is previewed and uploaded at once; the form sends
 * the ids of those uploaded. The server checks every file's bytes; the checks here only spare a
 * wasted upload.
 */
export function ScreenshotPicker({
  onChange,
}: {
  /** The uploaded screenshots' ids, and whether some are still uploading. */
  onChange: (ready: { ids: string[]; uploading: boolean }) => void;
}) {
  const [picked, setPicked] = useState<Picked[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const urls = useRef(new Set<string>());

  useEffect(() => {
    onChange({
      ids: picked.flatMap((item) => (item.state === "ready" && item.id ? [item.id] : [])),
      uploading: picked.some((item) => item.state === "uploading"),
    });
  }, [picked, onChange]);
  useEffect(() => {
    const owned = urls.current;
    return () => owned.forEach((url) => URL.revokeObjectURL(url));
  }, []);

  const update = (key: string, change: Partial<Picked>) =>
    setPicked((current) => current.map((item) => (item.key === key ? { ...item, ...change } : item)));

  async function upload(key: string, file: File) {
    const body = new FormData();
    body.append("file", file);
    try {
      const response = await fetch("/api/attachments", { method: "POST", body });
      const answer = (await response.json().catch(() => ({}))) as Partial<UploadedAttachment> & {
        error?: string;
      };
      if (response.ok && answer.id) update(key, { state: "ready", id: answer.id });
      else
        update(key, { state: "failed", problem: answer.error ?? `The upload failed (${response.status}).` });
    } catch {
      update(key, { state: "failed", problem: "The upload failed: check your connection and add it again." });
    }
  }

  function add(files: FileList | null) {
    if (!files) return;
    const room = MAX_SCREENSHOTS - picked.length;
    const chosen = [...files];
    const problems: string[] = [];
    if (chosen.length > room)
      problems.push(
        `You can attach up to ${MAX_SCREENSHOTS} screenshots; ${chosen.length - Math.max(room, 0)} were left out.`,
      );
    const added: Picked[] = [];
    for (const file of chosen.slice(0, Math.max(room, 0))) {
      if (!(SCREENSHOT_TYPES as readonly string[]).includes(file.type)) {
        problems.push(`“${file.name}” is not a PNG, JPEG or WebP image.`);
        continue;
      }
      if (file.size > MAX_SCREENSHOT_BYTES) {
        problems.push(
          `“${file.name}” is ${formatBytes(file.size)}; screenshots can be up to ${formatBytes(MAX_SCREENSHOT_BYTES)} each.`,
        );
        continue;
      }
      const previewUrl = URL.createObjectURL(file);
      urls.current.add(previewUrl);
      const key = `${Date.now()}-${Math.random()}`;
      added.push({ key, name: file.name, previewUrl, state: "uploading" });
      void upload(key, file);
    }
    setNotice(problems.length > 0 ? problems.join(" ") : null);
    setPicked((current) => [...current, ...added]);
    if (input.current) input.current.value = "";
  }

  function remove(item: Picked) {
    URL.revokeObjectURL(item.previewUrl);
    urls.current.delete(item.previewUrl);
    setPicked((current) => current.filter((other) => other.key !== item.key));
    // The draft is deleted on the server too; if that fails it expires after a day.
    if (item.id) void fetch(`/api/attachments/${item.id}`, { method: "DELETE" }).catch(() => undefined);
  }

  return (
    <div>
      <label htmlFor="support-screenshots" className="block text-sm font-medium text-slate-900">
        Screenshots
      </label>
      <p id="support-screenshots-help" className="text-xs text-slate-600">
        Up to {MAX_SCREENSHOTS} PNG, JPEG or WebP images, {formatBytes(MAX_SCREENSHOT_BYTES)} each.
      </p>
      <input
        ref={input}
        id="support-screenshots"
        type="file"
        multiple
        accept={SCREENSHOT_ACCEPT}
        aria-describedby="support-screenshots-help"
        disabled={picked.length >= MAX_SCREENSHOTS}
        className="mt-1 block text-sm text-slate-700 file:mr-3 file:rounded-lg file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm"
        onChange={(event) => add(event.target.files)}
      />
      {notice && (
        <p role="alert" className="mt-1 text-sm text-red-800">
          {notice}
        </p>
      )}
      {picked.length > 0 && (
        <ul className="mt-3 flex flex-wrap gap-3" aria-label="Screenshots to send">
          {picked.map((item) => (
            <li
              key={item.key}
              data-testid="screenshot-preview"
              className="w-32 rounded-lg border border-slate-200 p-2 text-xs text-slate-700"
            >
              {/* eslint-disable-next-line @next/next/no-img-element -- a local preview (blob: URL) */}
              <img
                src={item.previewUrl}
                alt={`Preview of ${item.name}`}
                className="h-20 w-full rounded object-cover"
              />
              <p className="mt-1 truncate" title={item.name}>
                {item.name}
              </p>
              <p className={item.state === "failed" ? "text-red-800" : "text-slate-600"}>
                {item.state === "uploading" ? "Uploading…" : item.state === "ready" ? "Ready" : item.problem}
              </p>
              <Button variant="secondary" className="mt-1 w-full" onClick={() => remove(item)}>
                Remove<span className="sr-only"> {item.name}</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Thumbnails of a ticket's screenshots, each opening the full image. */
export function ScreenshotThumbnails({
  attachments,
}: {
  attachments: Pick<UploadedAttachment, "id" | "filename">[];
}) {
  if (attachments.length === 0) return null;
  return (
    <ul className="mt-3 flex flex-wrap gap-3" aria-label="Screenshots">
      {attachments.map((attachment) => (
        <li key={attachment.id} data-testid="screenshot-thumbnail">
          <a
            href={`/api/attachments/${encodeURIComponent(attachment.id)}`}
            target="_blank"
            rel="noreferrer"
            className="block w-32 rounded-lg border border-slate-200 p-1 text-xs text-slate-700 hover:border-brand-600"
          >
            {/* eslint-disable-next-line @next/next/no-img-element -- served by the app, behind the session */}
            <img
              src={`/api/attachments/${encodeURIComponent(attachment.id)}`}
              alt={attachment.filename}
              loading="lazy"
              className="h-20 w-full rounded object-cover"
            />
            <span className="mt-1 block truncate">{attachment.filename}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

/** A ticket's screenshots, loaded by id (the agent's ticket page); nothing when it has none. */
export function TicketScreenshots({ ticketId }: { ticketId: string }) {
  const query = useQuery({
    queryKey: ["ticket-screenshots", ticketId],
    queryFn: async () => {
      const response = await fetch(`/api/attachments?ticketId=${encodeURIComponent(ticketId)}`);
      if (!response.ok) throw new Error(`Screenshots could not be loaded (${response.status}).`);
      return ((await response.json()) as { attachments: UploadedAttachment[] }).attachments;
    },
  });
  if (!query.data || query.data.length === 0) return null;
  return (
    <div className="mt-4">
      <h3 className="text-sm font-medium text-slate-900">Screenshots</h3>
      <ScreenshotThumbnails attachments={query.data} />
    </div>
  );
}
