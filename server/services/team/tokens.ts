/**
 * Invite and reset tokens: 32 random bytes (base64url) for the caller, sha256 for the database.
 * A fast hash is enough here: the token has 256 bits of entropy, so it cannot be guessed from
 * its hash, and the lookup must be an exact index match.
 */
import { createHash, randomBytes } from "node:crypto";

export const newToken = () => randomBytes(32).toString("base64url");
export const hashToken = (token: string) => createHash("sha256").update(token, "utf8").digest("hex");
