import { connectorsRouter } from "./routers/connectors";
import { invitesRouter } from "./routers/invites";
import { meRouter } from "./routers/me";
import { membersRouter } from "./routers/members";
import { passwordResetRouter } from "./routers/password-reset";
import { tenantsRouter } from "./routers/tenants";
import { healthRouter } from "./routers/health";
import { webhooksRouter } from "./routers/webhooks";
import { router } from "./trpc";

export const appRouter = router({
  me: meRouter,
  tenants: tenantsRouter,
  connectors: connectorsRouter,
  invites: invitesRouter,
  members: membersRouter,
  passwordReset: passwordResetRouter,
  health: healthRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
