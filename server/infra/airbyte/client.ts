/**
 * Airbyte config API v1 (JSON POSTs under AIRBYTE_API_URL/v1). Errors are mapped once, as the
 * spec says: not configured → 503, upstream error → 502 `Airbyte request failed.`, timeout → 504.
 * Calls that create something retry only when Airbyte provably did not act (429/502/503).
 */
import { env } from "../../env";
import { AppError } from "../../services/errors";
import { log } from "../log";
import { describeAnswer, outbound, OutboundFailure, type OutboundRequest } from "../http/outbound";

export const AIRBYTE_NOT_CONFIGURED = "Airbyte is not configured for this environment.";
export const AIRBYTE_FAILED = "Airbyte request failed.";

export interface AirbyteSource {
  sourceId: string;
  name: string;
  workspaceId: string;
  sourceDefinitionId: string;
}

export type ScheduleType = "manual" | "basic" | "cron";

export interface AirbyteConnection {
  connectionId: string;
  name: string;
  sourceId: string;
  destinationId: string;
  status: "active" | "inactive" | "deprecated";
  scheduleType?: ScheduleType;
}

export interface AirbyteStream {
  stream: { name: string; supportedSyncModes?: string[]; sourceDefinedCursor?: boolean; defaultCursorField?: string[]; sourceDefinedPrimaryKey?: string[][] };
  config: Record<string, unknown>;
}

export interface AirbyteJob {
  id: number;
  status: "pending" | "running" | "incomplete" | "failed" | "succeeded" | "cancelled";
  createdAt: number;
  updatedAt: number;
  recordsSynced: number;
  bytesSynced: number;
  failureType: string | null;
  failureMessage: string | null;
}

export function airbyteConfigured(): boolean {
  return Boolean(env().AIRBYTE_API_URL);
}

function authHeader(): Record<string, string> {
  const e = env();
  if (e.AIRBYTE_API_TOKEN) return { authorization: `Bearer ${e.AIRBYTE_API_TOKEN}` };
  if (e.AIRBYTE_USERNAME && e.AIRBYTE_PASSWORD)
    return { authorization: `Basic ${Buffer.from(`${e.AIRBYTE_USERNAME}:${e.AIRBYTE_PASSWORD}`).toString("base64")}` };
  return {};
}

/** 404 from Airbyte for a known id: callers may treat "gone" differently from "failed". */
export class AirbyteNotFound extends AppError {
  constructor() {
    super("upstream", AIRBYTE_FAILED);
  }
}

async function post<T>(path: string, body: unknown, retry: OutboundRequest["retry"] = "all"): Promise<T> {
  const base = env().AIRBYTE_API_URL;
  if (!base) throw new AppError("unavailable", AIRBYTE_NOT_CONFIGURED);
  let res;
  try {
    res = await outbound({ service: "airbyte", method: "POST", url: `${base}/v1/${path}`, headers: authHeader(), body, retry });
  } catch (error) {
    if (error instanceof OutboundFailure) throw new AppError(error.reason === "timeout" ? "timeout" : "upstream", AIRBYTE_FAILED);
    throw error;
  }
  if (res.status >= 200 && res.status < 300) return res.body as T;
  log.warn("airbyte call failed", { operation: path, ...describeAnswer(res) });
  if (res.status === 404) throw new AirbyteNotFound();
  throw new AppError("upstream", AIRBYTE_FAILED);
}

export async function listSources(workspaceId: string): Promise<AirbyteSource[]> {
  return (await post<{ sources: AirbyteSource[] }>("sources/list", { workspaceId })).sources ?? [];
}

export function createSource(input: { workspaceId: string; sourceDefinitionId: string; name: string; connectionConfiguration: Record<string, unknown> }) {
  return post<AirbyteSource>("sources/create", input, "unprocessed");
}

export function updateSource(input: { sourceId: string; name: string; connectionConfiguration: Record<string, unknown> }) {
  return post<AirbyteSource>("sources/update", input);
}

export async function discoverStreams(sourceId: string): Promise<AirbyteStream[]> {
  const body = await post<{ catalog?: { streams?: AirbyteStream[] } }>("sources/discover_schema", { sourceId, disable_cache: true });
  return body.catalog?.streams ?? [];
}

export async function listConnections(workspaceId: string): Promise<AirbyteConnection[]> {
  return (await post<{ connections: AirbyteConnection[] }>("connections/list", { workspaceId })).connections ?? [];
}

export function createConnection(input: Record<string, unknown>) {
  return post<AirbyteConnection>("connections/create", input, "unprocessed");
}

export function updateConnection(input: Record<string, unknown> & { connectionId: string }) {
  return post<AirbyteConnection>("connections/update", input);
}

function readJob(body: any): AirbyteJob {
  const attempts = (body.attempts ?? []) as any[];
  const last = attempts.at(-1)?.attempt ?? {};
  const failure = last.failureSummary?.failures?.[0];
  const sum = (key: "recordsSynced" | "bytesSynced", stat: string) =>
    attempts.reduce((n, a) => n + Number(a.attempt?.[key] ?? a.attempt?.totalStats?.[stat] ?? 0), 0);
  return {
    id: Number(body.job.id),
    status: body.job.status,
    createdAt: Number(body.job.createdAt),
    updatedAt: Number(body.job.updatedAt),
    recordsSynced: sum("recordsSynced", "recordsEmitted"),
    bytesSynced: sum("bytesSynced", "bytesEmitted"),
    failureType: failure?.failureType ?? null,
    failureMessage: failure ? String(failure.externalMessage ?? failure.failureType ?? "") : null,
  };
}

/** Starts a sync job. Not retried on timeouts: a second call could start a second job. */
export async function triggerSync(connectionId: string): Promise<AirbyteJob> {
  return readJob(await post("connections/sync", { connectionId }, "unprocessed"));
}

export async function getJob(jobId: number): Promise<AirbyteJob> {
  return readJob(await post("jobs/get", { id: jobId }));
}

export async function cancelJob(jobId: number): Promise<void> {
  await post("jobs/cancel", { id: jobId });
}

/** Recent sync jobs of a connection, newest first (used to adopt a job a crashed worker started). */
export async function listJobs(connectionId: string): Promise<AirbyteJob[]> {
  const body = await post<{ jobs: any[] }>("jobs/list", { configTypes: ["sync"], configId: connectionId, pagination: { pageSize: 5, rowOffset: 0 } });
  return (body.jobs ?? []).map(readJob);
}
