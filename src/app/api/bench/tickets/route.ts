import { env } from "~/env";
import { db } from "~/server/db";

export const dynamic = "force-dynamic";

/**
 * The baseline of `npm run bench:tickets`: a bare route handler doing one ticket insert, with no
 * session, validation or audit. It exists only when BENCH_ROUTES is set.
 */
export async function POST(request: Request) {
  if (!env.BENCH_ROUTES) return new Response(null, { status: 404 });
  const body = (await request.json()) as { organizationId: string; title: string; number: number };
  const ticket = await db.ticket.create({
    data: {
      organizationId: body.organizationId,
      number: body.number,
      title: body.title,
      description: "",
      category: "general",
      priority: "low",
    },
    select: { id: true, number: true },
  });
  // Uncompressed, as tRPC's mutation answers are: the comparison is of the work, not of gzip.
  return Response.json(ticket, { headers: { "Cache-Control": "no-store, no-transform" } });
}
