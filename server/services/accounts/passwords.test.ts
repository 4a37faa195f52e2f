import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblems, verifyPassword } from "./passwords";

// Made with Python's hashlib, the way Django's PBKDF2PasswordHasher stores it.
const DJANGO_HASH = "pbkdf2_sha256$600000$Zq9x1yGmTn$XCsMdQL5GrIz1Yq3J17NWLPtXHEKajuP972w3lE5hck=";

describe("password hashing", () => {
  it("round-trips scrypt hashes and rejects a wrong password", async () => {
    const hash = await hashPassword("s3cret-password");
    expect(hash.startsWith("scrypt$32768$8$1$")).toBe(true);
    expect(await verifyPassword("s3cret-password", hash)).toEqual({ ok: true, needsRehash: false });
    expect((await verifyPassword("s3cret-passworD", hash)).ok).toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same")).not.toEqual(await hashPassword("same"));
  });

  it("verifies Django pbkdf2_sha256 hashes and asks for a re-hash", async () => {
    expect(await verifyPassword("legacy-password-1", DJANGO_HASH)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("legacy-password-2", DJANGO_HASH)).toEqual({ ok: false, needsRehash: false });
  });

  it("flags weaker scrypt parameters for a re-hash", async () => {
    const weak = "scrypt$1024$8$1$" + Buffer.from("salt").toString("base64") + "$";
    const { scryptSync } = await import("node:crypto");
    const key = scryptSync("pw-123456", Buffer.from("salt"), 32, { N: 1024, r: 8, p: 1 }).toString("base64");
    expect(await verifyPassword("pw-123456", weak + key)).toEqual({ ok: true, needsRehash: true });
  });

  it("rejects unknown formats", async () => {
    expect((await verifyPassword("x", "md5$abc$def")).ok).toBe(false);
    expect((await verifyPassword("x", "")).ok).toBe(false);
  });
});

describe("password rules", () => {
  it("applies the spec's rules", () => {
    expect(passwordProblems("short1")).toEqual(["This password is too short. It must contain at least 8 characters."]);
    expect(passwordProblems("12345678901")).toEqual(["This password is entirely numeric."]);
    expect(passwordProblems("me@example.com", "ME@example.com")).toEqual(["The password is too similar to the email."]);
    expect(passwordProblems("x".repeat(129))).toEqual(["Ensure this field has no more than 128 characters."]);
    expect(passwordProblems("a-fine-passphrase", "me@example.com")).toEqual([]);
  });
});
