import { Agent, request } from "node:http";

import { KEEP_ALIVE_AGENT_OPTIONS } from "../integrations/keep-alive";

/**
 * The two Jira calls every creation makes (create the issue, then fetch it), on keep-alive
 * connections and with nothing around them: what `npm run bench:tickets` measures its floors with,
 * once behind a bare Next route and once behind a plain Node server.
 */
export type FloorRequest = { site: string; authorization: string; fields: Record<string, unknown> };

const keepAlive = new Agent(KEEP_ALIVE_AGENT_OPTIONS);

/** The Jira API base of the request's site, or null unless it is a path on `atlassianApiUrl`. */
export function floorApiBase(site: unknown, atlassianApiUrl: string): URL | null {
  if (typeof site !== "string") return null;
  const api = new URL(`${site}/rest/api/3/`, atlassianApiUrl);
  return api.origin === new URL(atlassianApiUrl).origin ? api : null;
}

export async function twoJiraCalls(api: URL, authorization: string, fields: Record<string, unknown>) {
  const created = (await jiraCall(new URL("issue", api), authorization, { fields })) as { id: string };
  const issue = (await jiraCall(new URL(`issue/${created.id}`, api), authorization)) as { key: string };
  return { key: issue.key };
}

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
