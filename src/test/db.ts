import { randomUUID } from "node:crypto";

import type { Session } from "next-auth";
import { afterAll, beforeAll } from "vitest";

import type { Role } from "~/generated/prisma/client";
import { database, db } from "~/server/db";
import { jobQueue, stopJobQueue } from "~/server/jobs/boss";

/**
 * Integration tests run on the app's own data layer: a migrated database of the test file's own,
 * PGlite in memory by default, on DATABASE_URL's PostgreSQL server when it is set (see
 * test-databases.ts), with the job queue ready to take jobs (tests that need workers start them).
 * Data is made unique per test, never cleaned up by truncation, so a file's tests can share it.
 */
export function setupTestDatabase() {
  beforeAll(async () => {
    await database.migrate();
    // Creating a ticket queues a job in its transaction; the queue's tables must exist first.
    await jobQueue();
  }, 120_000);
  afterAll(async () => {
    await stopJobQueue({ graceMs: 1_000 });
  });
}

export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** A user who is a member of a fresh organization with the given role, and their session. */
export async function createMember(role: Role): Promise<Session> {
  const name = unique("member");
  const user = await db.user.create({ data: { name, email: `${name}@example.test` } });
  const organization = await db.organization.create({
    data: { name: `${name} org`, slug: unique("org"), memberships: { create: { userId: user.id, role } } },
  });
  return {
    user: { id: user.id, name: user.name, email: user.email },
    organization: { id: organization.id, name: organization.name, slug: organization.slug },
    role,
    expires: new Date(Date.now() + 3_600_000).toISOString(),
  };
}
