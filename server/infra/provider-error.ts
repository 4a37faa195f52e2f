/**
 * A failed call to an OAuth provider, classified for the services: `invalid_grant` (Google) and
 * `auth` (Graph 190, 401/403) mean the user must reconnect; `timeout` and `upstream` are
 * transient. The message names the operation only — never provider text or a token.
 */
export type ProviderErrorKind = "invalid_grant" | "auth" | "timeout" | "upstream";

export class ProviderError extends Error {
  constructor(
    readonly family: "google" | "meta",
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
