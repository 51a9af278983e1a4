import { AppError } from "~/server/errors";
import { listTicketAttachments, uploadScreenshot } from "~/server/services/attachments/attachments";
import { MAX_SCREENSHOT_BYTES } from "~/server/services/attachments/attachments.schema";
import { answering, viewerOf } from "~/server/services/attachments/http";

export const dynamic = "force-dynamic";

/** Room for the multipart framing around one file at the size limit. */
const MAX_BODY_BYTES = MAX_SCREENSHOT_BYTES + 64 * 1024;

/**
 * Uploads one screenshot (multipart/form-data, field `file`) as a draft of the signed-in member,
 * to be attached when they file their bug report. Answers `{ id, filename, size, contentType }`.
 */
export async function POST(request: Request) {
  return answering(async () => {
    const viewer = await viewerOf(request);
    const contentType = request.headers.get("content-type") ?? "";
    if (Number(request.headers.get("content-length") ?? "0") > MAX_BODY_BYTES) throw tooLarge();
    if (!/^multipart\/form-data\b/i.test(contentType)) {
      throw new AppError(
        "BAD_REQUEST",
        "Send the screenshot as multipart/form-data in a field named “file”.",
      );
    }
    const body = await bodyWithin(request, MAX_BODY_BYTES);
    const form = await new Response(body, { headers: { "content-type": contentType } })
      .formData()
      .catch(() => {
        throw new AppError("BAD_REQUEST", "The upload could not be read; choose the screenshot again.");
      });
    const files = form.getAll("file").filter((value): value is File => typeof value !== "string");
    if (files.length !== 1) {
      throw new AppError(
        "BAD_REQUEST",
        files.length === 0
          ? "No screenshot was sent: put it in a field named “file”."
          : "Send one screenshot per upload.",
      );
    }
    const file = files[0]!;
    const stored = await uploadScreenshot(viewer, {
      filename: file.name,
      data: new Uint8Array(await file.arrayBuffer()),
    });
    return Response.json(stored, { status: 201, headers: { "Cache-Control": "no-store" } });
  });
}

const tooLarge = () =>
  new AppError("BAD_REQUEST", "The screenshot is larger than 5 MB; screenshots can be up to 5 MB each.");

/**
 * The body, read up to `limit` bytes: one sent without a length (chunked) is refused as soon as it
 * passes the limit, not after it has all been received.
 */
async function bodyWithin(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
    size += read.value.byteLength;
    if (size > limit) {
      await reader!.cancel();
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** `?ticketId=…`: the ticket's screenshots (without their bytes), for its reporter and the staff. */
export async function GET(request: Request) {
  return answering(async () => {
    const viewer = await viewerOf(request);
    const ticketId = new URL(request.url).searchParams.get("ticketId")?.trim();
    if (!ticketId) throw new AppError("BAD_REQUEST", "Name the ticket: ?ticketId=….");
    const attachments = await listTicketAttachments(viewer, ticketId);
    return Response.json({ attachments }, { headers: { "Cache-Control": "private, no-store" } });
  });
}
