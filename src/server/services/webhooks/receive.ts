import "server-only";

import { createHash } from "node:crypto";

import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { verifyHubSignature } from "~/server/integrations/jira/webhook";
import { sendJob, transactionExecutor } from "~/server/jobs/boss";
import { QUEUES } from "~/server/jobs/queues";
import { logger } from "~/server/logger";
import { checkRateLimit } from "~/server/services/rate-limit/rate-limit";

import { verifyWebhookJwt } from "./webhook-jwt";
import { openWebhookSecret } from "./webhook-setup";

/**
 * Receiving a Jira webhook: verify, store, queue, acknowledge. Admin webhooks are verified by their
 * `X-Hub-Signature` HMAC; the dynamic webhooks of an OAuth integration by their bearer JWT. Nothing is stored before the
 * signature checks out; the stored event and its job commit together, so an acknowledged delivery
 * is always processed; Jira's retries of one delivery carry the same identifier and are stored once.
 */

export const MAX_WEBHOOK_BYTES = 1024 * 1024;
/** Older signed deliveries are refused: a captured request cannot be replayed a day later. */
export const MAX_WEBHOOK_AGE_MS = 24 * 60 * 60 * 1000;
const WEBHOOK_RATE_LIMIT = { limit: 100, windowSeconds: 60 };

export type WebhookReply = {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
};

/** The same answer for every failed check: it must not tell which integration ids exist. */
const UNVERIFIED: WebhookReply = {
  status: 401,
  body: { error: "The webhook signature could not be verified." },
};

export async function receiveJiraWebhook(integrationId: string, request: Request): Promise<WebhookReply> {
  const rawBody = await readBodyWithin(request, MAX_WEBHOOK_BYTES);
  if (rawBody === null)
    return { status: 413, body: { error: `Webhook payloads are limited to ${MAX_WEBHOOK_BYTES} bytes.` } };

  const integration = await verifiedIntegration(integrationId, rawBody, request.headers);
  if (!integration) return UNVERIFIED;

  const rate = await checkRateLimit({ key: `webhook:${integration.id}`, ...WEBHOOK_RATE_LIMIT });
  if (!rate.allowed) {
    return {
      status: 429,
      body: { error: `Too many webhook deliveries; retry in ${rate.retryAfterSeconds} s.` },
      headers: { "Retry-After": String(rate.retryAfterSeconds) },
    };
  }

  const delivery = {
    integration,
    dedupeKey: dedupeKeyOf(request.headers, rawBody),
    payload: parsePayload(rawBody),
  };
  if ("error" in delivery.payload) return storeIgnored({ ...delivery, reason: delivery.payload.error });
  if (isStale(delivery.payload.value)) {
    logger.warn({ integrationId }, "refused a signed webhook delivery older than 24 hours");
    return { status: 401, body: { error: "This delivery is more than 24 hours old; it is not accepted." } };
  }
  return storeAndQueue({ ...delivery, payload: delivery.payload.value });
}

type VerifiedIntegration = { id: string; organizationId: string; verifiedBy: "hmac" | "jwt" };

async function verifiedIntegration(
  integrationId: string,
  rawBody: string,
  headers: Headers,
): Promise<VerifiedIntegration | null> {
  const integration = await db.integration.findFirst({
    where: { id: integrationId, deletedAt: null },
    select: {
      id: true,
      organizationId: true,
      webhookSecretSealed: true,
      provider: true,
      authMethod: true,
      baseUrl: true,
    },
  });
  const authorization = headers.get("authorization");
  if (authorization !== null) {
    // A JWT is signed with the app's client secret: only the OAuth app's own webhooks carry one.
    const isOAuth = integration?.provider === "jira" && integration.authMethod === "cloud_oauth";
    const check = integration && isOAuth ? await verifyWebhookJwt(authorization, integration.baseUrl) : null;
    if (integration && check?.ok)
      return { id: integration.id, organizationId: integration.organizationId, verifiedBy: "jwt" };
    const why = !integration ? "unknown integration" : check ? check.why : "JWT for a non-OAuth integration";
    logger.warn({ integrationId, why }, "refused an unverified webhook delivery");
    return null;
  }
  const secret = integration ? openWebhookSecret(integration) : null;
  const signature = headers.get("x-hub-signature");
  if (!integration || !secret || !verifyHubSignature(rawBody, signature, secret)) {
    const why = !integration ? "unknown integration" : !secret ? "no webhook secret" : "bad signature";
    logger.warn({ integrationId, why, signed: signature !== null }, "refused an unverified webhook delivery");
    return null;
  }
  return { id: integration.id, organizationId: integration.organizationId, verifiedBy: "hmac" };
}

/**
 * The body as text, or null past `limit` bytes. Reads the stream itself so an oversized body is
 * refused without holding all of it.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<string | null> {
  if (Number(request.headers.get("content-length") ?? 0) > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Jira's delivery identifier (the same on its retries), else the body's hash. */
function dedupeKeyOf(headers: Headers, rawBody: string): string {
  const identifier = headers.get("x-atlassian-webhook-identifier")?.trim();
  if (identifier && identifier.length <= 200) return identifier;
  return `sha256:${createHash("sha256")
    .update(identifier ?? rawBody)
    .digest("hex")}`;
}

type JsonObject = Record<string, unknown>;

function parsePayload(rawBody: string): { value: JsonObject } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(rawBody);
  } catch {
    return { error: "the body is not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { error: "the body is not a JSON object" };
  return { value: value as JsonObject };
}

function isStale(payload: JsonObject): boolean {
  const timestamp = payload.timestamp;
  return typeof timestamp === "number" && Date.now() - timestamp > MAX_WEBHOOK_AGE_MS;
}

type Delivery = { integration: VerifiedIntegration; dedupeKey: string };

/** Signed but unreadable: kept (IGNORED, with the reason) for diagnosis, never processed. */
async function storeIgnored({ integration, dedupeKey, reason }: Delivery & { reason: string }) {
  logger.warn({ integrationId: integration.id, reason }, "ignored a signed webhook delivery");
  await db.$transaction(async (tx) => {
    const stored = await insertEvent(tx, {
      integration,
      dedupeKey,
      event: "unreadable",
      payload: { unreadable: reason },
      state: "IGNORED",
      outcome: `Ignored: ${reason}.`,
    });
    if (stored) await noteArrival(tx, integration);
  });
  return { status: 200, body: { ignored: reason } };
}

async function storeAndQueue({ integration, dedupeKey, payload }: Delivery & { payload: JsonObject }) {
  const event = typeof payload.webhookEvent === "string" ? payload.webhookEvent.slice(0, 100) : "unknown";
  const stored = await db.$transaction(
    async (tx) => {
      const id = await insertEvent(tx, { integration, dedupeKey, event, payload, state: "RECEIVED" });
      if (!id) return false;
      await sendJob(
        QUEUES.webhookEvent.name,
        { webhookEventId: id },
        { startAfter: new Date(), executor: transactionExecutor(tx) },
      );
      await noteArrival(tx, integration);
      return true;
    },
    { maxWait: 15_000, timeout: 15_000 },
  );
  return { status: 200, body: stored ? { received: true } : { duplicate: true } };
}

/** Inserts the event unless this delivery was stored before; resolves to its id, or null. */
async function insertEvent(
  tx: Prisma.TransactionClient,
  row: Delivery & {
    event: string;
    payload: JsonObject;
    state: "RECEIVED" | "IGNORED";
    outcome?: string;
  },
): Promise<string | null> {
  const [created] = await tx.webhookEvent.createManyAndReturn({
    data: [
      {
        organizationId: row.integration.organizationId,
        integrationId: row.integration.id,
        dedupeKey: row.dedupeKey,
        event: row.event,
        verifiedBy: row.integration.verifiedBy,
        payload: row.payload as Prisma.InputJsonObject,
        state: row.state,
        ...(row.outcome ? { outcome: row.outcome, processedAt: new Date() } : {}),
      },
    ],
    skipDuplicates: true,
    select: { id: true },
  });
  return created?.id ?? null;
}

async function noteArrival(tx: Prisma.TransactionClient, integration: VerifiedIntegration) {
  await tx.integration.update({
    where: { id: integration.id, organizationId: integration.organizationId },
    data: { lastWebhookAt: new Date() },
  });
}
