import Link from "next/link";
import { Suspense } from "react";

import { AdminsOnly } from "~/components/audit/admins-only";
import { AuditLog } from "~/components/audit/audit-log";
import { PageHeader } from "~/components/empty-state";
import { LoadingBlock } from "~/components/integrations/query-problem";
import { auth } from "~/server/auth";

export const metadata = { title: "Audit log" };

const ADMIN_ROLES = new Set(["OWNER", "ADMIN"]);

export default async function AuditPage() {
  const session = await auth();
  const header = (
    <>
      <Link href="/admin" className="text-sm font-medium text-brand-700 hover:underline">
        <span aria-hidden="true">←</span> Admin
      </Link>
      <div className="mt-2">
        <PageHeader
          title="Audit log"
          description="Every change in the organization, newest first: who did what to which item, why, and what it looked like before and after."
        />
      </div>
    </>
  );
  if (!session?.role || !ADMIN_ROLES.has(session.role)) {
    return (
      <>
        {header}
        <AdminsOnly organizationName={session?.organization?.name} />
      </>
    );
  }
  return (
    <>
      {header}
      <Suspense fallback={<LoadingBlock label="Loading audit events…" />}>
        <AuditLog />
      </Suspense>
    </>
  );
}
