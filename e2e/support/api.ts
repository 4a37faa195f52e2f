/** A tiny REST client for the contract tests, plus helpers that create tenants and users. */
import { randomUUID } from "node:crypto";
import { inject } from "vitest";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** A raw body sent as-is (for content-type and malformed-JSON tests). */
  raw?: string | Uint8Array;
  token?: string;
  headers?: Record<string, string>;
  /** Another server than the shared one (tests that start their own instance). */
  base?: string;
}

export const baseUrl = () => inject("baseUrl");

export async function api<T = any>(path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.raw !== undefined) body = options.raw as BodyInit;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(`${options.base ?? baseUrl()}${path}`, {
    method: options.method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body,
    redirect: "manual",
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}

export const uniqueEmail = (label = "user") => `${label}-${randomUUID().slice(0, 8)}@example.test`;
export const PASSWORD = "correct-horse-battery";

export interface TestTenant {
  id: string;
  name: string;
  adminEmail: string;
  adminId: string;
  access: string;
  refresh: string;
}

/** Signs up a tenant through the public route and logs its admin in (on the shared app, or `base`). */
export async function createTenant(name = `Agency ${randomUUID().slice(0, 6)}`, base?: string): Promise<TestTenant> {
  const adminEmail = uniqueEmail("admin");
  const signUp = await api("/api/tenants/", {
    base,
    body: { name, admin_email: adminEmail, admin_password: PASSWORD, admin_first_name: "Ada", admin_last_name: "Admin" },
  });
  if (signUp.status !== 201) throw new Error(`sign-up failed: ${signUp.status} ${signUp.text}`);
  const tokens = await api("/api/token/", { base, body: { email: adminEmail, password: PASSWORD } });
  if (tokens.status !== 200) throw new Error(`login failed: ${tokens.status} ${tokens.text}`);
  return { id: signUp.body.id, name, adminEmail, adminId: signUp.body.admin_user_id, access: tokens.body.access, refresh: tokens.body.refresh };
}

/** Creates a user in the tenant (no role) and returns their tokens. */
export async function createMember(tenant: TestTenant, email = uniqueEmail("member")) {
  const created = await api("/api/users/", { token: tenant.access, body: { email, password: PASSWORD } });
  if (created.status !== 201) throw new Error(`create user failed: ${created.status} ${created.text}`);
  const tokens = await api("/api/token/", { body: { email, password: PASSWORD } });
  return { id: created.body.id as string, email, access: tokens.body.access as string, refresh: tokens.body.refresh as string };
}
