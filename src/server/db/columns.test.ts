import { describe, expect, it } from "vitest";

import { Prisma } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { createMember, setupTestDatabase } from "~/test/db";

import { prefixedColumnsOf, splitPrefixed } from "./columns";

setupTestDatabase();

describe("a second model's row in one result", () => {
  it("comes back as Prisma's own read gives it: dates, JSON, arrays and nulls alike", async () => {
    const { organization } = await createMember("OWNER");
    const { id } = await db.integration.create({
      data: {
        organizationId: organization!.id,
        provider: "jira",
        authMethod: "cloud_api_token",
        name: "Jira",
        baseUrl: "https://acme.atlassian.net",
        deployment: "CLOUD",
        config: { projectKey: "DEMO", nested: { list: [1, "two"] } },
        credentialsSealed: "sealed",
        settings: {},
        status: "ACTIVE",
        suspendedUntil: new Date("2026-11-22T10:00:00.123Z"),
        dynamicWebhookIds: [7, 8],
      },
    });
    const [row] = await db.$queryRaw<Record<string, unknown>[]>`
      SELECT 1::int AS one, ${prefixedColumnsOf(Prisma.IntegrationScalarFieldEnum, "integration")}
      FROM "Integration" WHERE id = ${id}`;
    const { rest, prefixed } = splitPrefixed(row!, "integration");
    expect(rest).toEqual({ one: 1 });
    expect(prefixed).toEqual(await db.integration.findUniqueOrThrow({ where: { id } }));
    expect(prefixed.suspendedUntil).toBeInstanceOf(Date);
  });
});
