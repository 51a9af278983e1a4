/**
 * The machine's floor for `npm run bench:tickets` (b): a plain Node HTTP server, no framework at
 * all, making a creation's two Jira calls. What it costs is the price of this machine's HTTP round
 * trips, which no build of the app can go below. Started by the bench in a process of its own.
 */
import { createServer } from "node:http";

import { floorApiBase, twoJiraCalls, type FloorRequest } from "../../src/server/bench/two-jira-calls";

const port = Number(process.env.BENCH_PLAIN_PORT);
const atlassianApiUrl = process.env.ATLASSIAN_API_URL!;

const server = createServer(async (req, res) => {
  let body = "";
  for await (const chunk of req) body += String(chunk);
  const answer = (status: number, json: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(json));
  };
  try {
    const { site, authorization, fields } = JSON.parse(body) as Partial<FloorRequest>;
    const api = floorApiBase(site, atlassianApiUrl);
    if (req.method !== "POST" || !api || typeof authorization !== "string" || !fields)
      return answer(400, { error: "POST { site, authorization, fields }." });
    answer(200, await twoJiraCalls(api, authorization, fields));
  } catch (error) {
    answer(502, { error: (error as Error).message });
  }
});
server.listen(port, "127.0.0.1", () => console.log(`plain floor server listening on ${port}`));
