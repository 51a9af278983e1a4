import { EmptyState, PageHeader } from "~/components/empty-state";

export const metadata = { title: "Tickets" };

export default function TicketsPage() {
  return (
    <>
      <PageHeader title="Tickets" description="Every ticket with its linked Jira issue and sync state." />
      <EmptyState title="No tickets yet" action={{ href: "/integrations", label: "Connect Jira first" }}>
        Tickets are created here and linked to an issue in one of your active integrations. Connect an
        integration to create your first one.
      </EmptyState>
    </>
  );
}
