import "server-only";

import { integrationRouter } from "./routers/integration";
import { organizationRouter } from "./routers/organization";
import { reportRouter } from "./routers/report";
import { supportRouter } from "./routers/support";
import { ticketRouter } from "./routers/ticket";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  organization: organizationRouter,
  integration: integrationRouter,
  ticket: ticketRouter,
  support: supportRouter,
  report: reportRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
