import { readAttachment, removeDraft } from "~/server/services/attachments/attachments";
import { answering, inlineDisposition, viewerOf } from "~/server/services/attachments/http";

export const dynamic = "force-dynamic";

/**
 * A screenshot's bytes, for its ticket's reporter and the organization's staff (a draft: its
 * uploader). Everyone else gets 404, as for an id that does not exist.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  return answering(async () => {
    const viewer = await viewerOf(request);
    const { id } = await context.params;
    const file = await readAttachment(viewer, id);
    return new Response(new Uint8Array(file.data), {
      headers: {
        // The type detected from the bytes at upload, never the one the browser claimed.
        "Content-Type": file.contentType,
        "Content-Length": String(file.size),
        "Content-Disposition": inlineDisposition(file.filename),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=3600",
        "Content-Security-Policy": "default-src 'none'; sandbox",
      },
    });
  });
}

/** Removes a screenshot the viewer uploaded but has not sent (the form's remove button). */
export async function DELETE(request: Request, context: { params: Promise<{ id: string }> }) {
  return answering(async () => {
    const viewer = await viewerOf(request);
    const { id } = await context.params;
    await removeDraft(viewer, id);
    return new Response(null, { status: 204 });
  });
}
