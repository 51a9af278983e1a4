import { Suspense } from "react";

import { PageHeader } from "~/components/empty-state";
import { LoadingBlock } from "~/components/integrations/query-problem";
import { SupportOverview } from "~/components/tickets/support-overview";
import { TicketList } from "~/components/tickets/ticket-list";

export const metadata = { title: "Tickets" };

export default function TicketsPage() {
  return (
    <>
      <PageHeader
        title="Tickets"
        description="How support is doing, and every ticket with its linked external issue and sync state."
      />
      <SupportOverview />
      <Suspense fallback={<LoadingBlock label="Loading tickets…" />}>
        <TicketList />
      </Suspense>
    </>
  );
}
