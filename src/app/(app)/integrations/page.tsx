import { PageHeader } from "~/components/empty-state";
import { IntegrationList } from "~/components/integrations/integration-list";

export const metadata = { title: "Integrations" };

export default function IntegrationsPage() {
  return (
    <>
      <PageHeader
        title="Integrations"
        description="The ticketing systems your organization creates and syncs tickets with."
      />
      <IntegrationList />
    </>
  );
}
