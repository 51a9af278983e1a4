import { MyTicketView } from "~/components/support/my-ticket";

export const metadata = { title: "My ticket" };

export default async function MyTicketPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <MyTicketView id={id} />;
}
