import { ADA } from "../../../../sandbox/test-helpers";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { createIntegration, testIntegration } from "~/server/services/integrations/integrations";
import { sandboxUrl } from "~/test/atlassian";
import { createMember, unique } from "~/test/db";

/** An organization with an owner, two customers and (optionally) a Jira integration for support. */
export async function supportDesk({ withJira }: { withJira: boolean }) {
  const owner = await createMember("OWNER");
  const organizationId = owner.organization!.id;
  const staff: Viewer = { userId: owner.user.id, organizationId, role: "OWNER" };
  const customer = async (): Promise<Viewer> => {
    const user = await db.user.create({
      data: { name: unique("Customer"), email: `${unique("c")}@example.test` },
    });
    await db.membership.create({ data: { organizationId, userId: user.id, role: "CUSTOMER" } });
    return { userId: user.id, organizationId, role: "CUSTOMER" };
  };
  if (withJira) {
    const integration = await createIntegration(staff, {
      provider: "jira",
      mode: "cloud_api_token",
      name: unique("Support Jira"),
      config: { baseUrl: `${sandboxUrl()}/site/acme-demo`, projectKey: "DEMO", defaultIssueType: "Task" },
      credentials: { email: ADA.email, apiToken: ADA.apiToken },
      settings: { supportDefault: true },
    });
    await testIntegration(staff, { id: integration.id });
  }
  return { staff, alice: await customer(), bob: await customer() };
}
