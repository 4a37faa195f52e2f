/**
 * What a log line may not show. Two rules, so secrets go and counts and ids stay:
 *
 * 1. By field name: a field whose name says it holds a secret (`password`, `access_token`,
 *    `client_secret`, `code`, `state`, `authorization`…) loses its text or object value. Numbers and
 *    booleans stay — `{"refreshed": 3}` is a count, not a refresh token — except under the few
 *    names that are short numeric secrets themselves (`code`, `otp`, `pin`). A name that says it
 *    holds an id, a count, a version or a time (`credential_id`, `token_version`, `session_expires_at`)
 *    is not a secret name.
 * 2. By shape, under any name and inside longer text: JWTs, `Bearer …` credentials, PEM private keys,
 *    passwords in connection URLs, well-known provider token prefixes, and long random-looking words
 *    (32+ characters mixing upper case, lower case and digits — what base64url tokens look like; UUIDs
 *    and hex digests do not mix cases and stay).
 */
export const REDACTED = "[redacted]";

/** Words that make a field name secret wherever they appear in it (`admin_password`, `x-api-key`). */
const SECRET_PARTS = ["password", "passwd", "secret", "token", "apikey", "privatekey", "signingkey", "authorization", "cookie", "credential", "signature", "assertion", "verifier", "jwt"];
/** Names that are secret only on their own (`code`, not `error_code`; `key`, not `idempotency_key`). */
const SECRET_NAMES = new Set(["pass", "code", "state", "key", "access", "refresh", "session", "sessionid", "sig"]);
/** Words that make any name containing them secret (`oauth_nonce`, `wrapped_dek`). */
const SECRET_WORDS = new Set(["nonce", "otp", "pin", "dek", "kek"]);
/** Short numeric secrets: redacted even when they are numbers. */
const NUMERIC_SECRETS = new Set(["code", "otp", "pin"]);
/** A last word that says the field holds metadata about a secret, not the secret. */
const METADATA_WORDS = new Set(["id", "ids", "count", "version", "at", "expires", "length", "type", "kind", "status"]);

const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

const nameCache = new Map<string, boolean>();

/** True for a field or query-parameter name whose text value must never be written to a log. */
export function isSecretKey(name: string): boolean {
  const cached = nameCache.get(name);
  if (cached !== undefined) return cached;
  const parts = words(name);
  const joined = parts.join("");
  const secret =
    parts.length > 0 &&
    !METADATA_WORDS.has(parts[parts.length - 1]!) &&
    (SECRET_NAMES.has(joined) || SECRET_PARTS.some((p) => joined.includes(p)) || parts.some((w) => SECRET_WORDS.has(w)));
  if (nameCache.size < 10_000) nameCache.set(name, secret);
  return secret;
}

const isNumericSecretKey = (name: string) => NUMERIC_SECRETS.has(name.toLowerCase());

/** Secret-shaped text inside any string: replaced where it stands, the rest of the text kept. */
const SHAPES: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWT
  /\b(ya29\.|1\/\/0|EAA[A-Za-z0-9]{10}|AKIA[0-9A-Z]{12}|whsec_|sk_live_|xox[abp]-)[A-Za-z0-9._~+/=-]*/g,
];
/** user:password@ in a URL (a DATABASE_URL in an error message). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;
const LONG_WORD = /[A-Za-z0-9_\-+/=~.]{32,}/g;
const looksRandom = (word: string) => /[A-Z]/.test(word) && /[a-z]/.test(word) && /[0-9]/.test(word) && !/^[a-z]+:\/\//i.test(word) && !word.includes("/api/");

export function redactText(text: string): string {
  if (text.length < 8) return text;
  let out = text;
  for (const shape of SHAPES) out = out.replace(shape, REDACTED);
  out = out.replace(URL_PASSWORD, `$1${REDACTED}@`);
  if (out.length >= 32) out = out.replace(LONG_WORD, (word) => (looksRandom(word) ? REDACTED : word));
  return out;
}

/** Deep copy with secrets replaced; safe for any object a caller passes in. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined || (typeof v !== "string" && typeof v !== "object" && !isNumericSecretKey(k))) out[k] = v;
    else out[k] = isSecretKey(k) ? REDACTED : redact(v, depth + 1);
  }
  return out;
}
