/** The guard every lifecycle route shares: a supported provider slug, then the action's role rule. */
import { authorize } from "../services/connectors/access";
import { providerFrom } from "../services/connectors/providers";
import type { RequestContext } from "./route";

type Action = Parameters<typeof authorize>[1];

export const integrationGuard = (action: Action | null) => (ctx: RequestContext) => {
  providerFrom(ctx.params.provider);
  if (action) authorize(ctx.principal!, action);
};
