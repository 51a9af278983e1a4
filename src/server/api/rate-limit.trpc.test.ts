import { describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { checkRateLimit, RATE_LIMITS } from "~/server/services/rate-limit/rate-limit";
import { roomInWindow } from "~/server/services/rate-limit/test-support";
import { createMember, setupTestDatabase, unique } from "~/test/db";

import { createCaller } from "./root";
import { createTRPCContext, retryAfterSecondsOf } from "./trpc";
import { trpcRejection } from "~/test/rejections";
import { serveTrpcOverHttp } from "~/test/trpc-http";

setupTestDatabase();

type Member = Awaited<ReturnType<typeof createMember>>;

const callerFor = async (session: Member) =>
  createCaller(await createTRPCContext({ headers: new Headers(), session }));

const MESSAGE = /^Too many requests\. Try again in \d+ seconds?\.$/;

describe("rate limit on protected procedures", () => {
  it("refuses a customer's 61st call in a minute with TOO_MANY_REQUESTS and the wait", async () => {
    const caller = await callerFor(await createMember("CUSTOMER"));
    await roomInWindow(60, 20);
    for (let call = 0; call < 60; call++) await caller.organization.current();

    const error = await trpcRejection(caller.organization.current());
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    expect(error.message).toMatch(MESSAGE);
    const retryAfterSeconds = retryAfterSecondsOf(error);
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(error.message).toContain(`in ${retryAfterSeconds} second`);
  });

  it("lets an admin make 61 calls in a minute", async () => {
    const caller = await callerFor(await createMember("ADMIN"));
    await roomInWindow(60, 20);
    for (let call = 0; call < 61; call++) {
      expect((await caller.organization.current()).viewerRole).toBe("ADMIN");
    }
  });

  it("counts per user: another customer is not affected", async () => {
    const [busy, other] = [await createMember("CUSTOMER"), await createMember("CUSTOMER")];
    await roomInWindow(60, 10);
    await Promise.all(
      Array.from({ length: RATE_LIMITS.customer.limit }, () =>
        checkRateLimit({ key: `user:${busy.user.id}`, ...RATE_LIMITS.customer }),
      ),
    );
    expect((await trpcRejection((await callerFor(busy)).organization.current())).code).toBe(
      "TOO_MANY_REQUESTS",
    );
    expect((await (await callerFor(other)).organization.current()).viewerRole).toBe("CUSTOMER");
  });
});

describe("rate limit over HTTP", () => {
  const trpcServer = serveTrpcOverHttp();
  async function exhaustedCustomer() {
    const member = await createMember("CUSTOMER");
    const sessionToken = unique("token");
    await db.session.create({
      data: { sessionToken, userId: member.user.id, expires: new Date(Date.now() + 3_600_000) },
    });
    await roomInWindow(60, 10);
    await Promise.all(
      Array.from({ length: RATE_LIMITS.customer.limit }, () =>
        checkRateLimit({ key: `user:${member.user.id}`, ...RATE_LIMITS.customer }),
      ),
    );
    return { cookie: `authjs.session-token=${sessionToken}` };
  }

  const get = (path: string, headers: Record<string, string>) => fetch(trpcServer.url(path), { headers });

  it("answers 429 with Retry-After, and the wait in the error's data", async () => {
    const { cookie } = await exhaustedCustomer();
    const response = await get("organization.current", { cookie });
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const body = (await response.json()) as {
      error: { json: { message: string; data: { code: string; retryAfterSeconds: number | null } } };
    };
    expect(body.error.json.message).toMatch(MESSAGE);
    expect(body.error.json.data.code).toBe("TOO_MANY_REQUESTS");
    expect(Math.abs(body.error.json.data.retryAfterSeconds! - retryAfter)).toBeLessThanOrEqual(1);
  });

  it("puts Retry-After on a batch with a refused call", async () => {
    const { cookie } = await exhaustedCustomer();
    const response = await get(
      `organization.current,organization.current?batch=1&input=${encodeURIComponent("{}")}`,
      {
        cookie,
      },
    );
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });

  it("carries the wait in a streamed batch's error data (its headers leave before any call runs)", async () => {
    const { cookie } = await exhaustedCustomer();
    const response = await get(`organization.current?batch=1&input=${encodeURIComponent("{}")}`, {
      cookie,
      "trpc-accept": "application/jsonl",
    });
    const text = await response.text();
    expect(text).toContain("TOO_MANY_REQUESTS");
    expect(text).toMatch(/"retryAfterSeconds":\d+/);
  });

  it("sends no Retry-After with other errors, and null retryAfterSeconds", async () => {
    const response = await get("organization.current", {});
    expect(response.status).toBe(401);
    expect(response.headers.get("retry-after")).toBeNull();
    const body = (await response.json()) as { error: { json: { data: { retryAfterSeconds: unknown } } } };
    expect(body.error.json.data.retryAfterSeconds).toBeNull();
  });
});
