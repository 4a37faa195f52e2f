/** The guard every lifecycle route shares: the action's role rule (the provider slug is a path parameter, path-params.ts). */
import { authorize } from "../services/connectors/access";
import type { RequestContext } from "./route";

type Action = Parameters<typeof authorize>[1];

export const integrationGuard = (action: Action) => (ctx: RequestContext) => authorize(ctx.principal!, action);
