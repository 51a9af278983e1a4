import { AxiosError, AxiosHeaders, type AxiosResponse, type InternalAxiosRequestConfig } from "axios";
import { HttpException } from "jira.js";
import { describe, expect, it } from "vitest";

import { InvalidCredentials, UnsafeUrl } from "../types";
import { parseRetryAfter, toProviderError, type JiraErrorContext } from "./errors";

const context: JiraErrorContext = { host: "acme.atlassian.net", auth: "api_token", timeoutMs: 10_000 };
const config = { headers: new AxiosHeaders() } as InternalAxiosRequestConfig;

/** What jira.js throws when Jira answered: an HttpException wrapping the axios error. */
function answered(status: number, data: unknown, headers: Record<string, string> = {}) {
  const response = {
    status,
    statusText: "",
    data,
    headers: new AxiosHeaders(headers),
    config,
  } as AxiosResponse;
  const axiosError = new AxiosError(
    `Request failed with status code ${status}`,
    "ERR_BAD_REQUEST",
    config,
    {},
    response,
  );
  return new HttpException(
    { code: axiosError.code, message: axiosError.message, data, status, statusText: "" },
    status,
    {
      cause: axiosError,
    },
  );
}

/** What jira.js lets through when nothing answered: the axios error, with Node's error as cause. */
function network(code: string, message: string, nodeCode = code) {
  const error = new AxiosError(message, code, config, {});
  error.cause = Object.assign(new Error(message), { code: nodeCode });
  return error;
}

describe("toProviderError — Jira answered", () => {
  it("401 → InvalidCredentials, with advice for the way the connection signs in", () => {
    const apiToken = toProviderError(
      answered(401, { errorMessages: ["You are not authenticated."] }),
      context,
    );
    expect(apiToken).toBeInstanceOf(InvalidCredentials);
    expect(apiToken.message).toContain("https://id.atlassian.com/manage-profile/security/api-tokens");
    expect(apiToken.details).toEqual({ status: 401 });
    expect(toProviderError(answered(401, {}), { ...context, auth: "pat" }).message).toContain(
      "personal access token",
    );
    expect(
      toProviderError(answered(401, { code: 401, message: "Unauthorized" }), { ...context, auth: "oauth" })
        .message,
    ).toContain("Reconnect your Atlassian account");
  });

  it("403 → Forbidden, 404 → NotFound, with Jira's own words", () => {
    expect(
      toProviderError(answered(403, { errorMessages: ["You cannot edit this issue."] }), context),
    ).toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringContaining("refused the request (HTTP 403): You cannot edit this issue."),
    });
    expect(
      toProviderError(
        answered(404, { errorMessages: ["Issue does not exist or you do not have permission to see it."] }),
        context,
      ),
    ).toMatchObject({
      code: "NOT_FOUND",
      message:
        "Jira at acme.atlassian.net could not find it (HTTP 404): Issue does not exist or you do not have permission to see it",
    });
  });

  it("429 → RateLimited with Retry-After in seconds or as a date", () => {
    const limited = toProviderError(
      answered(429, { message: "Rate limit exceeded" }, { "Retry-After": "12" }),
      context,
    );
    expect(limited).toMatchObject({ code: "RATE_LIMITED", details: { status: 429, retryAfterSeconds: 12 } });
    expect(limited.message).toBe(
      "Jira at acme.atlassian.net is limiting the rate of requests (HTTP 429); try again in 12 s.",
    );
    expect(toProviderError(answered(429, {}), context).details.retryAfterSeconds).toBeUndefined();
    expect(
      parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")),
    ).toBe(30);
    expect(parseRetryAfter("1.5")).toBe(2);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });

  it("400 → Rejected, keeping Jira's field errors and messages", () => {
    const rejected = toProviderError(
      answered(400, {
        errorMessages: ["Bad things."],
        errors: { customfield_10050: "Environment is required.", summary: "Too long." },
      }),
      context,
    );
    expect(rejected).toMatchObject({
      code: "REJECTED",
      message:
        "Jira rejected the request (HTTP 400): Bad things; customfield_10050: Environment is required; summary: Too long",
      details: {
        status: 400,
        fieldErrors: { customfield_10050: "Environment is required.", summary: "Too long." },
      },
    });
  });

  it("5xx → Unavailable; 3xx → NotFound naming where it points", () => {
    expect(toProviderError(answered(503, "<html>busy</html>"), context)).toMatchObject({
      code: "UNAVAILABLE",
      message:
        "Jira at acme.atlassian.net had a problem (HTTP 503). It may be down or overloaded; try again later.",
    });
    expect(
      toProviderError(answered(302, "", { Location: "https://acme.atlassian.net/login?x=1" }), context),
    ).toMatchObject({
      code: "NOT_FOUND",
      message:
        "Jira at acme.atlassian.net redirected the request to https://acme.atlassian.net/login?x=1 (HTTP 302). Enter the address Jira is served at (probably https://acme.atlassian.net).",
    });
  });
});

describe("toProviderError — nothing answered", () => {
  it.each([
    [
      network("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:443"),
      "Could not connect to acme.atlassian.net: the connection was refused.",
    ],
    [
      network("ENOTFOUND", "getaddrinfo ENOTFOUND acme.atlassian.net"),
      "acme.atlassian.net could not be found (DNS ENOTFOUND).",
    ],
    [
      network("ECONNABORTED", "timeout of 10000ms exceeded"),
      "Jira at acme.atlassian.net did not answer within 10 s.",
    ],
    [network("ETIMEDOUT", "connect ETIMEDOUT"), "did not answer within 10 s"],
    [network("ECONNRESET", "socket hang up"), "closed the connection before answering (socket hang up)"],
    [
      network("CERT_HAS_EXPIRED", "certificate has expired"),
      "could not be established (CERT_HAS_EXPIRED): its certificate has expired.",
    ],
    [
      network("DEPTH_ZERO_SELF_SIGNED_CERT", "self-signed certificate"),
      "its certificate is not signed by a trusted authority",
    ],
    [
      network("EHOSTUNREACH", "connect EHOSTUNREACH"),
      "cannot be reached from TicketBridge's network (EHOSTUNREACH)",
    ],
  ])("%s", (error, message) => {
    const mapped = toProviderError(error, context);
    expect(mapped.code).toBe("UNAVAILABLE");
    expect(mapped.message).toContain(message);
  });

  it("marks a request that may have reached Jira (timed out, connection dropped) as unanswered", () => {
    const unanswered = (error: unknown) => toProviderError(error, context).details.unanswered ?? false;
    expect(unanswered(network("ECONNABORTED", "timeout of 10000ms exceeded"))).toBe(true);
    expect(unanswered(network("ECONNRESET", "socket hang up"))).toBe(true);
    expect(unanswered(network("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:443"))).toBe(false);
    expect(unanswered(network("ENOTFOUND", "getaddrinfo ENOTFOUND acme.atlassian.net"))).toBe(false);
  });

  it("passes UnsafeUrl and other domain errors through, also from deep in the cause chain", () => {
    const unsafe = new UnsafeUrl("evil.example resolves only to non-public addresses.");
    const wrapped = new AxiosError("lookup failed", "ERR_BAD_REQUEST", config, {});
    wrapped.cause = unsafe;
    expect(toProviderError(wrapped, context)).toBe(unsafe);
    const invalid = new InvalidCredentials("x", { grantRevoked: true });
    expect(toProviderError(invalid, context)).toBe(invalid);
  });

  it("describes anything else without losing its message", () => {
    expect(toProviderError(new Error("weird"), context)).toMatchObject({
      code: "UNAVAILABLE",
      message: "Could not talk to Jira at acme.atlassian.net: weird.",
    });
  });
});
