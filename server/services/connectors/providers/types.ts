/**
 * What a provider is to the rest of the product. A family (one OAuth app: Google, Meta) knows how
 * to authorize, exchange, refresh, revoke and classify its errors; a provider (one slug) knows
 * its scopes, account ids, discovery and Airbyte source configuration. Services only call these
 * methods, so a new provider is a folder that implements them (plus its fake in e2e/fakes).
 */
import type { Env } from "../../../env";
import type { DiscoveredAccount } from "../../../infra/google/client";
import { ProviderError } from "../../../infra/provider-error";

/** Secrets of one account as they are persisted (and pushed to Airbyte). */
export interface AccountSecret {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms, or null when the token does not expire. */
  expiresAt: number | null;
}

/** An account the grant can reach, with the secret that would be persisted if it is chosen. */
export interface Selectable extends DiscoveredAccount {
  secret: AccountSecret;
}

export interface SourceConfigInput {
  accountId: string;
  secret: AccountSecret;
  startDate: string;
  env: Env;
}

/** What a code exchange yields. */
export interface Grant {
  secret: AccountSecret;
  scopes: string[];
  refreshTokenReceived: boolean;
}

/**
 * How a failed provider call affects the credential: `needs_reauth` (the grant is dead — Google
 * `invalid_grant`, Graph 190), `transient` (retry later), `other` (a bug or an unknown answer).
 */
export type ErrorClass = "needs_reauth" | "transient" | "other";

export interface ProviderFamily {
  id: string;
  /** "Google", "Meta": used in user-facing messages. */
  name: string;
  /** Both halves of the family's OAuth app are set (placeholders read as unset). */
  oauthConfigured(e: Env): boolean;
  redirectUri(e: Env): string;
  /** The consent URL; `codeVerifier` (PKCE) is stored with the state row when the family uses one. */
  authorize(input: { scopes: string[]; state: string; redirectUri: string; env: Env }): { url: string; codeVerifier: string | null };
  exchange(code: string, state: { codeVerifier: string | null; redirectUri: string }): Promise<Grant>;
  /**
   * True when one grant reaches every account of the user (Google): a named account can be
   * connected without discovery. False when each account has its own token (Meta pages).
   */
  grantCoversNamedAccount: boolean;
  /** The callback answer reports whether a refresh token came back (Google's offline access). */
  reportsRefreshToken: boolean;
  /** Renewing a stored secret before it expires; null when tokens are never renewed. */
  renewal: {
    /** Renew when the token expires within this many ms. */
    aheadMs: number;
    /** Only credentials holding a refresh token can be renewed. */
    needsRefreshToken: boolean;
    renew(secret: AccountSecret): Promise<AccountSecret>;
    /** The credential's state while a renewal keeps failing transiently. */
    whileFailing: "valid" | "expiring";
  };
  /** Revokes the grant at the provider (disconnect). */
  revoke(secret: AccountSecret): Promise<void>;
  classify(error: unknown): ErrorClass;
}

export interface ProviderDef<S extends string = string> {
  slug: S;
  family: ProviderFamily;
  label: string;
  scopes(e: Env): string[];
  /** Airbyte source definition id from env (undefined = must be sent with the request). */
  sourceDefinitionId(e: Env): string | undefined;
  /** Normalises a caller-supplied account id; null when it is not valid for this provider. */
  accountId(raw: string): string | null;
  /** The field error for an account id `accountId` refused. */
  accountIdHint: string;
  /** The accounts the user's grant (`secret`) can reach. */
  discover(secret: AccountSecret): Promise<Selectable[]>;
  /** Airbyte `connectionConfiguration`, built at the moment of the call and never stored. */
  sourceConfig(input: SourceConfigInput): Record<string, unknown>;
}

export const splitScopes = (value: string, separator: RegExp) => [
  ...new Set(
    value
      .split(separator)
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];

export const defineProvider = <const S extends string>(def: ProviderDef<S>): ProviderDef<S> => def;

/** Both families' clients raise ProviderError with a kind; anything else is not the provider's doing. */
export function classifyProviderError(error: unknown): ErrorClass {
  if (!(error instanceof ProviderError)) return "other";
  return error.needsReauth ? "needs_reauth" : "transient";
}
