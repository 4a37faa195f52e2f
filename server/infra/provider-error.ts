/**
 * A failed call to an OAuth provider, classified for the services: `invalid_grant` (Google) and
 * `auth` (Graph 190, 401/403) mean the user must reconnect; `timeout` and `upstream` are
 * transient. The message names the operation only — never provider text or a token.
 */
import type { z } from "zod";
import { describeAnswer, OutboundFailure, type OutboundResponse } from "./http/outbound";
import { log } from "./log";

export type ProviderErrorKind = "invalid_grant" | "auth" | "timeout" | "upstream";
type Family = "google" | "meta";

export class ProviderError extends Error {
  constructor(
    readonly family: Family,
    readonly kind: ProviderErrorKind,
    readonly operation: string,
  ) {
    super(`${family} ${operation} failed: ${kind}`);
    this.name = "ProviderError";
  }

  get needsReauth(): boolean {
    return this.kind === "invalid_grant" || this.kind === "auth";
  }
}

export interface ProviderCall<S extends z.ZodType, T> {
  family: Family;
  operation: string;
  run: () => Promise<OutboundResponse>;
  /** The kind of an error answer, or null when the answer is a success. */
  classify: (res: OutboundResponse) => ProviderErrorKind | null;
  shape: S;
  read: (body: z.output<S>) => T;
}

/** Runs one provider call: failures become ProviderErrors (the provider's text goes to the log only). */
export async function providerCall<S extends z.ZodType, T>(call: ProviderCall<S, T>): Promise<T> {
  const { family, operation } = call;
  let res: OutboundResponse;
  try {
    res = await call.run();
  } catch (error) {
    if (error instanceof OutboundFailure) throw new ProviderError(family, error.reason === "timeout" ? "timeout" : "upstream", operation);
    throw error;
  }
  const kind = call.classify(res);
  if (kind) {
    log.warn(`${family} call failed`, { operation, ...describeAnswer(res) });
    throw new ProviderError(family, kind, operation);
  }
  const parsed = call.shape.safeParse(res.body);
  if (!parsed.success) {
    log.warn(`${family} answer not understood`, { operation, status: res.status });
    throw new ProviderError(family, "upstream", operation);
  }
  return call.read(parsed.data);
}
