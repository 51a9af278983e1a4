import {
  createIntegrationInput,
  discoverIssueTypesInput,
  integrationDraftSchema,
  integrationIdInput,
  listActiveIntegrationsInput,
  testIntegrationInput,
  updateIntegrationInput,
} from "~/server/services/integrations/integrations.schema";
import {
  createIntegration,
  deleteIntegration,
  disableIntegration,
  discoverIssueTypes,
  discoverProjects,
  enableIntegration,
  getIntegration,
  listActiveIntegrations,
  listIntegrations,
  listOAuthSites,
  listProviderCatalog,
  testIntegration,
  updateIntegration,
  verifyIntegration,
} from "~/server/services/integrations/integrations";
import { registerWebhooksForViewer } from "~/server/services/sync/dynamic-webhooks";
import { appBaseUrl, rotateWebhookSecret, webhookSetup } from "~/server/services/webhooks/webhook-setup";

import { adminProcedure, agentProcedure, createTRPCRouter } from "../trpc";

/** Only admins of the organization change integrations; agents may list the active ones. */
export const integrationRouter = createTRPCRouter({
  providers: adminProcedure.query(() => listProviderCatalog()),
  oauthSites: adminProcedure.query(({ ctx }) => listOAuthSites(ctx.viewer)),
  discoverProjects: adminProcedure
    .input(integrationDraftSchema)
    .mutation(({ ctx, input }) => discoverProjects(ctx.viewer, input)),
  discoverIssueTypes: adminProcedure
    .input(discoverIssueTypesInput)
    .mutation(({ ctx, input }) => discoverIssueTypes(ctx.viewer, input)),
  verify: adminProcedure
    .input(integrationDraftSchema)
    .mutation(({ ctx, input, signal }) => verifyIntegration(ctx.viewer, input, signal)),
  create: adminProcedure
    .input(createIntegrationInput)
    .mutation(({ ctx, input }) => createIntegration(ctx.viewer, input)),
  list: adminProcedure.query(({ ctx }) => listIntegrations(ctx.viewer)),
  get: adminProcedure
    .input(integrationIdInput)
    .query(({ ctx, input }) => getIntegration(ctx.viewer, input.id)),
  update: adminProcedure
    .input(updateIntegrationInput)
    .mutation(({ ctx, input }) => updateIntegration(ctx.viewer, input)),
  delete: adminProcedure
    .input(integrationIdInput)
    .mutation(({ ctx, input }) => deleteIntegration(ctx.viewer, input.id)),
  test: adminProcedure
    .input(testIntegrationInput)
    .mutation(({ ctx, input, signal }) => testIntegration(ctx.viewer, input, signal)),
  enable: adminProcedure
    .input(integrationIdInput)
    .mutation(({ ctx, input }) => enableIntegration(ctx.viewer, input.id)),
  disable: adminProcedure
    .input(integrationIdInput)
    .mutation(({ ctx, input }) => disableIntegration(ctx.viewer, input.id)),
  /** Where Jira sends webhooks for this integration, and whether a secret is set; never the secret. */
  webhookSetup: adminProcedure
    .input(integrationIdInput)
    .query(({ ctx, input }) => webhookSetup(ctx.viewer, input.id, { baseUrl: appBaseUrl(ctx.headers) })),
  /** A new webhook secret, returned this once. */
  rotateWebhookSecret: adminProcedure
    .input(integrationIdInput)
    .mutation(({ ctx, input }) =>
      rotateWebhookSecret(ctx.viewer, input.id, { baseUrl: appBaseUrl(ctx.headers) }),
    ),
  /** OAuth integrations: registers the Jira webhook again (replacing the old one). */
  registerWebhooks: adminProcedure
    .input(integrationIdInput)
    .mutation(({ ctx, input }) =>
      registerWebhooksForViewer(ctx.viewer, input.id, { baseUrl: appBaseUrl(ctx.headers) }),
    ),
  listActive: agentProcedure
    .input(listActiveIntegrationsInput)
    .query(({ ctx, input }) => listActiveIntegrations(ctx.viewer, input)),
});
