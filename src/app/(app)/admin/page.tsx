import { EmptyState, PageHeader } from "~/components/empty-state";
import { auth } from "~/server/auth";
import { trpc, getQueryClient } from "~/trpc/server";

export const metadata = { title: "Admin" };

const ADMIN_ROLES = new Set(["OWNER", "ADMIN"]);

export default async function AdminPage() {
  const session = await auth();
  if (!session?.role || !ADMIN_ROLES.has(session.role)) {
    return (
      <>
        <PageHeader title="Admin" description="Organization settings and audit log." />
        <EmptyState title="Admins only">
          Only owners and admins of {session?.organization?.name ?? "this organization"} can open the admin
          dashboard. Ask an owner to change your role.
        </EmptyState>
      </>
    );
  }

  const queryClient = getQueryClient();
  const [organization, audit] = await Promise.all([
    queryClient.fetchQuery(trpc.organization.current.queryOptions()),
    queryClient.fetchQuery(trpc.organization.auditLog.queryOptions({ limit: 20 })),
  ]);

  return (
    <>
      <PageHeader title="Admin" description={`Members and audit log of ${organization.name}.`} />
      <section aria-labelledby="members" className="rounded-2xl border border-slate-200 bg-white p-5">
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
                <td className="py-2">{membership.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="audit" className="mt-6 rounded-2xl border border-slate-200 bg-white p-5">
        <h2 id="audit" className="font-semibold">
          Audit log
        </h2>
        <ul className="mt-3 divide-y divide-slate-100 text-sm">
          {audit.items.map((event) => (
            <li key={event.id} className="flex flex-wrap gap-x-3 py-2">
              <time dateTime={event.createdAt.toISOString()} className="text-slate-600">
                {event.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC
              </time>
              <span className="font-medium">{event.action}</span>
              <span className="text-slate-600">
                {event.entityType} · {event.actor?.name ?? "system"}
                {event.reason ? ` · ${event.reason}` : ""}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
