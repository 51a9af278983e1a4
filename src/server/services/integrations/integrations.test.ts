import { describe, expect, it } from "vitest";

import { ADA, GRACE, LINUS } from "../../../../sandbox/test-helpers";

import { db } from "~/server/db";
import { atlassianTokenSource } from "~/server/services/accounts/atlassian-tokens";
import { linkAtlassianGrant, sandboxAdmin, sandboxUrl } from "~/test/atlassian";
import { createMember, setupTestDatabase, unique } from "~/test/db";

import {
  createIntegration,
  disableIntegration,
  enableIntegration,
  getIntegration,
  listActiveIntegrations,
  listIntegrations,
  testIntegration,
  updateIntegration,
  verifyIntegration,
} from "./integrations";
import { recordIntegrationUse } from "./lifecycle-store";
import { rejection } from "~/test/rejections";

setupTestDatabase();

type Viewer = { userId: string; organizationId: string; role: "OWNER" };

async function admin(): Promise<Viewer> {
  const session = await createMember("OWNER");
  return { userId: session.user.id, organizationId: session.organization!.id, role: "OWNER" };
}

const apiTokenDraft = (overrides: { projectKey?: string; apiToken?: string; baseUrl?: string } = {}) => ({
  provider: "jira",
  mode: "cloud_api_token",
  config: {
    baseUrl: overrides.baseUrl ?? `${sandboxUrl()}/site/acme-demo`,
    projectKey: overrides.projectKey ?? "DEMO",
    defaultIssueType: "Task",
  },
  credentials: { email: ADA.email, apiToken: overrides.apiToken ?? ADA.apiToken },
});

async function connect(viewer: Viewer, overrides: Parameters<typeof apiTokenDraft>[0] = {}) {
  return createIntegration(viewer, { ...apiTokenDraft(overrides), name: unique("Jira") });
}

describe("connecting Jira with an API token", () => {
  it("verifies without saving anything", async () => {
    const viewer = await admin();
    const run = await verifyIntegration(viewer, apiTokenDraft());
    expect(run.success).toBe(true);
    expect(run.checks.map((check) => [check.type, check.passed])).toEqual([
      ["connection", true],
      ["authentication", true],
      ["project_access", true],
      ["permissions", true],
    ]);
    expect(await db.integration.count({ where: { organizationId: viewer.organizationId } })).toBe(0);
  });

  it("saves as PENDING, then a passing test activates it automatically and records the run", async () => {
    const viewer = await admin();
    const created = await connect(viewer);
    expect(created.status).toBe("PENDING");
    expect(JSON.stringify(created)).not.toContain(ADA.apiToken);
    expect(created.credentials).toEqual({ email: ADA.email });
    expect(created.storedSecrets).toEqual(["apiToken"]);

    const result = await testIntegration(viewer, { id: created.id });
    expect(result).toMatchObject({ success: true, previousStatus: "PENDING", newStatus: "ACTIVE" });
    expect(result.totalMs).toBeGreaterThanOrEqual(0);

    const detail = await getIntegration(viewer, created.id);
    expect(detail).toMatchObject({ status: "ACTIVE", activationMethod: "AUTOMATIC" });
    expect(detail.activatedAt).toBeInstanceOf(Date);
    expect(detail.testRuns[0]).toMatchObject({
      success: true,
      previousStatus: "PENDING",
      newStatus: "ACTIVE",
    });
    expect(detail.history.map((event) => event.action)).toEqual([
      "integration.status_changed",
      "integration.created",
    ]);
  });

  it("stays PENDING when 'activate on success' is off", async () => {
    const viewer = await admin();
    const created = await connect(viewer);
    const result = await testIntegration(viewer, { id: created.id, autoActivateOnSuccess: false });
    expect(result).toMatchObject({ success: true, newStatus: "PENDING" });
  });

  it("a rejected token fails authentication and marks it EXPIRED", async () => {
    const viewer = await admin();
    const created = await connect(viewer, { apiToken: "wrong-token" });
    const result = await testIntegration(viewer, { id: created.id });
    expect(result.success).toBe(false);
    expect(result.failedCheck).toBe("authentication");
    expect(result.checks.find((check) => check.type === "authentication")?.message).toMatch(/token/i);
    expect(result.checks.find((check) => check.type === "permissions")?.message).toMatch(/Not run/);
    expect(result.newStatus).toBe("EXPIRED");
  });

  it("a project without create permission fails the permissions check and marks it ERROR", async () => {
    const viewer = await admin();
    const created = await connect(viewer, { projectKey: "READ" });
    const result = await testIntegration(viewer, { id: created.id });
    expect(result.failedCheck).toBe("permissions");
    expect(result.checks.find((check) => check.type === "permissions")?.message).toMatch(/create issues/i);
    expect(result.newStatus).toBe("ERROR");
  });

  it("a cancelled test changes nothing", async () => {
    const viewer = await admin();
    const created = await connect(viewer);
    const result = await testIntegration(viewer, { id: created.id }, AbortSignal.abort());
    expect(result).toMatchObject({ cancelled: true, newStatus: "PENDING" });
  });

  it("refuses private and link-local base URLs before sending anything", async () => {
    const viewer = await admin();
    for (const baseUrl of ["http://169.254.169.254", "https://10.0.0.5", "https://[::1]:8443"]) {
      const run = await verifyIntegration(viewer, apiTokenDraft({ baseUrl }));
      expect(run.checks[0]).toMatchObject({ type: "connection", passed: false });
      expect(run.checks[0]?.message).toMatch(/https|private|loopback|link-local/i);
    }
  });

  it("keeps a stored secret when the update leaves it blank, and replaces it when typed", async () => {
    const viewer = await admin();
    const created = await connect(viewer);
    await updateIntegration(viewer, {
      id: created.id,
      name: "Renamed",
      credentials: { email: ADA.email, apiToken: "" },
    });
    expect((await testIntegration(viewer, { id: created.id })).success).toBe(true);
    await updateIntegration(viewer, { id: created.id, credentials: { apiToken: "another-wrong-token" } });
    expect((await testIntegration(viewer, { id: created.id })).failedCheck).toBe("authentication");
  });

  it("disables, and re-enables only through passing tests", async () => {
    const viewer = await admin();
    const created = await connect(viewer);
    await testIntegration(viewer, { id: created.id });
    expect((await disableIntegration(viewer, created.id)).status).toBe("INACTIVE");
    expect(await listActiveIntegrations(viewer, {})).toEqual([]);
    const enabled = await enableIntegration(viewer, created.id);
    expect(enabled).toMatchObject({ success: true, previousStatus: "INACTIVE", newStatus: "ACTIVE" });
    const [active] = await listActiveIntegrations(viewer, { category: "bug" });
    expect(active).toMatchObject({ id: created.id, status: "ACTIVE", health: "healthy", type: "jira" });
    expect((await rejection(enableIntegration(viewer, created.id))).code).toBe("CONFLICT");
  });

  it("marks an integration in use ERROR after N consecutive failures", async () => {
    const viewer = await admin();
    const created = await connect(viewer);
    await testIntegration(viewer, { id: created.id });
    await updateIntegration(viewer, { id: created.id, settings: { failureThreshold: 2 } });
    await recordIntegrationUse(created.id, { ok: false, errorCode: "UNAVAILABLE", reason: "503 from Jira" });
    let [view] = await listIntegrations(viewer);
    expect(view).toMatchObject({ status: "ACTIVE", consecutiveFailures: 1 });
    expect(view?.health.level).toBe("warning");
    await recordIntegrationUse(created.id, { ok: false, errorCode: "UNAVAILABLE", reason: "503 from Jira" });
    [view] = await listIntegrations(viewer);
    expect(view).toMatchObject({ status: "ERROR" });
    expect(view?.health.level).toBe("error");
  });
});

describe("connecting Jira through the user's Atlassian account", () => {
  it("activates with the OAuth grant and never exposes a token", async () => {
    const viewer = await admin();
    await linkAtlassianGrant(viewer.userId, GRACE);
    const created = await createIntegration(viewer, {
      provider: "jira",
      mode: "cloud_oauth",
      name: unique("Jira OAuth"),
      config: {
        cloudId: "3f6a8b2c-1d4e-4f5a-9b6c-7d8e9f0a1b2c",
        siteUrl: `${sandboxUrl()}/site/acme-demo`,
        siteName: "acme-demo",
        projectKey: "DEMO",
        defaultIssueType: "Task",
      },
      credentials: {},
    });
    const result = await testIntegration(viewer, { id: created.id });
    expect(result).toMatchObject({ success: true, newStatus: "ACTIVE" });
    expect(JSON.stringify(await getIntegration(viewer, created.id))).not.toMatch(/sbx_(at|rt)_/);
  });

  it("refreshes an expired token once for 20 concurrent callers, without burning the grant", async () => {
    const viewer = await admin();
    await linkAtlassianGrant(viewer.userId, GRACE);
    await db.account.updateMany({ where: { userId: viewer.userId }, data: { expires_at: 1 } });
    const source = atlassianTokenSource(viewer.userId);
    const tokens = await Promise.all(Array.from({ length: 20 }, () => source.getAccessToken()));
    expect(new Set(tokens).size).toBe(1);
    // The grant still works: the token answers, and a later refresh still succeeds.
    const me = await fetch(`${sandboxUrl()}/me`, { headers: { authorization: `Bearer ${tokens[0]}` } });
    expect(me.status).toBe(200);
    const again = await source.refreshAfterRejection(tokens[0]!);
    expect(again).not.toBe(tokens[0]);
  });

  it("a revoked grant marks the integration EXPIRED", async () => {
    const viewer = await admin();
    await linkAtlassianGrant(viewer.userId, LINUS, ["globex-demo"]);
    const created = await createIntegration(viewer, {
      provider: "jira",
      mode: "cloud_oauth",
      name: unique("Jira OAuth"),
      config: {
        cloudId: "8c7b6a5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d",
        siteUrl: `${sandboxUrl()}/site/globex-demo`,
        siteName: "globex-demo",
        projectKey: "DEMO",
        defaultIssueType: "Task",
      },
      credentials: {},
    });
    expect((await testIntegration(viewer, { id: created.id })).newStatus).toBe("ACTIVE");
    await sandboxAdmin("/grants/revoke", { accountId: LINUS.accountId });
    await db.account.updateMany({ where: { userId: viewer.userId }, data: { expires_at: 1 } });
    const result = await testIntegration(viewer, { id: created.id });
    expect(result.success).toBe(false);
    expect(result.newStatus).toBe("EXPIRED");
    expect(result.checks.find((check) => !check.passed && check.errorCode)?.message).toMatch(/Atlassian/);
  });
});
