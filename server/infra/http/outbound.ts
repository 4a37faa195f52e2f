/**
 * Every call to Google, Meta and Airbyte goes through here: a per-attempt timeout, bounded
 * retries with exponential backoff (and Retry-After) on 429/5xx/network errors, and one log line
 * per attempt that names the service, method, host and path — never the query string, headers or
 * bodies, which may carry tokens.
 */
import { z } from "zod";
import { env } from "../../env";
import { log } from "../log";

export interface OutboundRequest {
  /** Short name for logs: "google", "meta", "airbyte". */
  service: string;
  method: "GET" | "POST" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  /** A form (URLSearchParams) or a JSON value. */
  body?: URLSearchParams | unknown;
  /**
   * `all` (default): retry 429, 5xx, timeouts and network errors. `unprocessed`: only answers
   * that prove the request was not acted on (429, 502, 503) — for calls that create something.
   */
  retry?: "all" | "unprocessed" | "none";
  retries?: number;
}

export interface OutboundResponse {
  status: number;
  /** Parsed JSON, or the raw text when the answer was not JSON. */
  body: unknown;
  headers: Headers;
}

/** The call never produced an HTTP answer (timeout after retries, refused connection…). */
export class OutboundFailure extends Error {
  constructor(readonly service: string, readonly reason: "timeout" | "network") {
    super(`${service} request failed: ${reason}`);
    this.name = "OutboundFailure";
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function backoff(attempt: number, retryAfter: string | null): number {
  const hinted = retryAfter !== null ? Number(retryAfter) * 1000 : NaN;
  if (Number.isFinite(hinted) && hinted >= 0) return Math.min(hinted, 5_000);
  return Math.min(200 * 2 ** attempt, 3_000) * (0.75 + Math.random() * 0.5);
}

function retryable(policy: OutboundRequest["retry"], status: number | "timeout" | "network"): boolean {
  if (policy === "none") return false;
  if (policy === "unprocessed") return status === 429 || status === 502 || status === 503 || status === "network";
  return status === "timeout" || status === "network" || status === 429 || (typeof status === "number" && status >= 500);
}

function where(url: string): string {
  const u = new URL(url);
  return `${u.host}${u.pathname}`;
}

export async function outbound(request: OutboundRequest): Promise<OutboundResponse> {
  const { timeoutMs, retries } = { timeoutMs: env().OUTBOUND_TIMEOUT_MS, retries: request.retries ?? 2 };
  const headers: Record<string, string> = { accept: "application/json", ...request.headers };
  let payload: string | undefined;
  if (request.body instanceof URLSearchParams) {
    payload = request.body.toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (request.body !== undefined) {
    payload = JSON.stringify(request.body);
    headers["content-type"] = "application/json";
  }
  for (let attempt = 0; ; attempt++) {
    const started = performance.now();
    let outcome: number | "timeout" | "network";
    let response: Response | undefined;
    try {
      response = await fetch(request.url, { method: request.method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
      outcome = response.status;
    } catch (error) {
      outcome = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError") ? "timeout" : "network";
    }
    const again = attempt < retries && retryable(request.retry ?? "all", outcome);
    log.info("outbound", {
      service: request.service,
      method: request.method,
      target: where(request.url),
      status: outcome,
      attempt: attempt + 1,
      duration_ms: Math.round(performance.now() - started),
      will_retry: again,
    });
    if (again) {
      await response?.body?.cancel().catch(() => {});
      await sleep(backoff(attempt, response?.headers.get("retry-after") ?? null));
      continue;
    }
    if (!response) throw new OutboundFailure(request.service, outcome as "timeout" | "network");
    const text = await response.text().catch(() => "");
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* keep the text: some errors are HTML */
    }
    return { status: response.status, body, headers: response.headers };
  }
}

/** The error fields of Google, Graph and Airbyte answers: `{error, error_description}`, `{error: {code, message, status|type}}`, `{message}`. */
export const errorAnswer = z
  .object({
    error: z.union([z.string(), z.object({ code: z.coerce.number().optional(), message: z.string().optional(), status: z.string().optional(), type: z.string().optional() }).loose()]).optional(),
    error_description: z.string().optional(),
    message: z.string().optional(),
  })
  .loose();

/** A short, token-free description of an error answer for logs (provider's message, no echo of our request). */
export function describeAnswer(res: OutboundResponse): Record<string, unknown> {
  const parsed = errorAnswer.safeParse(res.body);
  if (!parsed.success) return { status: res.status, provider_message: String(res.body ?? "").slice(0, 120) };
  const { error, error_description, message } = parsed.data;
  return {
    status: res.status,
    error: typeof error === "string" ? error : (error?.status ?? error?.type),
    code: typeof error === "object" ? error.code : undefined,
    provider_message: String(error_description ?? (typeof error === "object" ? error.message : undefined) ?? message ?? "").slice(0, 300),
  };
}
