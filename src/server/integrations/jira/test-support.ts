/**
 * Helpers for the Jira adapter's tests (not shipped code): a ProviderContext per connection mode
 * against the sandbox, an in-memory Atlassian token source, and small local servers that are
 * not Jira.
 */
import { createServer, type Server } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";

import { DEFAULT_OAUTH_CLIENT, DEMO_SITES } from "../../../../sandbox/fixtures";
import type { SandboxHandle } from "../../../../sandbox/server";
import { ADA, call, oauthTokens, type TokenSet } from "../../../../sandbox/test-helpers";
import { InvalidCredentials, type AccessTokenSource, type ProviderContext } from "../types";
import type { JiraModeId } from "./schemas";

export const ACME = DEMO_SITES[0]!;
export const ALLOWED_HOSTS = ["localhost", "127.0.0.1"];

export type ContextOptions = {
  /** Overrides the mode's config (e.g. projectKey). */
  config?: Record<string, unknown>;
  credentials?: Record<string, unknown>;
  /** Where the mode points instead of the sandbox site (base URL, or Atlassian's gateway for OAuth). */
  target?: string;
  tokens?: AccessTokenSource;
  allowedHosts?: string[];
  timeoutMs?: number;
};

/** A ProviderContext for a mode, pointing at the sandbox's acme-demo site as Ada. */
export function jiraContext(
  mode: JiraModeId,
  sandbox: SandboxHandle,
  options: ContextOptions = {},
): ProviderContext {
  const project = { projectKey: "DEMO", defaultIssueType: "Task" };
  const common = {
    mode,
    allowedHosts: options.allowedHosts ?? ALLOWED_HOSTS,
    timeoutMs: options.timeoutMs ?? 5000,
    platform: { atlassianApiUrl: mode === "cloud_oauth" && options.target ? options.target : sandbox.url },
  };
  switch (mode) {
    case "cloud_api_token":
      return {
        ...common,
        config: { baseUrl: options.target ?? `${sandbox.url}${ACME.path}`, ...project, ...options.config },
        credentials: { email: ADA.email, apiToken: ADA.apiToken, ...options.credentials },
      };
    case "server_pat":
      return {
        ...common,
        config: {
          baseUrl: options.target ?? `${sandbox.url}/dc/${ACME.name}`,
          deployment: "DATA_CENTER",
          ...project,
          ...options.config,
        },
        credentials: { personalAccessToken: ADA.personalAccessToken, ...options.credentials },
      };
    case "cloud_oauth":
      return {
        ...common,
        config: {
          cloudId: ACME.cloudId,
          siteUrl: `${sandbox.url}${ACME.path}`,
          siteName: ACME.name,
          ...project,
          ...options.config,
        },
        credentials: {},
        tokens: options.tokens,
      };
  }
}

/**
 * The user's Atlassian tokens in memory, refreshed against the sandbox's /oauth/token with
 * rotation, like the app's database-backed source. A refused refresh throws a plain Error, so the
 * tests show that the adapter turns it into InvalidCredentials itself.
 */
export class MemoryTokenSource implements AccessTokenSource {
  refreshes: string[] = [];
  private constructor(
    private readonly sandboxUrl: string,
    private tokens: TokenSet,
  ) {}

  static async connect(sandboxUrl: string): Promise<MemoryTokenSource> {
    return new MemoryTokenSource(sandboxUrl, await oauthTokens(sandboxUrl));
  }

  async getAccessToken(): Promise<string> {
    return this.tokens.access_token;
  }

  async refreshAfterRejection(rejected: string): Promise<string> {
    this.refreshes.push(rejected);
    if (rejected !== this.tokens.access_token) return this.tokens.access_token; // someone else refreshed
    const response = await call<TokenSet & { error?: string; error_description?: string }>(
      this.sandboxUrl,
      "/oauth/token",
      {
        auth: null,
        body: {
          grant_type: "refresh_token",
          client_id: DEFAULT_OAUTH_CLIENT.clientId,
          client_secret: DEFAULT_OAUTH_CLIENT.clientSecret,
          refresh_token: this.tokens.refresh_token,
        },
      },
    );
    // Like the app's token source: a refused refresh means the grant is gone.
    if (response.status !== 200)
      throw new InvalidCredentials(
        `Atlassian refused to renew access (${response.body.error}). Reconnect your Atlassian account.`,
        {
          grantRevoked: true,
        },
      );
    this.tokens = response.body;
    return this.tokens.access_token;
  }
}

/** A web server that is not Jira: every path answers 200 with an HTML page. */
export async function htmlServer(): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end("<!doctype html><html><body><h1>Welcome to nginx!</h1></body></html>");
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, port, close: () => closeServer(server) };
}

/** A TCP listener that only counts connection attempts (to prove none was made). */
export async function connectionCounter(): Promise<{
  port: number;
  connections(): number;
  close(): Promise<void>;
}> {
  let connections = 0;
  const server = createTcpServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  const port = await listen(server);
  return { port, connections: () => connections, close: () => closeServer(server) };
}

/** A loopback port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

function closeServer(server: Server | ReturnType<typeof createTcpServer>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    if ("closeAllConnections" in server) server.closeAllConnections(); // keep-alive sockets
  });
}

/** Every issue the sandbox holds for a project, with properties and comments. */
export async function sandboxIssues(sandbox: SandboxHandle, project: string) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (await call(sandbox.url, `/__sandbox/issues?project=${project}`, { auth: null })).body as any[];
}

export async function sandboxAdmin(sandbox: SandboxHandle, path: string, body?: unknown) {
  return call(sandbox.url, `/__sandbox${path}`, { method: "POST", auth: null, body });
}
