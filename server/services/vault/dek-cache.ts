/**
 * Unwrapped data keys, kept in memory briefly so a burst of decrypts costs one KMS call.
 *
 * An entry remembers the wrapped key it came from: a version created by a transaction that
 * later rolled back may be re-created with another key, so a lookup that knows the stored
 * wrapped key only matches an entry made from the same bytes. The decrypt fast path (no query)
 * may still hold a stale entry; AES-GCM then fails authentication and the caller re-reads the
 * ring. Expiry limits how long key material sits in memory. Concurrent misses share one unwrap.
 */
const TTL_MS = 5 * 60_000;
const MAX_ENTRIES = 10_000;

export interface CachedKey {
  key: Promise<Buffer>;
  wrapped: string;
  expiresAt: number;
}

const entries = new Map<string, CachedKey>();

const cacheKey = (tenantId: string, version: number) => `${tenantId}:${version}`;

function put(tenantId: string, version: number, wrapped: string, key: Promise<Buffer>): void {
  const k = cacheKey(tenantId, version);
  entries.delete(k);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(k, { key, wrapped, expiresAt: Date.now() + TTL_MS });
  // A failed unwrap must not be remembered.
  key.catch(() => {
    if (entries.get(k)?.key === key) entries.delete(k);
  });
}

/** The key for exactly this stored wrapped key: from the cache, else `unwrap()` (then cached). */
export function cachedDataKey(tenantId: string, version: number, wrapped: string, unwrap: () => Promise<Buffer>): Promise<Buffer> {
  const hit = entries.get(cacheKey(tenantId, version));
  if (hit && hit.wrapped === wrapped && hit.expiresAt > Date.now()) return hit.key;
  const key = unwrap();
  put(tenantId, version, wrapped, key);
  return key;
}

/** Whatever is cached for the version, unverified (the decrypt fast path; see above). */
export function peekDataKey(tenantId: string, version: number): CachedKey | undefined {
  const hit = entries.get(cacheKey(tenantId, version));
  return hit && hit.expiresAt > Date.now() ? hit : undefined;
}

/** Puts a key we just generated, so the first encrypt does not unwrap what it already holds. */
export function rememberDataKey(tenantId: string, version: number, wrapped: string, key: Buffer): void {
  put(tenantId, version, wrapped, Promise.resolve(key));
}

export function clearDataKeyCache(): void {
  entries.clear();
}
