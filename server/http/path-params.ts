/** Path parameter parsers for `operation({ params })`: each answers the spec's 404 for a value that names nothing. */
import { providerFrom, type ProviderDef } from "../services/connectors/providers";
import { notFound } from "../services/errors";
import { isUuid } from "../services/validation";
import type { PathParam } from "./operation";

/** A UUID path id (`/api/tenants/{tenant_id}/`); anything else is 404, like another tenant's id. */
export const uuidParam: PathParam<string> = (raw) => {
  if (!isUuid(raw)) throw notFound();
  return raw;
};

/** `{provider}` of the lifecycle routes: a supported slug (trimmed, any case), else 404 "Unsupported provider.". */
export const providerParam: PathParam<ProviderDef> = (raw) => providerFrom(raw);
