import "server-only";

import { createHash } from "node:crypto";

import type { Prisma } from "~/generated/prisma/client";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";

import type { UploadedAttachment } from "./attachments.schema";
import { checkFilename, checkScreenshot } from "./detect";

/**
 * Screenshots customers attach to bug reports. An upload is stored as a draft (no ticket, its
 * uploader's only) after its bytes were checked; filing the bug report links the drafts to the
 * new ticket. Only the ticket's reporter and the organization's staff can read a screenshot;
 * everyone else gets the same NOT_FOUND as for an id that does not exist.
 */

/** Drafts waiting to be sent, per person: enough for a few reports in progress, not a file store. */
const MAX_PENDING_DRAFTS = 20;
/** Drafts never sent are deleted after this long. */
const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000;
const STAFF_ROLES = new Set<Viewer["role"]>(["OWNER", "ADMIN", "AGENT"]);

const NOT_FOUND_MESSAGE = "This file does not exist or you cannot open it.";

/** Stores one uploaded screenshot as the viewer's draft; a refused file leaves nothing behind. */
export async function uploadScreenshot(
  viewer: Viewer,
  file: { filename: string; data: Uint8Array },
): Promise<UploadedAttachment> {
  const name = checkFilename(file.filename);
  if (!name.ok) throw new AppError("BAD_REQUEST", name.reason);
  const checked = checkScreenshot(name.filename, file.data);
  if (!checked.ok) throw new AppError("BAD_REQUEST", checked.reason);

  const staleBefore = new Date(Date.now() - DRAFT_LIFETIME_MS);
  await db.attachment.deleteMany({
    where: { uploaderId: viewer.userId, ticketId: null, createdAt: { lt: staleBefore } },
  });
  const pending = await db.attachment.count({
    where: { organizationId: viewer.organizationId, uploaderId: viewer.userId, ticketId: null },
  });
  if (pending >= MAX_PENDING_DRAFTS) {
    throw new AppError(
      "CONFLICT",
      `You have ${pending} screenshots uploaded but not sent. Send your bug report or remove some of them first.`,
    );
  }
  const data = Buffer.from(file.data);
  const stored = await db.attachment.create({
    data: {
      organizationId: viewer.organizationId,
      uploaderId: viewer.userId,
      filename: name.filename,
      contentType: checked.contentType,
      size: data.length,
      sha256: createHash("sha256").update(data).digest("hex"),
      data,
    },
    select: { id: true, filename: true, size: true, contentType: true },
  });
  return stored;
}

/** Removes one of the viewer's drafts (the form's remove button); sent screenshots stay. */
export async function removeDraft(viewer: Viewer, id: string): Promise<void> {
  const { count } = await db.attachment.deleteMany({
    where: { id, organizationId: viewer.organizationId, uploaderId: viewer.userId, ticketId: null },
  });
  if (count === 0) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
}

/**
 * A screenshot's bytes for the viewer: its ticket's reporter and the organization's staff may read
 * it, a draft only its uploader. Anything else is NOT_FOUND, like an id that does not exist.
 */
export async function readAttachment(viewer: Viewer, id: string) {
  const attachment = await db.attachment.findFirst({
    where: { id, organizationId: viewer.organizationId },
    select: {
      filename: true,
      contentType: true,
      size: true,
      data: true,
      uploaderId: true,
      ticketId: true,
      ticket: { select: { reporterId: true } },
    },
  });
  const allowed =
    attachment &&
    (attachment.ticketId === null
      ? attachment.uploaderId === viewer.userId
      : STAFF_ROLES.has(viewer.role) || attachment.ticket?.reporterId === viewer.userId);
  if (!attachment || !allowed) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
  const { filename, contentType, size, data } = attachment;
  return { filename, contentType, size, data };
}

/** A ticket's screenshots, for its reporter and the organization's staff; anyone else NOT_FOUND. */
export async function listTicketAttachments(viewer: Viewer, ticketId: string): Promise<UploadedAttachment[]> {
  const ticket = await db.ticket.findFirst({
    where: {
      id: ticketId,
      organizationId: viewer.organizationId,
      ...(STAFF_ROLES.has(viewer.role) ? {} : { reporterId: viewer.userId }),
    },
    select: { files: ATTACHMENT_SUMMARY },
  });
  if (!ticket) throw new AppError("NOT_FOUND", "This ticket does not exist.");
  return ticket.files;
}

/** What a ticket page lists of its screenshots (never the bytes). */
export const ATTACHMENT_SUMMARY = {
  orderBy: { createdAt: "asc" },
  select: { id: true, filename: true, size: true, contentType: true },
} satisfies Prisma.Ticket$filesArgs;

/**
 * Links the viewer's drafts to the ticket just filed, inside the filing transaction: each must be
 * the viewer's own, in this organization and not sent with another report yet, or the whole
 * filing is refused.
 */
export async function linkDrafts(
  tx: Prisma.TransactionClient,
  viewer: Viewer,
  ticketId: string,
  attachmentIds: readonly string[],
): Promise<void> {
  if (attachmentIds.length === 0) return;
  const found = await tx.attachment.findMany({
    where: {
      id: { in: [...attachmentIds] },
      organizationId: viewer.organizationId,
      uploaderId: viewer.userId,
    },
    select: { id: true, filename: true, ticketId: true },
  });
  const missing = attachmentIds.filter((id) => !found.some((attachment) => attachment.id === id));
  if (missing.length > 0) {
    throw new AppError(
      "NOT_FOUND",
      `${missing.length === 1 ? "A screenshot was" : `${missing.length} screenshots were`} not found among your uploads (removed, or uploaded more than a day ago); add ${missing.length === 1 ? "it" : "them"} again.`,
      { fieldErrors: { attachmentIds: ["Add the screenshots again."] } },
    );
  }
  const sent = found.filter((attachment) => attachment.ticketId !== null);
  if (sent.length > 0) {
    throw new AppError(
      "CONFLICT",
      `${sent.map((attachment) => `“${attachment.filename}”`).join(", ")} ${sent.length === 1 ? "was" : "were"} already sent with another report; add ${sent.length === 1 ? "it" : "them"} again to attach here.`,
    );
  }
  // Only still-unlinked drafts move: a concurrent filing that took one makes this count short.
  const { count } = await tx.attachment.updateMany({
    where: { id: { in: [...attachmentIds] }, uploaderId: viewer.userId, ticketId: null },
    data: { ticketId },
  });
  if (count !== attachmentIds.length) {
    throw new AppError("CONFLICT", "Some screenshots were just sent with another report; add them again.");
  }
}
