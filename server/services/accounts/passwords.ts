/**
 * Password hashing and rules.
 *
 * New hashes are scrypt (memory-hard, 32 MiB per hash) computed on libuv's thread pool, so the
 * event loop stays free. Django `pbkdf2_sha256$…` hashes from the old backend still verify and
 * are flagged for re-hashing on the next successful login.
 */
import { pbkdf2, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;
const SCRYPT_MAXMEM = 128 * SCRYPT.N * SCRYPT.r * 2;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function pbkdf2Async(password: string, salt: string, iterations: number, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    pbkdf2(password, salt, iterations, keyLength, "sha256", (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, {
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    maxmem: SCRYPT_MAXMEM,
  });
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64"), key.toString("base64")].join("$");
}

export interface VerifyResult {
  ok: boolean;
  /** The stored hash uses an older scheme or weaker parameters: store a fresh one. */
  needsRehash: boolean;
}

export async function verifyPassword(password: string, stored: string): Promise<VerifyResult> {
  const parts = stored.split("$");
  if (parts[0] === "scrypt" && parts.length === 6) {
    const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
    const expected = Buffer.from(hash, "base64");
    const N = Number(n);
    const R = Number(r);
    const P = Number(p);
    const key = await scryptAsync(password, Buffer.from(salt, "base64"), expected.length, {
      N,
      r: R,
      p: P,
      maxmem: Math.max(SCRYPT_MAXMEM, 128 * N * R * 2),
    });
    const ok = key.length === expected.length && timingSafeEqual(key, expected);
    return { ok, needsRehash: ok && (N < SCRYPT.N || R !== SCRYPT.r || P !== SCRYPT.p) };
  }
  if (parts[0] === "pbkdf2_sha256" && parts.length === 4) {
    // Django: pbkdf2_sha256$<iterations>$<salt>$<base64 sha256 derived key>
    const [, iterations, salt, hash] = parts as [string, string, string, string];
    const expected = Buffer.from(hash, "base64");
    const key = await pbkdf2Async(password, salt, Number(iterations), expected.length || 32);
    const ok = key.length === expected.length && timingSafeEqual(key, expected);
    return { ok, needsRehash: ok };
  }
  return { ok: false, needsRehash: false };
}

let dummyHash: Promise<string> | undefined;

/**
 * Burns the same time as a real verification, for unknown e-mails, so a wrong password and an
 * unknown account cannot be told apart by timing.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  await verifyPassword(password, await dummyHash);
}

/** Django's validators as the spec lists them; returns messages (empty when the password is fine). */
export function passwordProblems(password: string, email?: string): string[] {
  const problems: string[] = [];
  if (password.length < 8) problems.push("This password is too short. It must contain at least 8 characters.");
  if (password.length > 128) problems.push("Ensure this field has no more than 128 characters.");
  if (/^\d+$/.test(password)) problems.push("This password is entirely numeric.");
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase())
    problems.push("The password is too similar to the email.");
  return problems;
}
