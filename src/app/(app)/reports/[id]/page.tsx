import { PageHeader } from "~/components/empty-state";
import { ReportView } from "~/components/reports/report-view";
import { StaffOnly } from "~/components/reports/staff-only";
import { auth } from "~/server/auth";

export const metadata = { title: "Report" };

const STAFF_ROLES = new Set(["OWNER", "ADMIN", "AGENT"]);

export default async function ReportPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, session] = await Promise.all([params, auth()]);
  return (
    <>
      <PageHeader title="Reports" description="One week of support, as stored." />
      {session?.role && STAFF_ROLES.has(session.role) ? (
        <ReportView id={id} />
      ) : (
        <StaffOnly organizationName={session?.organization?.name} />
      )}
    </>
  );
}
