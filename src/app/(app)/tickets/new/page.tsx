import Link from "next/link";

import { PageHeader } from "~/components/empty-state";
import { NewTicket } from "~/components/tickets/ticket-form";

export const metadata = { title: "New ticket" };

export default function NewTicketPage() {
  return (
    <>
      <Link href="/tickets" className="text-sm font-medium text-brand-700 hover:underline">
        <span aria-hidden="true">←</span> Tickets
      </Link>
      <div className="mt-2">
        <PageHeader
          title="New ticket"
          description="The ticket is saved here first; with an integration picked, it is also created and linked there."
        />
      </div>
      <NewTicket />
    </>
  );
}
