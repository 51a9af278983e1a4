import { z } from "zod";

/**
 * Screenshots on bug reports: what is accepted, shared by the upload route, the filing schema and
 * the support form (which checks the same limits before uploading).
 */

export const MAX_SCREENSHOTS = 5;
export const MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024;
export const SCREENSHOT_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export type ScreenshotType = (typeof SCREENSHOT_TYPES)[number];
/** For the file picker only: the server decides by the file's bytes. */
export const SCREENSHOT_ACCEPT = SCREENSHOT_TYPES.join(",");

export const attachmentIdsInput = z
  .array(z.string().trim().min(1).max(64), { error: "Send the screenshots as a list of upload ids." })
  .max(MAX_SCREENSHOTS, `Attach at most ${MAX_SCREENSHOTS} screenshots.`)
  .refine((ids) => new Set(ids).size === ids.length, "The same screenshot is attached twice.");

/** What the upload answers, and what a ticket lists for each screenshot. */
export type UploadedAttachment = { id: string; filename: string; size: number; contentType: string };

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
