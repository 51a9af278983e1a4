import { Agent, request } from "node:http";

import type { NextApiRequest, NextApiResponse } from "next";

import { env } from "~/env";

/**
 * The floor of `npm run bench:tickets` (b): a bare Pages API route, as tRPC's endpoint is, making
 * a creation's two Jira calls (create the issue, then fetch it) on keep-alive connections and
 * nothing else: no session, validation, database, SDK or audit. Every creation costs this much,
 * whatever the app does. It exists only when BENCH_ROUTES is set, and calls only the configured
 * Atlassian address, with the credentials the benchmark sends.
 */
const keepAlive = new Agent({ keepAlive: true });

type FloorRequest = { site: string; authorization: string; fields: Record<string, unknown> };

function jiraCall(url: URL, authorization: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const headers = { authorization, accept: "application/json", "content-type": "application/json" };
    const call = request(url, { agent: keepAlive, method: body ? "POST" : "GET", headers }, (answer) => {
      let text = "";
      answer.setEncoding("utf8");
      answer.on("data", (chunk: string) => (text += chunk));
      answer.on("end", () => {
        const status = answer.statusCode ?? 0;
        if (status < 200 || status >= 300) return reject(new Error(`Jira answered ${status}: ${text}`));
        try {
          resolve(JSON.parse(text));
        } catch (error) {
          reject(error as Error);
        }
      });
    });
    call.on("error", reject);
    call.end(body ? JSON.stringify(body) : undefined);
  });
}

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (!env.BENCH_ROUTES || req.method !== "POST") return res.status(404).end();
  const { site, authorization, fields } = (req.body ?? {}) as Partial<FloorRequest>;
  if (typeof site !== "string" || typeof authorization !== "string" || !fields)
    return res.status(400).json({ error: "Send { site, authorization, fields }." });
  const api = new URL(`${site}/rest/api/3/`, env.ATLASSIAN_API_URL);
  if (api.origin !== new URL(env.ATLASSIAN_API_URL).origin)
    return res.status(400).json({ error: "site must be a path on the configured Atlassian address." });
  try {
    const created = (await jiraCall(new URL("issue", api), authorization, { fields })) as { id: string };
    const issue = (await jiraCall(new URL(`issue/${created.id}`, api), authorization)) as { key: string };
    // Uncompressed, as tRPC's mutation answers are.
    res.setHeader("Cache-Control", "no-store, no-transform");
    res.status(200).json({ key: issue.key });
  } catch (error) {
    res.status(502).json({ error: (error as Error).message });
  }
}
