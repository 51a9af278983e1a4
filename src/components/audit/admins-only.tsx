import { EmptyState } from "~/components/empty-state";

/** What non-admins see on admin pages. */
export function AdminsOnly({ organizationName }: { organizationName?: string }) {
  return (
    <EmptyState title="Admins only">
      Only owners and admins of {organizationName ?? "this organization"} can open the admin dashboard. Ask an
      owner to change your role.
    </EmptyState>
  );
}
