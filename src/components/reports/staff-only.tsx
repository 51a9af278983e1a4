import { EmptyState } from "~/components/empty-state";

/** What customers see on the reports pages. */
export function StaffOnly({ organizationName }: { organizationName?: string }) {
  return (
    <EmptyState title="Agents and admins only">
      Weekly reports of {organizationName ?? "this organization"} are for its agents, admins and owners. Your
      own requests are under Support → My tickets.
    </EmptyState>
  );
}
