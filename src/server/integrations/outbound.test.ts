import type * as Dns from "node:dns";
import { createServer, request, type Agent } from "node:http";
import type { AddressInfo } from "node:net";

import { afterEach, describe, expect, it, vi } from "vitest";

import { assertSafeBaseUrl, guardedAgents, isAllowedHost } from "./outbound";
import { UnsafeUrl } from "./types";

/** Hosts that need no network: their lookups are answered (and counted) here. */
const PUBLIC_HOST = "jira.ticketbridge.test";
const PRIVATE_HOST = "intranet.ticketbridge.test";
const dnsQueries = vi.hoisted(() => ({ count: 0 }));
vi.mock("node:dns", async (importOriginal) => {
  const dns = await importOriginal<typeof Dns>();
  const lookup = (
    hostname: string,
    options: object,
    callback: (error: NodeJS.ErrnoException | null, addresses: Dns.LookupAddress[]) => void,
  ) => {
    const address = { [PUBLIC_HOST]: "93.184.215.14", [PRIVATE_HOST]: "10.0.0.5" }[hostname];
    if (!address) return dns.lookup(hostname, { ...options, all: true }, callback);
    dnsQueries.count++;
    callback(null, [{ address, family: 4 }]);
  };
  return { ...dns, default: { ...dns, lookup }, lookup };
});

afterEach(() => {
  vi.useRealTimers();
});

const ALLOWED = ["localhost:4010", "127.0.0.1:4010"];

async function refusal(url: string, allowed: string[] = []): Promise<string> {
  const error = await assertSafeBaseUrl(url, allowed).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnsafeUrl);
  return (error as UnsafeUrl).message;
}

describe("outbound guard", () => {
  it("refuses private, loopback, link-local and unspecified addresses", async () => {
    for (const url of [
      "https://10.1.2.3",
      "https://172.16.0.1",
      "https://192.168.1.1",
      "https://127.0.0.1",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]",
      "https://[fe80::1]",
      "https://0.0.0.0",
      "https://[::ffff:127.0.0.1]",
      "https://localhost",
    ]) {
      expect(await refusal(url)).toMatch(/private, loopback or link-local/);
    }
  });

  it("refuses plain http, credentials in the URL, and what is not a URL", async () => {
    expect(await refusal("http://example.com")).toMatch(/https:\/\//);
    expect(await refusal("https://user:pass@example.com")).toMatch(/user name and password/);
    expect(await refusal("your-team.atlassian.net")).toMatch(/not a URL/);
  });

  it("lets allow-listed development hosts through, on their port only", async () => {
    await expect(assertSafeBaseUrl("http://localhost:4010/site/acme-demo", ALLOWED)).resolves.toBeInstanceOf(
      URL,
    );
    expect(isAllowedHost(new URL("http://localhost:4011"), ALLOWED)).toBe(false);
    expect(await refusal("http://localhost:4011", ALLOWED)).toMatch(/https/);
  });

  it("accepts public addresses", async () => {
    await expect(assertSafeBaseUrl("https://93.184.215.14", [])).resolves.toBeInstanceOf(URL);
  });

  it("resolves a public host once a minute, not on every call", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const before = dnsQueries.count;
    for (let call = 0; call < 3; call++) {
      await expect(assertSafeBaseUrl(`https://${PUBLIC_HOST}/rest`, [])).resolves.toBeInstanceOf(URL);
    }
    expect(dnsQueries.count).toBe(before + 1);
    vi.advanceTimersByTime(61_000);
    await assertSafeBaseUrl(`https://${PUBLIC_HOST}`, []);
    expect(dnsQueries.count).toBe(before + 2);
    // Refusals are never remembered: each check of a private host resolves it again.
    expect(await refusal(`https://${PRIVATE_HOST}`)).toMatch(/points to 10\.0\.0\.5/);
    expect(await refusal(`https://${PRIVATE_HOST}`)).toMatch(/points to 10\.0\.0\.5/);
    expect(dnsQueries.count).toBe(before + 4);
  });
});

describe("kept-alive connections", () => {
  /** One request through a guarded agent, then how many idle connections it keeps after `idleMs`. */
  async function idleConnectionsAfter(keepAliveTimeoutMs: number, idleMs: number): Promise<number> {
    const server = createServer((_req, res) => res.end("ok"));
    // Node announces this as `Keep-Alive: timeout=N` and closes a second after it; 0 announces nothing.
    server.keepAliveTimeout = keepAliveTimeoutMs;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const agent: Agent = guardedAgents([`127.0.0.1:${port}`]).httpAgent;
    try {
      await new Promise<void>((resolve, reject) => {
        request({ host: "127.0.0.1", port, agent }, (res) => res.resume().on("end", resolve))
          .on("error", reject)
          .end();
      });
      await new Promise((resolve) => setTimeout(resolve, idleMs));
      return Object.values(agent.freeSockets).flat().length;
    } finally {
      agent.destroy();
      server.close();
    }
  }

  it("are closed before the server's announced keep-alive runs out, never reused as it closes them", async () => {
    // timeout=2: the server closes at about 3 s, the agent a second before the announced 2 s.
    expect(await idleConnectionsAfter(2_000, 1_300)).toBe(0);
  });

  it("are kept for reuse when the server announces no limit", async () => {
    expect(await idleConnectionsAfter(0, 1_300)).toBe(1);
  });
});
