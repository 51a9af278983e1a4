import { PageHeader } from "~/components/empty-state";
import { ReportList } from "~/components/reports/report-list";
import { StaffOnly } from "~/components/reports/staff-only";
import { auth } from "~/server/auth";

export const metadata = { title: "Reports" };

const STAFF_ROLES = new Set(["OWNER", "ADMIN", "AGENT"]);

export default async function ReportsPage() {
  const session = await auth();
  const header = (
    <PageHeader
      title="Reports"
      description="Weekly support reports: tickets opened and resolved, what is still open, response and resolution times against their targets, and stale tickets."
    />
  );
  if (!session?.role || !STAFF_ROLES.has(session.role)) {
    return (
      <>
        {header}
        <StaffOnly organizationName={session?.organization?.name} />
      </>
    );
  }
  return (
    <>
      {header}
      <ReportList />
    </>
  );
}
