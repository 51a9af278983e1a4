import type { NextApiRequest, NextApiResponse } from "next";

import { env } from "~/env";
import { insertBenchTicket, type BenchTicket } from "~/server/bench/bench-ticket";
import { floorApiBase, twoJiraCalls, type FloorRequest } from "~/server/bench/two-jira-calls";

/**
 * The floors of `npm run bench:tickets` (b): a bare Pages API route, as tRPC's endpoint is, making
 * a creation's two Jira calls and nothing else: no session, validation, database, SDK or audit.
 * Every creation costs this much, whatever the app does. With `ticket` it first inserts that
 * ticket, committed on its own: the least a creation that keeps an internal record can do. It
 * exists only when BENCH_ROUTES is set, and calls only the configured Atlassian address, with the
 * credentials the benchmark sends.
 */
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (!env.BENCH_ROUTES || req.method !== "POST") return res.status(404).end();
  const { site, authorization, fields, ticket } = (req.body ?? {}) as Partial<
    FloorRequest & { ticket: BenchTicket }
  >;
  const api = floorApiBase(site, env.ATLASSIAN_API_URL);
  if (!api || typeof authorization !== "string" || !fields)
    return res
      .status(400)
      .json({ error: "Send { site, authorization, fields }, site a path on the Atlassian address." });
  try {
    if (ticket) await insertBenchTicket(ticket);
    const answer = await twoJiraCalls(api, authorization, fields);
    // Uncompressed, as tRPC's mutation answers are.
    res.setHeader("Cache-Control", "no-store, no-transform");
    res.status(200).json(answer);
  } catch (error) {
    res.status(502).json({ error: (error as Error).message });
  }
}
