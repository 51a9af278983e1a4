import { EmptyState, PageHeader } from "~/components/empty-state";

export const metadata = { title: "Integrations" };

export default function IntegrationsPage() {
  return (
    <>
      <PageHeader
        title="Integrations"
        description="The ticketing systems your organization creates and syncs tickets with."
      />
      <EmptyState title="No integrations yet">
        Connect Jira Cloud with an API token or your Atlassian account, or Jira Server / Data Center with a
        personal access token. Once it passes its connection tests it becomes active and can receive tickets.
      </EmptyState>
    </>
  );
}
