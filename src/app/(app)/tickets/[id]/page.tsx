import { TicketDetail } from "~/components/tickets/ticket-detail";
import { TicketHistory } from "~/components/tickets/ticket-history";

export const metadata = { title: "Ticket" };

export default async function TicketPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <TicketDetail id={id} />
      <TicketHistory ticketId={id} />
    </>
  );
}
