import { Suspense } from "react";

import { AuditEventList } from "~/components/audit/audit-event-list";
import { EmptyState, PageHeader } from "~/components/empty-state";
import { LoadingBlock } from "~/components/integrations/query-problem";
import { SupportOverview } from "~/components/tickets/support-overview";
import { TicketList } from "~/components/tickets/ticket-list";
import { ButtonLink } from "~/components/ui/button";
import { ROLE_LABELS } from "~/lib/domain";
import { auth } from "~/server/auth";
import { trpc, getQueryClient } from "~/trpc/server";

export const metadata = { title: "Admin" };

const STAFF_ROLES = new Set(["OWNER", "ADMIN", "AGENT"]);
const ADMIN_ROLES = new Set(["OWNER", "ADMIN"]);

/** The support dashboard for agents and admins; members and the audit log for owners and admins. */
export default async function AdminPage() {
  const session = await auth();
  if (!session?.role || !STAFF_ROLES.has(session.role)) {
    return (
      <>
        <PageHeader title="Admin" description="The support dashboard, members and audit log." />
        <EmptyState title="Agents and admins only">
          Only agents, admins and owners of {session?.organization?.name ?? "this organization"} can open the
          admin dashboard. Your own requests are under Support.
        </EmptyState>
      </>
    );
  }
  const dashboard = (
    <>
      <SupportOverview />
      <Suspense fallback={<LoadingBlock label="Loading tickets…" />}>
        <TicketList />
      </Suspense>
    </>
  );
  if (!ADMIN_ROLES.has(session.role)) {
    return (
      <>
        <PageHeader title="Admin" description="How support is doing, and every ticket." />
        {dashboard}
      </>
    );
  }

  const queryClient = getQueryClient();
  const [organization, audit] = await Promise.all([
    queryClient.fetchQuery(trpc.organization.current.queryOptions()),
    queryClient.fetchQuery(trpc.organization.auditLog.queryOptions({ limit: 10 })),
  ]);

  return (
    <>
      <PageHeader
        title="Admin"
        description={`How support is doing at ${organization.name}, every ticket, members and the audit log.`}
      />
      {dashboard}
      <section aria-labelledby="members" className="mt-6 rounded-2xl border border-slate-200 bg-white p-5">
        <h2 id="members" className="font-semibold">
          Members
        </h2>
        <table className="mt-3 w-full text-left text-sm">
          <thead className="text-slate-600">
            <tr>
              <th scope="col" className="py-2 font-medium">
                Name
              </th>
              <th scope="col" className="py-2 font-medium">
                Email
              </th>
              <th scope="col" className="py-2 font-medium">
                Role
              </th>
            </tr>
          </thead>
          <tbody>
            {organization.memberships.map((membership) => (
              <tr key={membership.user.id} className="border-t border-slate-100">
                <td className="py-2">{membership.user.name}</td>
                <td className="py-2">{membership.user.email}</td>
                <td className="py-2">{ROLE_LABELS[membership.role]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="audit" className="mt-6 rounded-2xl border border-slate-200 bg-white p-5">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="audit" className="font-semibold">
            Audit log
          </h2>
          <ButtonLink href="/admin/audit" variant="secondary">
            Open the audit log
          </ButtonLink>
        </div>
        <p className="mt-1 text-sm text-slate-600">
          The latest events. The audit log filters by action, entity type and entity, and loads older events.
        </p>
        {audit.items.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600">Nothing has happened yet.</p>
        ) : (
          <div className="mt-2">
            <AuditEventList events={audit.items} filterLinks={false} />
          </div>
        )}
      </section>
    </>
  );
}
