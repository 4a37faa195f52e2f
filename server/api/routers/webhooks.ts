/** Settings → Webhooks (ADMIN): the same services as /api/webhooks/…. */
import { z } from "zod";
import { listDeliveries, redeliver } from "../../services/health/webhooks/deliveries";
import { createEndpoint, deleteEndpoint, listEndpoints, rotateSecret, updateEndpoint } from "../../services/health/webhooks/endpoints";
import { createEndpointInput, updateEndpointInput } from "../../services/health/webhooks/schemas";
import { roleProcedure, router } from "../trpc";

const admin = roleProcedure("ADMIN");
const endpoint = z.object({ id: z.uuid() });

export const webhooksRouter = router({
  list: admin.query(({ ctx }) => listEndpoints(ctx.principal)),
  create: admin.input(createEndpointInput).mutation(({ ctx, input }) => createEndpoint(ctx.principal, input)),
  update: admin.input(updateEndpointInput.extend(endpoint.shape)).mutation(({ ctx, input: { id, ...changes } }) => updateEndpoint(ctx.principal, id, changes)),
  delete: admin.input(endpoint).mutation(({ ctx, input }) => deleteEndpoint(ctx.principal, input.id)),
  rotateSecret: admin.input(endpoint).mutation(({ ctx, input }) => rotateSecret(ctx.principal, input.id)),
  deliveries: admin.input(endpoint).query(({ ctx, input }) => listDeliveries(ctx.principal, input.id)),
  redeliver: admin.input(endpoint.extend({ deliveryId: z.uuid() })).mutation(({ ctx, input }) => redeliver(ctx.principal, input.id, input.deliveryId)),
});
