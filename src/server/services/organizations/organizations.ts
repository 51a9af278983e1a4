import "server-only";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";

/** The viewer's organization with its members, as the shell and the admin pages show it. */
export async function getCurrentOrganization(viewer: Viewer) {
  const organization = await db.organization.findUnique({
    where: { id: viewer.organizationId },
    select: {
      id: true,
      name: true,
      slug: true,
      personal: true,
      createdAt: true,
      memberships: {
        orderBy: { createdAt: "asc" },
        select: { role: true, user: { select: { id: true, name: true, email: true, image: true } } },
      },
    },
  });
  if (!organization) throw new AppError("NOT_FOUND", "Your organization no longer exists.");
  return { ...organization, viewerRole: viewer.role };
}
