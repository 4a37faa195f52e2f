import { connectorsRouter } from "./routers/connectors";
import { meRouter } from "./routers/me";
import { tenantsRouter } from "./routers/tenants";
import { router } from "./trpc";

export const appRouter = router({
  me: meRouter,
  tenants: tenantsRouter,
  connectors: connectorsRouter,
});

export type AppRouter = typeof appRouter;
