import "server-only";

import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { LookupFunction } from "node:net";

import ipaddr from "ipaddr.js";

import { KEEP_ALIVE_AGENT_OPTIONS } from "./keep-alive";
import { UnsafeUrl } from "./types";

/**
 * Outbound guard against server-side request forgery: a base URL an admin types may only reach
 * public addresses. Hosts on the allow-list (host or host:port, e.g. the development sandbox on
 * localhost) are let through. The check runs on the resolved addresses, and again inside the HTTP
 * agents at connect time, so a DNS answer that changes after validation (rebinding) is caught too.
 */

function isPublicAddress(address: string): boolean {
  const parsed = ipaddr.process(address);
  return parsed.range() === "unicast";
}

export function isAllowedHost(url: URL, allowedHosts: readonly string[]): boolean {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return allowedHosts.some((allowed) => allowed === url.hostname || allowed === `${url.hostname}:${port}`);
}

/** Parses and checks a base URL an admin typed: scheme, credentials in the URL, and where it points. */
export async function assertSafeBaseUrl(raw: string, allowedHosts: readonly string[]): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrl(
      `"${raw}" is not a URL. Enter the address you open Jira at, e.g. https://your-team.atlassian.net.`,
    );
  }
  if (url.username || url.password) {
    throw new UnsafeUrl(
      "Remove the user name and password from the URL; credentials go in their own fields.",
    );
  }
  const allowed = isAllowedHost(url, allowedHosts);
  if (url.protocol !== "https:" && !(allowed && url.protocol === "http:")) {
    throw new UnsafeUrl(
      `Use an https:// address (got ${url.protocol}//). TicketBridge only sends credentials over TLS.`,
    );
  }
  if (allowed) return url;
  if ((publicHostsSeen.get(url.hostname) ?? 0) > Date.now()) return url;

  const addresses = await resolve(url.hostname);
  const blocked = addresses.find((address) => !isPublicAddress(address));
  if (blocked) {
    throw new UnsafeUrl(
      `${url.hostname} points to ${blocked}, a private, loopback or link-local address. TicketBridge only connects to publicly reachable servers.`,
    );
  }
  if (publicHostsSeen.size >= MAX_HOSTS_REMEMBERED) publicHostsSeen.clear();
  publicHostsSeen.set(url.hostname, Date.now() + PUBLIC_HOST_REMEMBERED_MS);
  return url;
}

/**
 * Hosts found to resolve to public addresses, and until when that answer is trusted. Every call
 * to Jira checks its base URL first, and Node keeps no DNS cache: without this, each ticket would
 * wait for a DNS query. A host that moves to a private address meanwhile is still refused at
 * connect time by the agents' lookup.
 */
const publicHostsSeen = new Map<string, number>();
const PUBLIC_HOST_REMEMBERED_MS = 60_000;
const MAX_HOSTS_REMEMBERED = 1_000;

async function resolve(hostname: string): Promise<string[]> {
  if (ipaddr.isValid(hostname.replace(/^\[|\]$/g, ""))) return [hostname.replace(/^\[|\]$/g, "")];
  return new Promise((resolvePromise, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        reject(
          new UnsafeUrl(
            `${hostname} could not be found (DNS: ${error.code ?? error.message}). Check the address for typos.`,
          ),
        );
      } else {
        resolvePromise(addresses.map((entry) => entry.address));
      }
    });
  });
}

/** A DNS lookup for HTTP agents that refuses non-public answers unless the host is allow-listed. */
function guardedLookup(allowedHosts: readonly string[]): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 4);
      const hostAllowed = allowedHosts.some(
        (allowed) => allowed === hostname || allowed.startsWith(`${hostname}:`),
      );
      const safe = hostAllowed ? addresses : addresses.filter((entry) => isPublicAddress(entry.address));
      if (safe.length === 0) {
        return callback(new UnsafeUrl(`${hostname} resolves only to non-public addresses.`), "", 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, safe);
      return callback(null, safe[0]!.address, safe[0]!.family);
    });
  };
}

/** HTTP(S) agents whose every connection goes through the guarded lookup. */
export function guardedAgents(allowedHosts: readonly string[]) {
  const options = { ...KEEP_ALIVE_AGENT_OPTIONS, lookup: guardedLookup(allowedHosts) };
  return { httpAgent: new HttpAgent(options), httpsAgent: new HttpsAgent(options) };
}
