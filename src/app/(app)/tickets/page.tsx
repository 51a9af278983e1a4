import { Suspense } from "react";

import { PageHeader } from "~/components/empty-state";
import { LoadingBlock } from "~/components/integrations/query-problem";
import { TicketList } from "~/components/tickets/ticket-list";

export const metadata = { title: "Tickets" };

export default function TicketsPage() {
  return (
    <>
      <PageHeader title="Tickets" description="Every ticket with its linked external issue and sync state." />
      <Suspense fallback={<LoadingBlock label="Loading tickets…" />}>
        <TicketList />
      </Suspense>
    </>
  );
}
