/**
 * Local stand-in for auth.atlassian.com, api.atlassian.com and Jira Cloud REST v3, all in one
 * node:http server with in-memory state.
 *
 *   import { startSandbox } from "../sandbox/server";
 *   const sandbox = await startSandbox({ port: 0 });
 *   ... fetch(`${sandbox.url}/rest/api/3/myself`, ...) ...
 *   await sandbox.close();
 *
 * Run directly with `tsx sandbox/server.ts` (port from SANDBOX_PORT, default 4010).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { handleAdminRequest } from "./admin";
import {
  DEFAULT_OAUTH_CLIENT,
  DEMO_SITES,
  DEMO_USERS,
  findUserByHandle,
  siteUrl,
  type OAuthClientConfig,
} from "./fixtures";
import { faultApplies, RATE_LIMIT_BODY, serverErrorBody, takeFaultBeforeHandling } from "./faults";
import { BodyTooLargeError, escapeHtml, JIRA_JSON, parseQuery, readBody, sendHtml, sendJson } from "./http";
import { matchBrowsePath, renderBrowsePage } from "./browse-page";
import { handleJiraRequest, jiraPathOf, type RequestNotes } from "./jira/router";
import {
  handleAccessibleResources,
  handleAuthorizeGet,
  handleAuthorizePost,
  handleMe,
  handleToken,
} from "./oauth";
import { loadJiraOpenApi } from "./openapi";
import type { SandboxRuntime } from "./runtime";
import { SandboxState, type Violation } from "./state";
import { WebhookDispatcher } from "./webhooks";

export type { Violation } from "./state";
export { SandboxState } from "./state";

export interface StartSandboxOptions {
  /** Default: SANDBOX_PORT or 4010. Use 0 for a free port (tests). */
  port?: number;
  /** Default: SANDBOX_HOST or 127.0.0.1. */
  host?: string;
  /** Base URL used in links and redirects. Default: SANDBOX_PUBLIC_URL or http://localhost:<port>. */
  publicUrl?: string;
  /** Log OpenAPI violations loudly to stderr. Default: SANDBOX_STRICT=1. */
  strict?: boolean;
  /** Also check 2xx Jira responses against the OpenAPI document. Default: same as `strict`. */
  validateResponses?: boolean;
  /** Extra OAuth clients besides the default one (SANDBOX_OAUTH_CLIENT_ID / _SECRET). */
  clients?: OAuthClientConfig[];
}

export interface SandboxHandle {
  url: string;
  port: number;
  close(): Promise<void>;
  state: SandboxState;
  violations(): Violation[];
  /** Resolves when all webhook deliveries started so far have finished. */
  webhooksIdle(): Promise<void>;
}

/** The default OAuth client, overridable through the environment. */
export function defaultOAuthClient(env: NodeJS.ProcessEnv = process.env): OAuthClientConfig {
  return {
    ...DEFAULT_OAUTH_CLIENT,
    clientId: env.SANDBOX_OAUTH_CLIENT_ID || DEFAULT_OAUTH_CLIENT.clientId,
    clientSecret: env.SANDBOX_OAUTH_CLIENT_SECRET || DEFAULT_OAUTH_CLIENT.clientSecret,
  };
}

/** Cancellable sleeps, so hanging faults do not keep the process alive after close(). */
class Sleeper {
  private readonly pending = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.pending.add(entry);
    });
  }
  cancelAll(): void {
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.resolve();
    }
    this.pending.clear();
  }
}

const OAUTH_PATHS = new Set(["/authorize", "/oauth/token", "/oauth/token/accessible-resources", "/me"]);

export async function startSandbox(opts: StartSandboxOptions = {}): Promise<SandboxHandle> {
  const env = process.env;
  const host = opts.host ?? env.SANDBOX_HOST ?? "127.0.0.1";
  const requestedPort = opts.port ?? Number(env.SANDBOX_PORT ?? 4010);
  const strict = opts.strict ?? env.SANDBOX_STRICT === "1";
  const clients = new Map<string, OAuthClientConfig>();
  for (const client of [defaultOAuthClient(env), ...(opts.clients ?? [])])
    clients.set(client.clientId, client);

  // Warm the OpenAPI validator in the background; the first Jira request awaits the same promise.
  loadJiraOpenApi().catch((error: unknown) =>
    process.stderr.write(`[sandbox] ${error instanceof Error ? error.message : String(error)}\n`),
  );

  const state = new SandboxState();
  const sleeper = new Sleeper();
  const runtime: SandboxRuntime = {
    state,
    publicUrl: "",
    clients,
    strict,
    validateResponses: opts.validateResponses ?? strict,
    webhooks: undefined as unknown as WebhookDispatcher, // set once the public URL is known
    sleep: (ms) => sleeper.sleep(ms),
  };

  const server = createServer((req, res) => {
    handle(runtime, req, res).catch((error: unknown) => {
      const tooLarge = error instanceof BodyTooLargeError;
      if (!tooLarge)
        process.stderr.write(
          `[sandbox] ${req.method} ${req.url} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
      if (res.headersSent) return void res.destroy();
      if (tooLarge)
        return sendJson(res, 413, { errorMessages: ["Request entity too large"], errors: {} }, {}, JIRA_JSON);
      sendJson(
        res,
        500,
        {
          errorMessages: [`Sandbox error: ${error instanceof Error ? error.message : String(error)}`],
          errors: {},
        },
        {},
        JIRA_JSON,
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(requestedPort, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  runtime.publicUrl = (opts.publicUrl ?? env.SANDBOX_PUBLIC_URL ?? `http://localhost:${port}`).replace(
    /\/$/,
    "",
  );
  runtime.webhooks = new WebhookDispatcher(state, runtime.publicUrl, clients);

  let closing: Promise<void> | undefined;
  return {
    url: runtime.publicUrl,
    port,
    state,
    violations: () => [...state.violations],
    webhooksIdle: () => runtime.webhooks.idle(),
    close() {
      closing ??= (async () => {
        sleeper.cancelAll();
        await runtime.webhooks.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      })();
      return closing;
    },
  };
}

async function handle(runtime: SandboxRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://sandbox.invalid");
  const method = (req.method ?? "GET").toUpperCase();

  if (url.pathname === "/__sandbox" || url.pathname.startsWith("/__sandbox/")) {
    return handleAdminRequest(runtime, req, res, url, await readBody(req));
  }

  const started = Date.now();
  const notes: RequestNotes = {
    operationId: null,
    authKind: "none",
    accountId: null,
    valid: null,
    fault: null,
  };
  res.on("close", () => {
    runtime.state.recordRequest({
      at: new Date(runtime.state.now()).toISOString(),
      method,
      path: url.pathname + url.search,
      status: res.headersSent ? res.statusCode : 0,
      durationMs: Date.now() - started,
      ...notes,
    });
  });

  if (jiraPathOf(url.pathname)) return handleJiraRequest(runtime, req, res, url, notes);

  if (OAUTH_PATHS.has(url.pathname)) {
    // OAuth endpoints only see faults when a `paths` prefix names them explicitly.
    const faults = runtime.state.faults;
    if (faultApplies(faults, { rawPath: url.pathname, jiraPath: null })) {
      if (faults.latencyMs) await runtime.sleep(faults.latencyMs);
      const fault = takeFaultBeforeHandling(faults);
      if (fault) {
        notes.fault = fault.kind;
        if (fault.kind === "timeout") {
          await runtime.sleep(fault.hangMs);
          return void res.destroy();
        }
        if (fault.kind === "rateLimit")
          return sendJson(res, 429, RATE_LIMIT_BODY, { "Retry-After": String(fault.retryAfterSeconds) });
        if (fault.kind === "serverError") return sendJson(res, fault.status, serverErrorBody(fault.status));
      }
    }
  }

  const route = `${method} ${url.pathname}`;
  switch (route) {
    case "GET /authorize":
      return handleAuthorizeGet(runtime, res, parseQuery(url.searchParams));
    case "POST /authorize":
      return handleAuthorizePost(runtime, req, res, await readBody(req));
    case "POST /oauth/token":
      return handleToken(runtime, req, res, await readBody(req));
    case "GET /oauth/token/accessible-resources":
      return handleAccessibleResources(runtime, req, res);
    case "GET /me":
      return handleMe(runtime, req, res);
    case "GET /":
      return sendHtml(res, 200, indexPage(runtime));
  }
  const browse = method === "GET" ? matchBrowsePath(url.pathname) : null;
  if (browse) {
    const html = renderBrowsePage(runtime.state, browse.siteName, browse.key);
    if (html) return sendHtml(res, 200, html);
  }
  // Avatars and icons referenced by API responses, so <img> tags in the app do not break.
  const avatar = /^\/avatars\/([a-z0-9-]+)\.svg$/.exec(url.pathname);
  if (method === "GET" && avatar) return sendAvatar(res, avatar[1] ?? "");
  if (method === "GET" && /^(?:\/site\/[^/]+)?\/images\/icons\/[\w/-]+\.svg$/.test(url.pathname))
    return sendIcon(res);
  sendJson(res, 404, {
    errorMessages: [`The sandbox has no route for ${method} ${url.pathname}.`],
    errors: {},
  });
}

function sendSvg(res: ServerResponse, svg: string): void {
  res.writeHead(200, {
    "Content-Type": "image/svg+xml",
    "Content-Length": Buffer.byteLength(svg).toString(),
    "Cache-Control": "public, max-age=3600",
  });
  res.end(svg);
}

/** Initials on a circle: users by handle ("ada"), projects ("project-demo"), sites ("site-acme-demo"). */
function sendAvatar(res: ServerResponse, name: string): void {
  const user = findUserByHandle(name);
  const label = user
    ? user.displayName
        .split(" ")
        .map((w) => w.charAt(0))
        .join("")
    : (name.split("-").slice(1).join("-") || name).slice(0, 2).toUpperCase();
  sendSvg(
    res,
    `<svg xmlns="http://www.w3.org/2000/svg" width="48" height="48" viewBox="0 0 48 48"><rect width="48" height="48" rx="24" fill="#0052cc"/><text x="24" y="30" font-family="sans-serif" font-size="18" fill="#fff" text-anchor="middle">${escapeHtml(label)}</text></svg>`,
  );
}

function sendIcon(res: ServerResponse): void {
  sendSvg(
    res,
    `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#6554c0"/></svg>`,
  );
}

function indexPage(runtime: SandboxRuntime): string {
  const users = DEMO_USERS.map(
    (u) =>
      `<li>${escapeHtml(u.displayName)} &lt;${escapeHtml(u.email)}&gt; — API token <code>${escapeHtml(u.apiToken)}</code>, PAT <code>${escapeHtml(u.personalAccessToken)}</code>, sites: ${escapeHtml(u.siteNames.join(", "))}</li>`,
  ).join("");
  const sites = DEMO_SITES.map(
    (s) =>
      `<li>${escapeHtml(s.name)} — <code>${escapeHtml(siteUrl(runtime.publicUrl, s))}</code>, cloudId <code>${escapeHtml(s.cloudId)}</code></li>`,
  ).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Atlassian sandbox</title></head><body><main>
<h1>Atlassian / Jira Cloud sandbox</h1>
<h2>Demo users</h2><ul>${users}</ul>
<h2>Sites</h2><ul>${sites}</ul>
<p>Admin API: <a href="/__sandbox">/__sandbox</a></p>
</main></body></html>`;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox();
  const lines = [
    `Atlassian/Jira sandbox listening on ${sandbox.url} (bound to ${process.env.SANDBOX_HOST ?? "127.0.0.1"}:${sandbox.port})`,
    `  OAuth authorize:  ${sandbox.url}/authorize   token: ${sandbox.url}/oauth/token`,
    ...DEMO_SITES.map(
      (s) => `  Site ${s.name}: ${siteUrl(sandbox.url, s)}  (OAuth: ${sandbox.url}/ex/jira/${s.cloudId})`,
    ),
    ...DEMO_USERS.map((u) => `  User ${u.email}  api token ${u.apiToken}  PAT ${u.personalAccessToken}`),
    `  Admin: ${sandbox.url}/__sandbox`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  const stop = () => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
