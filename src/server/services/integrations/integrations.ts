import "server-only";

import type { z } from "zod";

import { env } from "~/env";
import type { Integration, Prisma } from "~/generated/prisma/client";
import { CHECK_TYPES, type CheckType, type TicketCategory } from "~/lib/domain";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError, parseInput } from "~/server/errors";
import { openJson, sealJson } from "~/server/integrations/crypto";
import { getConnectionMode, getProvider, listProviders } from "~/server/integrations/registry";
import {
  configurationJsonSchema,
  isSecret,
  publicCredentials,
  secretFieldNames,
} from "~/server/integrations/schema";
import {
  ProviderError,
  type CheckResult,
  type ConnectionMode,
  type ProviderContext,
  type TicketingProvider,
} from "~/server/integrations/types";
import { logger } from "~/server/logger";
import { recordAuditEvent } from "~/server/services/audit/audit";
import { atlassianTokenSource } from "~/server/services/accounts/atlassian-tokens";
import {
  deleteDynamicWebhooks,
  isOAuthJira,
  registerDynamicWebhooks,
} from "~/server/services/sync/dynamic-webhooks";

import { deriveHealth } from "./health";
import {
  createIntegrationInput,
  discoverIssueTypesInput,
  integrationDraftSchema,
  integrationSettingsSchema,
  listActiveIntegrationsInput,
  testIntegrationInput,
  updateIntegrationInput,
  type IntegrationSettings,
} from "./integrations.schema";
import { applyLifecycleEvent, resumeIfSuspensionOver } from "./lifecycle-store";

const credentialContext = (integrationId: string) => `integration:${integrationId}:credentials`;

type Credentials = Record<string, unknown>;

/* ───────────────────────────── providers, for the wizard ───────────────────────────── */

export function listProviderCatalog() {
  return listProviders().map((provider) => ({
    id: provider.id,
    name: provider.name,
    description: provider.description,
    available: provider.available,
    modes: provider.modes.map((mode) => ({
      id: mode.id,
      label: mode.label,
      description: mode.description,
      usesUserOAuthGrant: mode.usesUserOAuthGrant,
      schema: configurationJsonSchema(mode),
    })),
  }));
}

/* ─────────────────────────────── building a provider ──────────────────────────────── */

function resolveMode(providerId: string, modeId: string): ConnectionMode {
  try {
    const provider = getProvider(providerId);
    if (!provider.available)
      throw new AppError("BAD_REQUEST", `${provider.name} is coming soon; it cannot be connected yet.`);
    return getConnectionMode(providerId, modeId);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("BAD_REQUEST", (error as Error).message);
  }
}

function providerContext(
  mode: ConnectionMode,
  config: object,
  credentials: Credentials,
  grantOwnerId: string | null,
): ProviderContext {
  if (mode.usesUserOAuthGrant && !grantOwnerId) {
    throw new AppError(
      "BAD_REQUEST",
      "This connection acts through an Atlassian account, but none is linked to it.",
    );
  }
  return {
    mode: mode.id,
    config: config as Record<string, unknown>,
    credentials,
    tokens: mode.usesUserOAuthGrant && grantOwnerId ? atlassianTokenSource(grantOwnerId) : undefined,
    allowedHosts: env.OUTBOUND_ALLOWED_HOSTS,
    platform: { atlassianApiUrl: env.ATLASSIAN_API_URL },
    timeoutMs: 10_000,
  };
}

/** Secret fields left blank keep the stored value; everything else is taken as typed. */
function mergeCredentials(
  mode: ConnectionMode,
  stored: Credentials,
  typed: Credentials | undefined,
): Credentials {
  if (!typed) return stored;
  const merged: Credentials = { ...stored };
  for (const [name, value] of Object.entries(typed)) {
    const field = mode.credentialSchema.shape[name] as z.ZodType | undefined;
    const blank = value === undefined || value === null || value === "";
    if (field && isSecret(field) && blank) continue;
    merged[name] = value;
  }
  return merged;
}

/** A draft from the wizard, validated and ready to talk to the system (nothing is saved). */
async function providerForDraft(viewer: Viewer, input: z.input<typeof integrationDraftSchema>) {
  const draft = parseInput(integrationDraftSchema, input, "connection");
  const mode = resolveMode(draft.provider, draft.mode);
  let credentials = draft.credentials;
  let grantOwnerId: string | null = viewer.userId;
  if (draft.integrationId) {
    const stored = await findIntegration(viewer, draft.integrationId);
    credentials = mergeCredentials(
      mode,
      openJson<Credentials>(stored.credentialsSealed, credentialContext(stored.id)),
      draft.credentials,
    );
    grantOwnerId = stored.createdById;
  }
  const config = parseInput(mode.configSchema, draft.config, "settings");
  const validCredentials = parseInput(mode.credentialSchema, credentials, "credentials");
  const provider = getProvider(draft.provider);
  return {
    mode,
    config,
    credentials: validCredentials,
    provider: provider.create(providerContext(mode, config, validCredentials, grantOwnerId)),
  };
}

export function providerForIntegration(integration: Integration): TicketingProvider {
  const mode = getConnectionMode(integration.provider, integration.authMethod);
  const credentials = openJson<Credentials>(integration.credentialsSealed, credentialContext(integration.id));
  return getProvider(integration.provider).create(
    providerContext(mode, integration.config as object, credentials, integration.createdById),
  );
}

/* ───────────────────────────────────── checks ─────────────────────────────────────── */

const CHECKS: Record<CheckType, (provider: TicketingProvider) => Promise<CheckResult>> = {
  connection: (provider) => provider.testConnection(),
  authentication: (provider) => provider.testAuthentication(),
  project_access: (provider) => provider.testProjectAccess(),
  permissions: (provider) => provider.testPermissions(),
};

export type CheckRun = { checks: CheckResult[]; success: boolean; totalMs: number; cancelled: boolean };

/** Runs the chosen checks in order; once one fails, the later ones are reported as not run. */
async function runChecks(
  provider: TicketingProvider,
  types: readonly CheckType[],
  signal?: AbortSignal,
): Promise<CheckRun> {
  const started = performance.now();
  const ordered = CHECK_TYPES.filter((type) => types.includes(type));
  const checks: CheckResult[] = [];
  let failed: CheckResult | undefined;
  for (const type of ordered) {
    if (signal?.aborted) return { checks, success: false, totalMs: elapsed(started), cancelled: true };
    if (failed) {
      checks.push({
        type,
        passed: false,
        durationMs: 0,
        message: `Not run: the ${failed.type.replace("_", " ")} check failed first.`,
      });
      continue;
    }
    const result = await CHECKS[type](provider).catch((error: unknown) => checkFromError(type, error));
    checks.push(result);
    if (!result.passed) failed = result;
  }
  return { checks, success: !failed, totalMs: elapsed(started), cancelled: false };
}

const elapsed = (started: number) => Math.round(performance.now() - started);

function checkFromError(type: CheckType, error: unknown): CheckResult {
  if (error instanceof ProviderError)
    return { type, passed: false, message: error.message, durationMs: 0, errorCode: error.code };
  throw error;
}

export async function verifyIntegration(
  viewer: Viewer,
  input: z.input<typeof integrationDraftSchema>,
  signal?: AbortSignal,
) {
  const { provider } = await providerForDraft(viewer, input);
  return runChecks(provider, CHECK_TYPES, signal);
}

async function discover<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProviderError)
      throw new AppError("BAD_REQUEST", error.message, { providerError: error.code });
    throw error;
  }
}

export async function discoverProjects(viewer: Viewer, input: z.input<typeof integrationDraftSchema>) {
  const { provider } = await providerForDraft(viewer, withPlaceholderProject(input));
  return discover(() => provider.listProjects());
}

export async function discoverIssueTypes(viewer: Viewer, input: z.input<typeof discoverIssueTypesInput>) {
  const { projectKey, ...draft } = parseInput(discoverIssueTypesInput, input, "project");
  const { provider } = await providerForDraft(
    viewer,
    withPlaceholderProject({ ...draft, config: { ...draft.config, projectKey } }),
  );
  return discover(() => provider.listIssueTypes(projectKey));
}

/** Projects are listed before one is chosen: fill the project fields so the config validates. */
function withPlaceholderProject(input: z.input<typeof integrationDraftSchema>) {
  const config = input.config ?? {};
  return {
    ...input,
    config: {
      ...config,
      projectKey: config.projectKey || "TB",
      defaultIssueType: config.defaultIssueType || "Task",
    },
  };
}

/** The Atlassian sites the signed-in user's grant covers, for the OAuth connection mode. */
export async function listOAuthSites(viewer: Viewer) {
  const tokens = atlassianTokenSource(viewer.userId);
  const request = (token: string) =>
    fetch(`${env.ATLASSIAN_API_URL}/oauth/token/accessible-resources`, {
      headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
  return discover(async () => {
    let token = await tokens.getAccessToken();
    let response = await request(token);
    if (response.status === 401) {
      token = await tokens.refreshAfterRejection(token);
      response = await request(token);
    }
    if (!response.ok) {
      throw new AppError(
        "BAD_REQUEST",
        `Atlassian did not list your sites (HTTP ${response.status}). Sign in with Atlassian again.`,
      );
    }
    const sites = (await response.json()) as { id: string; name: string; url: string; scopes?: string[] }[];
    return sites.map((site) => ({
      cloudId: site.id,
      name: site.name,
      url: site.url,
      scopes: site.scopes ?? [],
    }));
  });
}

/* ───────────────────────────────── reading integrations ───────────────────────────── */

async function findIntegration(viewer: Viewer, id: string): Promise<Integration> {
  const integration = await db.integration.findFirst({
    where: { id, organizationId: viewer.organizationId, deletedAt: null },
  });
  if (!integration) throw new AppError("NOT_FOUND", "This integration does not exist or was deleted.");
  return resumeIfSuspensionOver(integration);
}

export function settingsOf(integration: Pick<Integration, "settings">): IntegrationSettings {
  return integrationSettingsSchema.parse(integration.settings ?? {});
}

type WithLastTest = Integration & {
  testRuns?: { createdAt: Date; success: boolean; responseTimeMs: number }[];
};

/** What leaves the server: never a secret, only the public part of the credentials. */
function toView(integration: WithLastTest) {
  const provider = getProvider(integration.provider);
  const mode = getConnectionMode(integration.provider, integration.authMethod);
  const credentials = openJson<Credentials>(integration.credentialsSealed, credentialContext(integration.id));
  const settings = settingsOf(integration);
  const health = deriveHealth({ ...integration, failureThreshold: settings.failureThreshold });
  const lastTest = integration.testRuns?.[0];
  return {
    id: integration.id,
    provider: integration.provider,
    providerName: provider.name,
    mode: integration.authMethod,
    modeLabel: mode.label,
    name: integration.name,
    description: integration.description,
    baseUrl: integration.baseUrl,
    deployment: integration.deployment,
    config: integration.config as Record<string, unknown>,
    credentials: publicCredentials(mode, credentials),
    /** Which secret fields hold a value (shown as "stored"; the value itself never leaves). */
    storedSecrets: secretFieldNames(mode.credentialSchema).filter((name) => Boolean(credentials[name])),
    settings,
    status: integration.status,
    statusReason: integration.statusReason,
    statusChangedAt: integration.statusChangedAt,
    activatedAt: integration.activatedAt,
    activationMethod: integration.activationMethod,
    suspendedUntil: integration.suspendedUntil,
    health,
    successCount: integration.successCount,
    failureCount: integration.failureCount,
    consecutiveFailures: integration.consecutiveFailures,
    lastSuccessfulCreationAt: integration.lastSuccessfulCreationAt,
    lastTestedAt: integration.lastTestedAt,
    lastTest: lastTest
      ? { at: lastTest.createdAt, success: lastTest.success, responseTimeMs: lastTest.responseTimeMs }
      : null,
    createdAt: integration.createdAt,
  };
}
export type IntegrationView = ReturnType<typeof toView>;

const LAST_TEST = {
  testRuns: { orderBy: { createdAt: "desc" }, take: 1 },
} satisfies Prisma.IntegrationInclude;

export async function listIntegrations(viewer: Viewer) {
  const rows = await db.integration.findMany({
    where: { organizationId: viewer.organizationId, deletedAt: null },
    orderBy: { createdAt: "asc" },
    include: LAST_TEST,
  });
  const current = await Promise.all(
    rows.map(async (row) => ({ ...(await resumeIfSuspensionOver(row)), testRuns: row.testRuns })),
  );
  return current.map(toView);
}

export async function getIntegration(viewer: Viewer, id: string) {
  const integration = await findIntegration(viewer, id);
  const [testRuns, history] = await Promise.all([
    db.integrationTestRun.findMany({
      where: { integrationId: id },
      orderBy: { createdAt: "desc" },
      take: 20,
    }),
    db.auditEvent.findMany({
      where: { organizationId: viewer.organizationId, entityType: "Integration", entityId: id },
      orderBy: { createdAt: "desc" },
      take: 50,
      select: {
        id: true,
        action: true,
        reason: true,
        before: true,
        after: true,
        createdAt: true,
        actor: { select: { name: true, email: true } },
      },
    }),
  ]);
  return { ...toView({ ...integration, testRuns }), testRuns, history };
}

/** Active integrations an agent may route a ticket to, with their health. */
export async function listActiveIntegrations(
  viewer: Viewer,
  input: z.input<typeof listActiveIntegrationsInput>,
) {
  const filters = parseInput(listActiveIntegrationsInput, input, "filters");
  const all = await listIntegrations(viewer);
  return all
    .filter((integration) => integration.status === "ACTIVE")
    .filter((integration) => !filters.provider || integration.provider === filters.provider)
    .filter(
      (integration) =>
        !filters.category ||
        integration.settings.supportedCategories.includes(filters.category as TicketCategory),
    )
    .map((integration) => ({
      id: integration.id,
      name: integration.name,
      type: integration.provider,
      providerName: integration.providerName,
      status: integration.status,
      description: integration.description,
      supportedCategories: integration.settings.supportedCategories,
      supportedPriorities: integration.settings.supportedPriorities,
      health: integration.health.level,
      successRate: integration.health.successRate,
      lastSuccessfulCreationAt: integration.lastSuccessfulCreationAt,
    }));
}

/* ───────────────────────────────── changing integrations ──────────────────────────── */

function publicSnapshot(integration: Integration) {
  return {
    name: integration.name,
    description: integration.description,
    baseUrl: integration.baseUrl,
    config: integration.config,
    settings: integration.settings,
    status: integration.status,
  };
}

export async function createIntegration(viewer: Viewer, input: z.input<typeof createIntegrationInput>) {
  const data = parseInput(createIntegrationInput, input, "integration");
  const mode = resolveMode(data.provider, data.mode);
  const config = parseInput(mode.configSchema, data.config, "settings") as Record<string, unknown>;
  const credentials = parseInput(mode.credentialSchema, data.credentials, "credentials") as Credentials;
  const target = getProvider(data.provider).describeTarget(mode.id, config, {
    atlassianApiUrl: env.ATLASSIAN_API_URL,
  });
  if (mode.usesUserOAuthGrant)
    await atlassianTokenSource(viewer.userId)
      .getAccessToken()
      .catch(() => {
        throw new AppError(
          "BAD_REQUEST",
          "Connect your Atlassian account first: sign out and sign in with Atlassian again.",
        );
      });

  const integration = await db.$transaction(async (tx) => {
    const created = await tx.integration.create({
      data: {
        organizationId: viewer.organizationId,
        provider: data.provider,
        authMethod: mode.id,
        name: data.name,
        description: data.description ?? null,
        baseUrl: target.baseUrl,
        deployment: target.deployment,
        config: config as Prisma.InputJsonValue,
        credentialsSealed: "pending",
        settings: integrationSettingsSchema.parse(data.settings ?? {}) as Prisma.InputJsonValue,
        createdById: viewer.userId,
      },
    });
    // The id is part of the sealing context, so the credentials are sealed once the row exists.
    const sealed = await tx.integration.update({
      where: { id: created.id },
      data: { credentialsSealed: sealJson(credentials, credentialContext(created.id)) },
    });
    await recordAuditEvent(
      {
        organizationId: viewer.organizationId,
        actorId: viewer.userId,
        action: "integration.created",
        entityType: "Integration",
        entityId: created.id,
        reason: `Connected ${mode.label}`,
        after: publicSnapshot(sealed) as Prisma.InputJsonValue,
      },
      tx,
    );
    return sealed;
  });
  return toView(integration);
}

export async function updateIntegration(viewer: Viewer, input: z.input<typeof updateIntegrationInput>) {
  const data = parseInput(updateIntegrationInput, input, "integration");
  const existing = await findIntegration(viewer, data.id);
  const mode = getConnectionMode(existing.provider, existing.authMethod);
  const config = data.config
    ? (parseInput(
        mode.configSchema,
        { ...(existing.config as object), ...data.config },
        "settings",
      ) as Record<string, unknown>)
    : (existing.config as Record<string, unknown>);
  const storedCredentials = openJson<Credentials>(existing.credentialsSealed, credentialContext(existing.id));
  const credentials = parseInput(
    mode.credentialSchema,
    mergeCredentials(mode, storedCredentials, data.credentials),
    "credentials",
  );
  const settings = integrationSettingsSchema.parse({ ...settingsOf(existing), ...(data.settings ?? {}) });
  const target = getProvider(existing.provider).describeTarget(mode.id, config, {
    atlassianApiUrl: env.ATLASSIAN_API_URL,
  });

  const updated = await db.$transaction(async (tx) => {
    const row = await tx.integration.update({
      where: { id: existing.id },
      data: {
        name: data.name ?? existing.name,
        description: data.description === undefined ? existing.description : data.description,
        config: config as Prisma.InputJsonValue,
        baseUrl: target.baseUrl,
        deployment: target.deployment,
        credentialsSealed: sealJson(credentials, credentialContext(existing.id)),
        settings: settings as Prisma.InputJsonValue,
      },
    });
    const changedSecrets = secretFieldNames(mode.credentialSchema).filter(
      (name) => credentials[name] !== storedCredentials[name],
    );
    await recordAuditEvent(
      {
        organizationId: viewer.organizationId,
        actorId: viewer.userId,
        action: "integration.updated",
        entityType: "Integration",
        entityId: existing.id,
        reason: changedSecrets.length
          ? `Settings updated; new ${changedSecrets.join(", ")}`
          : "Settings updated",
        before: publicSnapshot(existing) as Prisma.InputJsonValue,
        after: publicSnapshot(row) as Prisma.InputJsonValue,
      },
      tx,
    );
    if (settings.supportDefault && !settingsOf(existing).supportDefault) {
      // One default for support requests: the others give it up.
      await tx.$executeRaw`
        UPDATE "Integration" SET settings = jsonb_set(settings, '{supportDefault}', 'false'), "updatedAt" = now()
        WHERE "organizationId" = ${viewer.organizationId} AND id <> ${existing.id}
          AND settings->>'supportDefault' = 'true'`;
    }
    return row;
  });
  return toView(updated);
}

export async function deleteIntegration(viewer: Viewer, id: string) {
  const existing = await findIntegration(viewer, id);
  await db.$transaction(async (tx) => {
    // Soft delete: issues already linked through it stay readable.
    await tx.integration.update({ where: { id }, data: { deletedAt: new Date() } });
    await recordAuditEvent(
      {
        organizationId: viewer.organizationId,
        actorId: viewer.userId,
        action: "integration.deleted",
        entityType: "Integration",
        entityId: id,
        before: publicSnapshot(existing) as Prisma.InputJsonValue,
      },
      tx,
    );
  });
  await deleteDynamicWebhooks(existing);
  return { id, deleted: true };
}

/** Runs the checks and records them; the lifecycle decides what the outcome means for the status. */
async function testAndRecord(
  viewer: Viewer,
  integration: Integration,
  testTypes: readonly CheckType[],
  eventFor: (run: CheckRun) => Parameters<typeof applyLifecycleEvent>[1],
  signal?: AbortSignal,
) {
  const run = await runChecks(providerForIntegration(integration), testTypes, signal);
  const failure = run.checks.find((check) => !check.passed && check.errorCode);
  const { before, after } = await applyLifecycleEvent(
    integration.id,
    eventFor(run),
    viewer.userId,
    async (tx, previous, next) => {
      await tx.integrationTestRun.create({
        data: {
          integrationId: integration.id,
          organizationId: viewer.organizationId,
          testTypes: [...testTypes],
          results: run.checks as unknown as Prisma.InputJsonValue,
          success: run.success,
          responseTimeMs: run.totalMs,
          previousStatus: previous.status,
          newStatus: next.status,
          triggeredById: viewer.userId,
        },
      });
      await tx.integration.update({ where: { id: integration.id }, data: { lastTestedAt: new Date() } });
    },
  );
  if (after.status === "ACTIVE" && before.status !== "ACTIVE" && isOAuthJira(integration)) {
    // Jira then sends changes by itself; a failure is recorded there and polling covers for it.
    const fresh = await db.integration.findUniqueOrThrow({ where: { id: integration.id } });
    await registerDynamicWebhooks(fresh, { actorId: viewer.userId }).catch((error: unknown) =>
      logger.error({ err: error, integrationId: integration.id }, "registering Jira webhooks failed"),
    );
  }
  return {
    ...run,
    failedCheck: failure?.type ?? null,
    previousStatus: before.status,
    newStatus: after.status,
  };
}

export async function testIntegration(
  viewer: Viewer,
  input: z.input<typeof testIntegrationInput>,
  signal?: AbortSignal,
) {
  const { id, testTypes, autoActivateOnSuccess } = parseInput(testIntegrationInput, input, "test");
  const integration = await findIntegration(viewer, id);
  return testAndRecord(
    viewer,
    integration,
    testTypes,
    (run) => {
      if (run.cancelled) return { type: "TESTS_CANCELLED" };
      if (run.success) return { type: "TESTS_PASSED", autoActivate: autoActivateOnSuccess };
      const failed = run.checks.find((check) => !check.passed)!;
      return {
        type: "TESTS_FAILED",
        errorCode: failed.errorCode,
        reason: `${failed.type} check failed: ${failed.message}`,
      };
    },
    signal,
  );
}

/** Re-enabling a disabled integration runs every check; it becomes ACTIVE only if they pass. */
export async function enableIntegration(viewer: Viewer, id: string) {
  const integration = await findIntegration(viewer, id);
  if (integration.status !== "INACTIVE") {
    throw new AppError(
      "CONFLICT",
      `Only a disabled integration can be enabled; this one is ${integration.status}. Use Test instead.`,
    );
  }
  return testAndRecord(viewer, integration, CHECK_TYPES, (run) => ({
    type: "ENABLE",
    testsPassed: run.success,
    reason: run.success ? undefined : "Tests failed; it stays disabled",
  }));
}

export async function disableIntegration(viewer: Viewer, id: string) {
  const existing = await findIntegration(viewer, id);
  await applyLifecycleEvent(id, { type: "DISABLE" }, viewer.userId);
  // Re-enabling registers them again.
  await deleteDynamicWebhooks(existing);
  return getIntegration(viewer, id);
}
