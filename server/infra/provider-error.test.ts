/**
 * Provider error classification: how Google's and Meta's answers become a ProviderError kind
 * (google/client.ts, meta/client.ts), what each kind means to the services (needsReauth), and
 * providerCall turning every failure into one without leaking the provider's text.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { classify as classifyGoogle } from "./google/client";
import { log } from "./log";
import { OutboundFailure, type OutboundResponse } from "./http/outbound";
import { classify as classifyMeta } from "./meta/client";
import { providerCall, ProviderError, type ProviderErrorKind } from "./provider-error";

const answer = (status: number, body: unknown): OutboundResponse => ({ status, body, headers: new Headers() });

describe("Google answers", () => {
  it.each<[string, OutboundResponse, ProviderErrorKind | null]>([
    ["a 2xx", answer(200, { access_token: "x" }), null],
    ["invalid_grant (revoked or expired refresh token)", answer(400, { error: "invalid_grant", error_description: "Token has been expired or revoked." }), "invalid_grant"],
    ["invalid_client (our OAuth client is wrong)", answer(401, { error: "invalid_client" }), "auth"],
    ["an API 401", answer(401, { error: { code: 401, status: "UNAUTHENTICATED" } }), "auth"],
    ["an API 403 (scope withdrawn)", answer(403, { error: { code: 403, status: "PERMISSION_DENIED" } }), "auth"],
    ["a 429", answer(429, { error: { code: 429, status: "RESOURCE_EXHAUSTED" } }), "upstream"],
    ["a 500 with an HTML page", answer(500, "<html>oops</html>"), "upstream"],
    ["another 400", answer(400, { error: "invalid_request" }), "upstream"],
  ])("%s", (_label, res, kind) => expect(classifyGoogle(res)).toBe(kind));
});

describe("Meta Graph answers", () => {
  it.each<[string, OutboundResponse, ProviderErrorKind | null]>([
    ["a 2xx without error", answer(200, { data: [] }), null],
    ["code 190 (token expired or revoked)", answer(400, { error: { code: 190, type: "OAuthException" } }), "auth"],
    ["code 190 inside a 200", answer(200, { error: { code: 190, type: "OAuthException" } }), "auth"],
    ["code 102 (session invalid)", answer(400, { error: { code: 102 } }), "auth"],
    ["a 401", answer(401, {}), "auth"],
    ["code 4 (app rate limit) inside a 200", answer(200, { error: { code: 4 } }), "upstream"],
    ["code 100 (bad parameter)", answer(400, { error: { code: 100 } }), "upstream"],
    ["a 503", answer(503, "Service Unavailable"), "upstream"],
  ])("%s", (_label, res, kind) => expect(classifyMeta(res)).toBe(kind));
});

describe("ProviderError", () => {
  it("invalid_grant and auth need the user to reconnect; timeout and upstream are transient", () => {
    const needs = (kind: ProviderErrorKind) => new ProviderError("google", kind, "refresh").needsReauth;
    expect([needs("invalid_grant"), needs("auth"), needs("timeout"), needs("upstream")]).toEqual([true, true, false, false]);
  });
});

describe("providerCall", () => {
  const logged: string[] = [];
  // What the provider call hands the logger (the logger's own output is tested in log.test.ts).
  const captureLog = () => {
    for (const level of ["warn", "error", "info"] as const)
      vi.spyOn(log, level).mockImplementation((msg: string, fields?: Record<string, unknown>) => {
        logged.push(JSON.stringify({ msg, ...fields }));
      });
  };
  afterEach(() => {
    vi.restoreAllMocks();
    logged.length = 0;
  });

  const call = (run: () => Promise<OutboundResponse>) =>
    providerCall({ family: "google", operation: "token exchange", run, classify: classifyGoogle, shape: z.object({ access_token: z.string() }), read: (b) => b.access_token });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.unreachable(),
      (error: unknown) => error,
    );

  it("returns what `read` makes of a good answer", async () => {
    await expect(call(async () => answer(200, { access_token: "tok" }))).resolves.toBe("tok");
  });

  it("a classified error answer becomes that kind; the provider's text goes to the log only", async () => {
    captureLog();
    const error = await failure(call(async () => answer(400, { error: "invalid_grant", error_description: "secret-ish provider text" })));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ family: "google", kind: "invalid_grant", operation: "token exchange" });
    expect((error as Error).message).not.toContain("provider text");
    expect(logged.join("")).toContain("secret-ish provider text");
  });

  it("an answer of the wrong shape is an upstream failure, not a crash later", async () => {
    captureLog();
    await expect(call(async () => answer(200, { token: "renamed" }))).rejects.toMatchObject({ kind: "upstream" });
  });

  it("no answer at all: a timeout stays a timeout, anything else on the wire is upstream", async () => {
    await expect(call(() => Promise.reject(new OutboundFailure("google", "timeout")))).rejects.toMatchObject({ kind: "timeout" });
    await expect(call(() => Promise.reject(new OutboundFailure("google", "network")))).rejects.toMatchObject({ kind: "upstream" });
  });

  it("an error that is not the provider's (a bug) is not disguised as one", async () => {
    const bug = new TypeError("undefined is not a function");
    await expect(call(() => Promise.reject(bug))).rejects.toBe(bug);
  });
});
