import { PageHeader } from "~/components/empty-state";
import { MyTickets } from "~/components/support/my-tickets";
import { SupportRequestForm } from "~/components/support/support-request-form";

export const metadata = { title: "Support" };

export default function SupportPage() {
  return (
    <>
      <PageHeader
        title="Support"
        description="Report a bug, request a feature or ask for help, and follow your tickets."
      />
      <div className="grid gap-6 xl:grid-cols-2">
        <SupportRequestForm />
        <MyTickets />
      </div>
    </>
  );
}
