/** Connection health for the Data Sources cards, and the event list (same services as GET /api/events/). */
import { z } from "zod";
import { EVENT_TYPES } from "../../db/schema";
import { connectionHealth } from "../../services/health/connection-health";
import { listEvents } from "../../services/health/events";
import { roleProcedure, router, tenantProcedure } from "../trpc";

export const healthRouter = router({
  connections: tenantProcedure.query(({ ctx }) => connectionHealth(ctx.principal)),
  events: roleProcedure("ANALYST")
    .input(z.object({ type: z.enum(EVENT_TYPES).optional(), provider: z.string().max(32).optional(), page: z.number().int().min(1).default(1) }))
    .query(({ ctx, input }) => listEvents(ctx.principal, input, { page: input.page, pageSize: 50 })),
});
