import "server-only";

import { integrationRouter } from "./routers/integration";
import { organizationRouter } from "./routers/organization";
import { ticketRouter } from "./routers/ticket";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  organization: organizationRouter,
  integration: integrationRouter,
  ticket: ticketRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
