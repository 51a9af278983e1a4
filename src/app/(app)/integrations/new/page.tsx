import { PageHeader } from "~/components/empty-state";
import { ConnectWizard } from "~/components/integrations/connect-wizard";

export const metadata = { title: "Connect a ticketing system" };

export default function ConnectIntegrationPage() {
  return (
    <>
      <PageHeader
        title="Connect a ticketing system"
        description="Choose the system and how to connect, verify the connection, save it, then test it to activate it."
      />
      <ConnectWizard />
    </>
  );
}
