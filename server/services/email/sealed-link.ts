/**
 * The outbox keeps the link (which carries a raw invite or reset token) only sealed: AES-256-GCM
 * with a key derived from the signing key and the row id as associated data, so a database dump
 * or a row copied elsewhere reveals nothing. The row drops it once the mail is out.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../../env";

const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", env().signingKey, "adinsights-email-outbox", "sealed-link", 32));
}

export function sealLink(link: string, rowId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(rowId));
  const body = Buffer.concat([cipher.update(link, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

/** The link, or null when it cannot be opened (other key, other row, tampered). */
export function unsealLink(sealed: string, rowId: string): string | null {
  const [version, payload] = sealed.split(".");
  if (version !== VERSION || !payload) return null;
  try {
    const raw = Buffer.from(payload, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", key(), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(rowId));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
