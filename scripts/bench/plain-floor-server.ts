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
  let request: Partial<FloorRequest> = {};
  try {
    request = (JSON.parse(body) ?? {}) as Partial<FloorRequest>;
  } catch {
    // answered below as a request without its parts
  }
  const { site, authorization, fields } = request;
  const api = floorApiBase(site, atlassianApiUrl);
  if (req.method !== "POST" || !api || typeof authorization !== "string" || !fields)
    return answer(400, {
      error: "POST { site, authorization, fields }, site a path on the Atlassian address.",
    });
  await twoJiraCalls(api, authorization, fields).then(
    (issue) => answer(200, issue),
    (error: Error) => answer(502, { error: error.message }),
  );
});
server.listen(port, "127.0.0.1", () => console.log(`plain floor server listening on ${port}`));
