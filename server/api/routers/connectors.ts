/** The Data Sources page's connector operations; the same services as /api/integrations/{provider}/…. */
import { z } from "zod";
import { disconnect } from "../../services/connectors/disconnect";
import { listJobs } from "../../services/connectors/jobs";
import { completeOAuth, selectAccount } from "../../services/connectors/oauth-callback";
import { startOAuth } from "../../services/connectors/oauth-start";
import { PROVIDER_SLUGS, providerFrom } from "../../services/connectors/providers";
import { provision } from "../../services/connectors/provision";
import { callbackInput, disconnectInput, provisionInput, selectInput, startInput } from "../../services/connectors/schemas";
import { allProvidersStatus, providerStatus } from "../../services/connectors/status";
import { requestSync } from "../../services/connectors/sync";
import { roleProcedure, router, tenantProcedure, userThrottle } from "../trpc";

const provider = z.object({ provider: z.enum(PROVIDER_SLUGS) });
const admin = roleProcedure("ADMIN");

export const connectorsRouter = router({
  /** Every provider's status in one call (three SQL statements). */
  statuses: tenantProcedure.query(({ ctx }) => allProvidersStatus(ctx.principal)),
  status: tenantProcedure.input(provider).query(({ ctx, input }) => providerStatus(ctx.principal, providerFrom(input.provider))),
  jobs: tenantProcedure
    .input(provider.extend({ limit: z.number().int().optional() }))
    .query(({ ctx, input }) => listJobs(ctx.principal, providerFrom(input.provider), input.limit === undefined ? undefined : String(input.limit))),
  // Per-user buckets shared with the REST routes of the same actions (start and reconnect are one flow).
  start: admin.use(userThrottle("connect")).input(startInput.extend(provider.shape)).mutation(({ ctx, input }) => startOAuth(ctx.principal, providerFrom(input.provider), input)),
  completeCallback: admin
    .input(callbackInput.extend(provider.shape))
    .mutation(({ ctx, input }) => completeOAuth(ctx.principal, providerFrom(input.provider), input)),
  selectAccount: admin.input(selectInput.extend(provider.shape)).mutation(({ ctx, input }) => selectAccount(ctx.principal, providerFrom(input.provider), input)),
  provision: admin
    .use(userThrottle("provision"))
    .input(provisionInput.and(provider))
    .mutation(async ({ ctx, input }) => (await provision(ctx.principal, providerFrom(input.provider), input)).body),
  sync: roleProcedure("ANALYST").use(userThrottle("sync")).input(provider).mutation(({ ctx, input }) => requestSync(ctx.principal, providerFrom(input.provider))),
  disconnect: admin.input(disconnectInput.extend(provider.shape)).mutation(({ ctx, input }) => disconnect(ctx.principal, providerFrom(input.provider), input)),
});
