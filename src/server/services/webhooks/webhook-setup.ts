import "server-only";

import { randomBytes } from "node:crypto";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";
import { open, seal } from "~/server/integrations/crypto";
import { recordAuditEvent } from "~/server/services/audit/audit";

/**
 * What an admin needs to point a Jira admin webhook at TicketBridge: the URL, the events to tick,
 * and a shared secret Jira signs deliveries with. The secret is shown once, when it is made.
 */

/** The events the sync acts on; the setup page asks the admin to tick these in Jira. */
export const WEBHOOK_EVENTS = ["jira:issue_created", "jira:issue_updated", "comment_created"] as const;

export const webhookSecretContext = (integrationId: string) => `integration-webhook-secret:${integrationId}`;

/** The integration's webhook secret, or null when none was made (or it cannot be opened). */
export function openWebhookSecret(integration: { id: string; webhookSecretSealed: string | null }) {
  if (!integration.webhookSecretSealed) return null;
  try {
    return open(integration.webhookSecretSealed, webhookSecretContext(integration.id));
  } catch {
    return null;
  }
}

/**
 * The app's public base URL: AUTH_URL when set (the address sign-in uses), else the request's
 * host (behind a proxy, its forwarded host and scheme).
 */
export function appBaseUrl(headers?: Headers): string {
  const configured = URL.parse(process.env.AUTH_URL?.trim() ?? "");
  if (configured) return configured.origin;
  const host = headers?.get("x-forwarded-host") ?? headers?.get("host");
  if (!host) return "http://localhost:3000";
  const scheme = headers?.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return `${scheme}://${host.split(",")[0]?.trim()}`;
}

export const webhookUrl = (baseUrl: string, integrationId: string) =>
  `${baseUrl.replace(/\/+$/, "")}/api/webhooks/jira/${encodeURIComponent(integrationId)}`;

async function adminsIntegration(viewer: Viewer, integrationId: string) {
  if (viewer.role !== "OWNER" && viewer.role !== "ADMIN")
    throw new AppError("FORBIDDEN", "Only owners and admins manage webhooks.");
  const integration = await db.integration.findFirst({
    where: { id: integrationId, organizationId: viewer.organizationId, deletedAt: null },
    select: {
      id: true,
      name: true,
      webhookSecretSealed: true,
      lastWebhookAt: true,
      lastPolledAt: true,
      provider: true,
      authMethod: true,
      dynamicWebhookIds: true,
      dynamicWebhooksExpireAt: true,
    },
  });
  if (!integration) throw new AppError("NOT_FOUND", "This integration does not exist or was deleted.");
  return integration;
}

/**
 * The webhook's URL, whether a secret exists and when a signed delivery last arrived; never the
 * secret. OAuth integrations register their webhook in Jira themselves (`dynamic`: whether it is
 * registered and until when); the others use an admin webhook with a secret.
 */
export async function webhookSetup(
  viewer: Viewer,
  integrationId: string,
  options: { baseUrl?: string } = {},
) {
  const integration = await adminsIntegration(viewer, integrationId);
  return {
    url: webhookUrl(options.baseUrl ?? appBaseUrl(), integration.id),
    hasSecret: integration.webhookSecretSealed !== null,
    lastWebhookAt: integration.lastWebhookAt,
    lastPolledAt: integration.lastPolledAt,
    events: [...WEBHOOK_EVENTS],
    dynamic:
      integration.provider === "jira" && integration.authMethod === "cloud_oauth"
        ? {
            registered:
              integration.dynamicWebhookIds.length > 0 &&
              integration.dynamicWebhooksExpireAt !== null &&
              integration.dynamicWebhooksExpireAt > new Date(),
            expiresAt: integration.dynamicWebhooksExpireAt,
          }
        : null,
  };
}

/**
 * Makes a new secret (the old one stops working at once) and returns it this one time: it is
 * stored sealed and never shown again, nor written to the audit trail.
 */
export async function rotateWebhookSecret(
  viewer: Viewer,
  integrationId: string,
  options: { baseUrl?: string } = {},
) {
  const integration = await adminsIntegration(viewer, integrationId);
  const secret = randomBytes(32).toString("base64url");
  await db.$transaction(async (tx) => {
    await tx.integration.update({
      where: { id: integration.id, organizationId: viewer.organizationId },
      data: { webhookSecretSealed: seal(secret, webhookSecretContext(integration.id)) },
    });
    await recordAuditEvent(
      {
        organizationId: viewer.organizationId,
        actorId: viewer.userId,
        action: "integration.webhook_secret_rotated",
        entityType: "Integration",
        entityId: integration.id,
        reason: integration.webhookSecretSealed
          ? `New webhook secret for ${integration.name}; the previous one no longer verifies deliveries`
          : `Webhook secret created for ${integration.name}`,
        before: { hadSecret: integration.webhookSecretSealed !== null },
        after: { hasSecret: true },
      },
      tx,
    );
  });
  return { url: webhookUrl(options.baseUrl ?? appBaseUrl(), integration.id), secret };
}
