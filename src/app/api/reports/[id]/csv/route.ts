import { getHTTPStatusCodeFromError } from "@trpc/server/http";

import type { Viewer } from "~/server/api/trpc";
import { sessionFromHeaders } from "~/server/auth";
import { AppError, toTRPCError } from "~/server/errors";
import { getReportCsv } from "~/server/services/reports/reports";

export const dynamic = "force-dynamic";

/** A stored report's CSV, as a download, for agents and admins of the report's organization. */
export async function GET(request: Request, context: { params: Promise<{ id: string }> }) {
  const session = await sessionFromHeaders(request.headers);
  if (!session?.user || !session.organization || !session.role) {
    return Response.json({ error: "Sign in to download reports." }, { status: 401 });
  }
  const viewer: Viewer = {
    userId: session.user.id,
    organizationId: session.organization.id,
    role: session.role,
  };
  const { id } = await context.params;
  try {
    const { filename, csv } = await getReportCsv(viewer, id);
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${filename}"`,
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    if (error instanceof AppError) {
      return Response.json(
        { error: error.message },
        { status: getHTTPStatusCodeFromError(toTRPCError(error)) },
      );
    }
    throw error;
  }
}
