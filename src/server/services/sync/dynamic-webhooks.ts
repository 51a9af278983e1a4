import "server-only";

import type { Integration } from "~/generated/prisma/client";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { InvalidCredentials, ProviderError } from "~/server/integrations/types";
import { logger } from "~/server/logger";
import { recordAuditEvent } from "~/server/services/audit/audit";
import { providerForIntegration } from "~/server/services/integrations/integrations";
import {
  recordProviderFailure,
  resumeIfSuspensionOver,
} from "~/server/services/integrations/lifecycle-store";
import { appBaseUrl, WEBHOOK_EVENTS, webhookUrl } from "~/server/services/webhooks/webhook-setup";

/**
 * The dynamic webhooks an OAuth integration registers in Jira through the connecting user's grant:
 * no Jira admin has to add anything. Jira drops them after 30 days unless refreshed, so a daily
 * job refreshes those expiring within a week (and retries integrations left without any).
 */

/** Refresh webhooks expiring sooner than this. */
export const REFRESH_WITHIN_MS = 7 * 24 * 60 * 60 * 1000;

/** The day a webhook expires, as a person reads it in the audit log ("2 January 2027"). */
const expiryDay = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });

export const isOAuthJira = (integration: Pick<Integration, "provider" | "authMethod">) =>
  integration.provider === "jira" && integration.authMethod === "cloud_oauth";

export type RegistrationResult = { ok: true; expiresAt: Date } | { ok: false; message: string };

/**
 * Registers the integration's webhooks (replacing any it had) and stores their ids and expiry.
 * Never throws for a Jira failure: it is logged, recorded as an AuditEvent and returned, and the
 * integration keeps working through polling.
 */
export async function registerDynamicWebhooks(
  integration: Integration,
  options: { baseUrl?: string; actorId?: string | null } = {},
): Promise<RegistrationResult> {
  if (!isOAuthJira(integration))
    return { ok: false, message: "Only Jira connections through an Atlassian account register webhooks." };
  const url = webhookUrl(options.baseUrl ?? appBaseUrl(), integration.id);
  try {
    const webhooks = providerForIntegration(integration).webhooks;
    if (!webhooks) return { ok: false, message: "This connection cannot register webhooks in Jira." };
    // Registering again would add a second webhook: the old ones go first.
    await webhooks.delete(integration.dynamicWebhookIds).catch((error: unknown) => {
      logger.warn({ err: error, integrationId: integration.id }, "could not delete the previous webhooks");
    });
    const { ids, expiresAt } = await webhooks.register(url, WEBHOOK_EVENTS);
    await db.$transaction(async (tx) => {
      await tx.integration.update({
        where: { id: integration.id, organizationId: integration.organizationId },
        data: { dynamicWebhookIds: ids, dynamicWebhooksExpireAt: expiresAt },
      });
      await recordAuditEvent(
        {
          organizationId: integration.organizationId,
          actorId: options.actorId ?? null,
          action: "integration.webhooks_registered",
          entityType: "Integration",
          entityId: integration.id,
          reason: `Jira sends changes of ${integration.name} automatically; the webhook expires on ${expiryDay.format(expiresAt)} (UTC)`,
          after: { webhookIds: ids, expiresAt: expiresAt.toISOString() },
        },
        tx,
      );
    });
    return { ok: true, expiresAt };
  } catch (error) {
    const message = await reportFailure(integration, error, "registering", options.actorId ?? null);
    // Nothing registered any more: polling takes over.
    await db.integration.update({
      where: { id: integration.id, organizationId: integration.organizationId },
      data: { dynamicWebhookIds: [], dynamicWebhooksExpireAt: null },
    });
    return { ok: false, message };
  }
}

/** Deletes the integration's webhooks in Jira, best effort, and forgets them. */
export async function deleteDynamicWebhooks(integration: Integration): Promise<void> {
  if (integration.dynamicWebhookIds.length === 0) return;
  try {
    await providerForIntegration(integration).webhooks?.delete(integration.dynamicWebhookIds);
  } catch (error) {
    // They expire by themselves within 30 days; deliveries to a deleted integration are refused.
    logger.warn(
      { err: error, integrationId: integration.id },
      "could not delete the integration's webhooks in Jira",
    );
  }
  await db.integration.update({
    where: { id: integration.id },
    data: { dynamicWebhookIds: [], dynamicWebhooksExpireAt: null },
  });
}

/**
 * The daily job: refreshes the webhooks of active OAuth integrations that expire within a week,
 * re-registers those already expired or never registered. One integration's failure does not
 * stop the others. `integrationIds` limits the run (tests).
 */
export async function refreshDynamicWebhooks({ integrationIds }: { integrationIds?: string[] } = {}) {
  const soon = new Date(Date.now() + REFRESH_WITHIN_MS);
  const candidates = await db.integration.findMany({
    where: {
      provider: "jira",
      authMethod: "cloud_oauth",
      deletedAt: null,
      status: { in: ["ACTIVE", "SUSPENDED"] },
      OR: [{ dynamicWebhooksExpireAt: null }, { dynamicWebhooksExpireAt: { lt: soon } }],
      ...(integrationIds ? { id: { in: integrationIds } } : {}),
    },
  });
  const results: Record<string, string> = {};
  for (const candidate of candidates) {
    try {
      const integration = await resumeIfSuspensionOver(candidate);
      if (integration.status !== "ACTIVE") {
        results[integration.id] = `skipped: ${integration.status}`;
        continue;
      }
      results[integration.id] = await refreshOne(integration);
    } catch (error) {
      logger.error({ err: error, integrationId: candidate.id }, "refreshing Jira webhooks failed");
      results[candidate.id] = "failed";
    }
  }
  return results;
}

async function refreshOne(integration: Integration): Promise<string> {
  const expired = !integration.dynamicWebhooksExpireAt || integration.dynamicWebhooksExpireAt <= new Date();
  if (integration.dynamicWebhookIds.length === 0 || expired) {
    const registered = await registerDynamicWebhooks(integration);
    return registered.ok ? "registered" : `registration failed: ${registered.message}`;
  }
  try {
    const webhooks = providerForIntegration(integration).webhooks;
    if (!webhooks) return "skipped: cannot register webhooks";
    const expiresAt = await webhooks.refresh(integration.dynamicWebhookIds);
    await db.integration.update({
      where: { id: integration.id, organizationId: integration.organizationId },
      data: { dynamicWebhooksExpireAt: expiresAt },
    });
    return "refreshed";
  } catch (error) {
    return `refresh failed: ${await reportFailure(integration, error, "refreshing", null)}`;
  }
}

/**
 * A webhook call that failed: logged and audited. Rejected credentials go through the lifecycle
 * (the integration becomes EXPIRED, as for any other call); other failures leave its status alone,
 * since polling still brings the changes in.
 */
async function reportFailure(
  integration: Integration,
  error: unknown,
  step: "registering" | "refreshing",
  actorId: string | null,
): Promise<string> {
  if (!(error instanceof ProviderError)) throw error;
  logger.warn(
    { integrationId: integration.id, code: error.code, message: error.message },
    `${step} Jira webhooks failed`,
  );
  await recordAuditEvent({
    organizationId: integration.organizationId,
    actorId,
    action: "integration.webhooks_failed",
    entityType: "Integration",
    entityId: integration.id,
    reason: `${step === "registering" ? "Registering" : "Refreshing"} the Jira webhooks of ${integration.name} failed: ${error.message} Changes made in Jira are fetched every 5 minutes instead.`,
    after: { errorCode: error.code },
  });
  if (error instanceof InvalidCredentials || error.code === "RATE_LIMITED")
    await recordProviderFailure(integration.id, error);
  return error.message;
}

/** The "Register again" action of the integration page. */
export async function registerWebhooksForViewer(
  viewer: Viewer,
  integrationId: string,
  options: { baseUrl?: string } = {},
) {
  if (viewer.role !== "OWNER" && viewer.role !== "ADMIN")
    throw new AppError("FORBIDDEN", "Only owners and admins manage webhooks.");
  const integration = await db.integration.findFirst({
    where: { id: integrationId, organizationId: viewer.organizationId, deletedAt: null },
  });
  if (!integration) throw new AppError("NOT_FOUND", "This integration does not exist or was deleted.");
  if (!isOAuthJira(integration))
    throw new AppError(
      "BAD_REQUEST",
      "Only Jira connections through an Atlassian account register webhooks themselves; add an admin webhook with a secret instead.",
    );
  if (integration.status !== "ACTIVE")
    throw new AppError(
      "CONFLICT",
      `This integration is ${integration.status}; run its tests so it becomes active, then register again.`,
    );
  const result = await registerDynamicWebhooks(integration, { ...options, actorId: viewer.userId });
  if (!result.ok)
    throw new AppError(
      "BAD_REQUEST",
      `Jira did not register the webhook: ${result.message} Changes are fetched every 5 minutes meanwhile.`,
    );
  return { expiresAt: result.expiresAt };
}
