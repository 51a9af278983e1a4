/**
 * Issue attachments: `POST /issue/{issueIdOrKey}/attachments` (multipart/form-data, field `file`,
 * `X-Atlassian-Token: no-check` or Jira's XSRF check refuses it) and
 * `GET /attachment/content/{id}`. Files are kept in memory with the issue.
 */
import { jiraDate } from "../http";
import type { StoredAttachment, StoredIssue } from "../state";
import { jiraError, param, rest, type JiraContext, type JiraHandler } from "./context";
import { hasPermission } from "./permissions";
import { userDetailsById, type Links } from "./representations";
import { isResult, issueFromPath, projectOf } from "./store";

/** One part of a multipart/form-data body. */
export interface UploadedPart {
  field: string;
  filename: string | null;
  contentType: string;
  data: Buffer;
}

/** Jira Cloud's default attachment size limit (10 MB); the sandbox's body limit matches it. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export function isMultipart(contentType: string | undefined): boolean {
  return /^multipart\/form-data\b/i.test(contentType ?? "");
}

/** Splits a multipart/form-data body into its parts; null when it cannot be read. */
export async function parseMultipart(raw: Buffer, contentType: string): Promise<UploadedPart[] | null> {
  try {
    const form = await new Response(new Uint8Array(raw), {
      headers: { "content-type": contentType },
    }).formData();
    const parts: UploadedPart[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        parts.push({ field, filename: null, contentType: "text/plain", data: Buffer.from(value) });
      } else {
        parts.push({
          field,
          filename: value.name,
          contentType: value.type || "application/octet-stream",
          data: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return parts;
  } catch {
    return null;
  }
}

/**
 * The parts as Jira's OpenAPI document describes the request body (an array of MultipartFile),
 * so the request is validated against the document like any JSON body.
 */
export function describeParts(parts: UploadedPart[]): unknown[] {
  return parts.map((part) => ({
    name: part.field,
    ...(part.filename !== null ? { originalFilename: part.filename } : {}),
    contentType: part.contentType,
    size: part.data.length,
    empty: part.data.length === 0,
  }));
}

export function attachmentJson(ctx: Links, attachment: StoredAttachment) {
  return {
    self: rest(ctx, `/attachments/${attachment.id}`),
    id: attachment.id,
    filename: attachment.filename,
    author: userDetailsById(ctx, attachment.authorId),
    created: jiraDate(attachment.created),
    size: attachment.size,
    mimeType: attachment.mimeType,
    content: rest(ctx, `/attachment/content/${attachment.id}`),
    ...(attachment.mimeType.startsWith("image/")
      ? { thumbnail: rest(ctx, `/attachment/thumbnail/${attachment.id}`) }
      : {}),
  };
}

const XSRF_CHECK_FAILED = "XSRF check failed";

export const addAttachment: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  // Jira blocks multipart posts without the header (its XSRF protection) with a bare 403.
  if (headerValue(ctx, "x-atlassian-token")?.toLowerCase() !== "no-check") {
    return { status: 403, body: XSRF_CHECK_FAILED, headers: { "Content-Type": "text/plain" } };
  }
  if (!hasPermission("CREATE_ATTACHMENTS", projectOf(ctx.site, issue)))
    return jiraError(403, ["You do not have permission to create attachments for this issue."]);
  const files = (ctx.files ?? []).filter((part) => part.field === "file" && part.filename !== null);
  if (files.length === 0)
    return jiraError(400, ["No attachments were found in the request: send them in the 'file' field."]);
  const tooLarge = files.find((part) => part.data.length > MAX_ATTACHMENT_BYTES);
  if (tooLarge)
    return jiraError(413, [
      `The file '${tooLarge.filename}' is too large: the limit is ${MAX_ATTACHMENT_BYTES} bytes.`,
    ]);
  const now = ctx.state.now();
  const added = files.map((part): StoredAttachment => {
    const attachment: StoredAttachment = {
      id: String(ctx.site.nextAttachmentId),
      filename: part.filename ?? "file",
      mimeType: part.contentType,
      size: part.data.length,
      data: part.data,
      authorId: ctx.user.accountId,
      created: now,
    };
    ctx.site.nextAttachmentId += 1;
    return attachment;
  });
  (issue.attachments ??= []).push(...added);
  issue.updated = now;
  return { status: 200, body: added.map((attachment) => attachmentJson(ctx, attachment)) };
};

export const getAttachmentContent: JiraHandler = (ctx) => {
  const id = param(ctx, "id");
  const found = findAttachment(ctx.site.issues, id);
  if (!found) return jiraError(404, [`The attachment with id '${id}' does not exist.`]);
  // Jira answers 303 to a download URL unless redirect=false; the sandbox serves the bytes itself.
  return {
    status: 200,
    raw: { contentType: found.attachment.mimeType, data: found.attachment.data },
  };
};

export function findAttachment(
  issues: StoredIssue[],
  id: string,
): { issue: StoredIssue; attachment: StoredAttachment } | undefined {
  for (const issue of issues) {
    const attachment = issue.attachments?.find((candidate) => candidate.id === id);
    if (attachment) return { issue, attachment };
  }
  return undefined;
}

function headerValue(ctx: JiraContext, name: string): string | undefined {
  const value = ctx.headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}
