/**
 * The account-selection step between callback and choice: the selectable tokens, encrypted by the
 * vault under a pseudo location, in Redis for 600 s. `take` deletes the entry whatever happens
 * next, so a selection is usable once.
 */
import { randomUUID } from "node:crypto";
import { withTenant } from "../../db/tenant";
import { env } from "../../env";
import { redisReady } from "../../infra/redis";
import { decryptSecret, encryptSecret, VaultError } from "../vault";
import type { AccountSecret, ProviderSlug, Selectable } from "./providers";

export const SELECTION_TTL_SECONDS = 600;

interface Owner {
  tenantId: string;
  userId: string;
  provider: ProviderSlug;
}

/**
 * Under REDIS_KEY_PREFIX like every other key of ours, so deployments sharing a Redis stay apart.
 * The key names its owner: a caller can only ever read (and so delete) an entry it started, so
 * someone else holding the selection id cannot destroy it.
 */
const key = (owner: Owner, id: string) => `${env().REDIS_KEY_PREFIX}:oauth_selection:${owner.tenantId}:${owner.userId}:${owner.provider}:${id}`;
const location = (tenantId: string, selectionId: string) => ({ tenantId, table: "redis:oauth_selection", column: "tokens", rowId: selectionId });

export interface SelectionOption {
  id: string;
  name: string;
  category?: string;
}

interface Entry {
  tenantId: string;
  userId: string;
  provider: ProviderSlug;
  scopes: string[];
  refreshTokenReceived: boolean;
  options: SelectionOption[];
  ciphertext: string;
}

export interface Selection extends Omit<Entry, "ciphertext"> {
  secrets: Record<string, AccountSecret>;
}

export async function storeSelection(
  owner: Owner & { scopes: string[]; refreshTokenReceived: boolean },
  accounts: Selectable[],
): Promise<{ selectionId: string; expiresAt: string; options: SelectionOption[] }> {
  const selectionId = randomUUID();
  const secrets = Object.fromEntries(accounts.map((a) => [a.id, a.secret]));
  const ciphertext = await withTenant(owner.tenantId, (tx) => encryptSecret(tx, location(owner.tenantId, selectionId), JSON.stringify(secrets)));
  const options = accounts.map((a) => ({ id: a.id, name: a.name, ...(a.category ? { category: a.category } : {}) }));
  const entry: Entry = { ...owner, options, ciphertext };
  const redis = await redisReady(2_000);
  await redis.set(key(owner, selectionId), JSON.stringify(entry), "EX", SELECTION_TTL_SECONDS);
  return { selectionId, expiresAt: new Date(Date.now() + SELECTION_TTL_SECONDS * 1000).toISOString(), options };
}

/**
 * Reads and deletes the caller's entry in one step; null when unknown, expired, or started by
 * someone else (another user, tenant or provider addresses another key: they get nothing, nothing
 * is decrypted for them, and the owner's entry stays).
 */
export async function takeSelection(selectionId: string, caller: Owner): Promise<Selection | null> {
  if (!/^[0-9a-f-]{36}$/i.test(selectionId)) return null;
  const redis = await redisReady(2_000);
  const raw = await redis.getdel(key(caller, selectionId));
  if (!raw) return null;
  const { ciphertext, ...entry } = JSON.parse(raw) as Entry;
  let plaintext: string;
  try {
    plaintext = await withTenant(entry.tenantId, (tx) =>
      decryptSecret(tx, location(entry.tenantId, selectionId), ciphertext, { actorUserId: caller.userId, purpose: "oauth_account_selection" }),
    );
  } catch (error) {
    // e.g. its data key was retired by a rotation during the 10 minutes: the user starts again.
    if (error instanceof VaultError) return null;
    throw error;
  }
  return { ...entry, secrets: JSON.parse(plaintext) as Record<string, AccountSecret> };
}
