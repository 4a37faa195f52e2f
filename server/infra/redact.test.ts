/** Redaction keeps counts and ids readable and hides secrets by field name and by shape. */
import { describe, expect, test } from "vitest";
import { isSecretKey, REDACTED, redact, redactText } from "./redact";

const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoiMSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
const RANDOM_TOKEN = "q9Xz3LbV0pK7tR2mN8wY5sD1fG4hJ6kQ_aB-cE0iO2uL"; // 32 random bytes in base64url

describe("by field name", () => {
  test("counts and flags under secret-sounding names stay; text under secret names goes", () => {
    const result = { refreshed: 3, failed: 0, tokens_refreshed: 2, token_version: 4, access_token: "abc", refresh: "def", password: "hunter2", ok: true };
    expect(redact({ result })).toEqual({
      result: { refreshed: 3, failed: 0, tokens_refreshed: 2, token_version: 4, access_token: REDACTED, refresh: REDACTED, password: REDACTED, ok: true },
    });
  });

  test("ids, counts and times about a secret are not secrets", () => {
    for (const name of ["credential_id", "tokenVersion", "session_expires_at", "secret_count", "refreshed", "error_code", "idempotency_key", "state_changed"])
      expect(isSecretKey(name), name).toBe(false);
    for (const name of ["password", "admin_password", "x-api-key", "apiKey", "client_secret", "Authorization", "cookie", "code", "state", "code_verifier", "webhookSecret", "privateKey", "oauth_nonce", "wrapped_dek"])
      expect(isSecretKey(name), name).toBe(true);
  });

  test("short numeric secrets are hidden even as numbers; whole secret objects go", () => {
    expect(redact({ otp: 123456, code: 4242, credentials: { a: 1 }, tokens: ["x"] })).toEqual({ otp: REDACTED, code: REDACTED, credentials: REDACTED, tokens: REDACTED });
  });
});

describe("by shape, under any name", () => {
  test("tokens inside messages are replaced and the message kept", () => {
    expect(redactText(`upstream said: invalid token ${JWT} for user`)).toBe(`upstream said: invalid token ${REDACTED} for user`);
    expect(redactText("header was Bearer abc.def-ghi_123456")).toBe(`header was ${REDACTED}`);
    expect(redactText(`grant ${RANDOM_TOKEN} expired`)).toBe(`grant ${REDACTED} expired`);
    expect(redactText("ya29.a0AfH6SMBx-google-access")).toBe(REDACTED);
    expect(redactText("connect postgres://app:s3cr3t-pw@db.internal:5432/adinsights failed")).toBe(`connect postgres://app:${REDACTED}@db.internal:5432/adinsights failed`);
    expect(redactText("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----")).toBe(REDACTED);
  });

  test("ids, paths and digests stay readable", () => {
    const kept = {
      tenant_id: "4961e440-0cab-438d-a509-b6fbc6f1a381",
      path: "/api/tenants/4961e440-0cab-438d-a509-b6fbc6f1a381/users/?page=2",
      digest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
      namespace: "adinsights_4961e440_0cab_438d_a509_b6fbc6f1a381",
      message: "Google Ads answered 403 PERMISSION_DENIED for customer 1234567890",
      airbyte_job_id: 123456789,
    };
    expect(redact(kept)).toEqual(kept);
  });

  test("errors keep their name and a redacted message", () => {
    expect(redact({ error: new TypeError(`bad ${JWT}`) })).toEqual({ error: { name: "TypeError", message: `bad ${REDACTED}` } });
  });
});
