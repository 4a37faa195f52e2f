import { z } from "zod";
import { signUpInput } from "../../services/accounts/schemas";
import { getTenant, listTenants, signUp } from "../../services/accounts/tenants";
import { pageInput } from "../../services/accounts/schemas";
import { authedProcedure, router, tenantProcedure, throttledProcedure } from "../trpc";

export const tenantsRouter = router({
  signUp: throttledProcedure("auth").input(signUpInput).mutation(({ input }) => signUp(input)),
  list: authedProcedure.input(pageInput.optional()).query(({ ctx, input }) => listTenants(ctx.principal, pageInput.parse(input ?? {}))),
  current: tenantProcedure.query(({ ctx }) => getTenant(ctx.principal, ctx.tenantId)),
  byId: authedProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => getTenant(ctx.principal, input.id)),
});
