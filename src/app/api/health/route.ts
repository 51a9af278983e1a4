import { database } from "~/server/db";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers and the test harness. */
export async function GET() {
  try {
    await database.client.$queryRaw`SELECT 1`;
    return Response.json({ status: "ok", database: database.mode });
  } catch {
    return Response.json({ status: "error", database: database.mode }, { status: 503 });
  }
}
