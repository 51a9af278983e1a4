import { env } from "~/env";
import { insertBenchTicket, type BenchTicket } from "~/server/bench/bench-ticket";

export const dynamic = "force-dynamic";

/**
 * The baseline of `npm run bench:tickets`: a bare route handler doing one ticket insert, with no
 * session, validation or audit. It exists only when BENCH_ROUTES is set.
 */
export async function POST(request: Request) {
  if (!env.BENCH_ROUTES) return new Response(null, { status: 404 });
  const ticket = await insertBenchTicket((await request.json()) as BenchTicket);
  // Uncompressed, as tRPC's mutation answers are: the comparison is of the work, not of gzip.
  return Response.json(ticket, { headers: { "Cache-Control": "no-store, no-transform" } });
}
