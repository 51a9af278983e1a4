import { EmptyState, PageHeader } from "~/components/empty-state";

export const metadata = { title: "Support" };

export default function SupportPage() {
  return (
    <>
      <PageHeader
        title="Support"
        description="Report a bug, request a feature or ask for help, and follow your tickets."
      />
      <EmptyState title="You have no support tickets">
        When you report a bug, request a feature or open a support ticket, it appears here with its status and
        the team&apos;s public replies.
      </EmptyState>
    </>
  );
}
