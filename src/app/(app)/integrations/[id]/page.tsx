import { IntegrationDetail } from "~/components/integrations/integration-detail";

export const metadata = { title: "Integration" };

export default async function IntegrationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <IntegrationDetail id={id} />;
}
