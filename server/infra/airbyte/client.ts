/**
 * Airbyte config API v1 (JSON POSTs under AIRBYTE_API_URL/v1). Errors are mapped once, as the
 * spec says: not configured → 503, upstream error → 502 `Airbyte request failed.`, timeout → 504.
 * Calls that create something retry only when Airbyte provably did not act (429/502/503).
 */
import { z } from "zod";
import { env } from "../../env";
import { AppError } from "../../services/errors";
import { log } from "../log";
import { describeAnswer, outbound, OutboundFailure, type OutboundRequest } from "../http/outbound";

export const AIRBYTE_NOT_CONFIGURED = "Airbyte is not configured for this environment.";
export const AIRBYTE_FAILED = "Airbyte request failed.";

const sourceRead = z.object({ sourceId: z.string(), name: z.string(), workspaceId: z.string().default(""), sourceDefinitionId: z.string().default("") }).loose();
export type AirbyteSource = z.output<typeof sourceRead>;

export type ScheduleType = "manual" | "basic" | "cron";

const connectionRead = z
  .object({
    connectionId: z.string(),
    name: z.string(),
    sourceId: z.string(),
    destinationId: z.string(),
    status: z.enum(["active", "inactive", "deprecated"]),
    scheduleType: z.enum(["manual", "basic", "cron"]).optional(),
  })
  .loose();
export type AirbyteConnection = z.output<typeof connectionRead>;

const streamRead = z.object({
  stream: z
    .object({
      name: z.string(),
      supportedSyncModes: z.array(z.string()).optional(),
      sourceDefinedCursor: z.boolean().optional(),
      defaultCursorField: z.array(z.string()).optional(),
      sourceDefinedPrimaryKey: z.array(z.array(z.string())).optional(),
    })
    .loose(),
  config: z.record(z.string(), z.unknown()).default({}),
});
export type AirbyteStream = z.output<typeof streamRead>;

const attemptRead = z
  .object({
    recordsSynced: z.coerce.number().optional(),
    bytesSynced: z.coerce.number().optional(),
    totalStats: z.object({ recordsEmitted: z.coerce.number().optional(), bytesEmitted: z.coerce.number().optional() }).loose().optional(),
    failureSummary: z.object({ failures: z.array(z.object({ failureType: z.string().optional(), externalMessage: z.string().optional() }).loose()).default([]) }).loose().optional(),
  })
  .loose();
const jobRead = z.object({
  id: z.coerce.number(),
  status: z.enum(["pending", "running", "incomplete", "failed", "succeeded", "cancelled"]),
  createdAt: z.coerce.number(),
  updatedAt: z.coerce.number(),
});
/** JobInfoRead (jobs/get, connections/sync): each attempt comes wrapped with its logs. */
const jobInfoRead = z.object({ job: jobRead, attempts: z.array(z.object({ attempt: attemptRead }).loose()).default([]) });
/** JobReadList (jobs/list, jobs/list_for_workspaces): JobWithAttemptsRead items, attempts bare. */
const jobReadList = z.object({ jobs: z.array(z.object({ job: jobRead, attempts: z.array(attemptRead).default([]) })).default([]) });

export interface AirbyteJob {
  id: number;
  status: z.output<typeof jobRead>["status"];
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

async function post<S extends z.ZodType>(path: string, body: unknown, shape: S, retry: OutboundRequest["retry"] = "all"): Promise<z.output<S>> {
  const base = env().AIRBYTE_API_URL;
  if (!base) throw new AppError("unavailable", AIRBYTE_NOT_CONFIGURED);
  let res;
  try {
    res = await outbound({ service: "airbyte", method: "POST", url: `${base}/v1/${path}`, headers: authHeader(), body, retry });
  } catch (error) {
    if (error instanceof OutboundFailure) throw new AppError(error.reason === "timeout" ? "timeout" : "upstream", AIRBYTE_FAILED);
    throw error;
  }
  if (res.status >= 200 && res.status < 300) {
    const parsed = shape.safeParse(res.body);
    if (parsed.success) return parsed.data;
    log.warn("airbyte answer not understood", { operation: path, status: res.status });
    throw new AppError("upstream", AIRBYTE_FAILED);
  }
  log.warn("airbyte call failed", { operation: path, ...describeAnswer(res) });
  if (res.status === 404) throw new AirbyteNotFound();
  throw new AppError("upstream", AIRBYTE_FAILED);
}

export async function listSources(workspaceId: string): Promise<AirbyteSource[]> {
  return (await post("sources/list", { workspaceId }, z.object({ sources: z.array(sourceRead).default([]) }))).sources;
}

export function createSource(input: { workspaceId: string; sourceDefinitionId: string; name: string; connectionConfiguration: Record<string, unknown> }) {
  return post("sources/create", input, sourceRead, "unprocessed");
}

export function updateSource(input: { sourceId: string; name: string; connectionConfiguration: Record<string, unknown> }) {
  return post("sources/update", input, sourceRead);
}

export async function discoverStreams(sourceId: string): Promise<AirbyteStream[]> {
  const shape = z.object({ catalog: z.object({ streams: z.array(streamRead).default([]) }).default({ streams: [] }) });
  return (await post("sources/discover_schema", { sourceId, disable_cache: true }, shape)).catalog.streams;
}

export async function listConnections(workspaceId: string): Promise<AirbyteConnection[]> {
  return (await post("connections/list", { workspaceId }, z.object({ connections: z.array(connectionRead).default([]) }))).connections;
}

export function createConnection(input: Record<string, unknown>) {
  return post("connections/create", input, connectionRead, "unprocessed");
}

export function updateConnection(input: Record<string, unknown> & { connectionId: string }) {
  return post("connections/update", input, connectionRead);
}

function readJob(job: z.output<typeof jobRead>, attempts: z.output<typeof attemptRead>[]): AirbyteJob {
  const failure = attempts.at(-1)?.failureSummary?.failures[0];
  const records = attempts.reduce((n, a) => n + (a.recordsSynced ?? a.totalStats?.recordsEmitted ?? 0), 0);
  const bytes = attempts.reduce((n, a) => n + (a.bytesSynced ?? a.totalStats?.bytesEmitted ?? 0), 0);
  return {
    ...job,
    recordsSynced: records,
    bytesSynced: bytes,
    failureType: failure?.failureType ?? null,
    failureMessage: failure ? (failure.externalMessage ?? failure.failureType ?? "") : null,
  };
}

const readJobInfo = (body: z.output<typeof jobInfoRead>) =>
  readJob(
    body.job,
    body.attempts.map((a) => a.attempt),
  );

/** Starts a sync job. Not retried on timeouts: a second call could start a second job. */
export async function triggerSync(connectionId: string): Promise<AirbyteJob> {
  return readJobInfo(await post("connections/sync", { connectionId }, jobInfoRead, "unprocessed"));
}

export async function getJob(jobId: number): Promise<AirbyteJob> {
  return readJobInfo(await post("jobs/get", { id: jobId }, jobInfoRead));
}

export async function cancelJob(jobId: number): Promise<void> {
  await post("jobs/cancel", { id: jobId }, z.unknown());
}

/** Sync jobs of a connection, newest first (to adopt one already running instead of starting another). */
export async function listJobs(connectionId: string): Promise<AirbyteJob[]> {
  const body = await post("jobs/list", { configTypes: ["sync"], configId: connectionId, pagination: { pageSize: 5, rowOffset: 0 } }, jobReadList);
  return body.jobs.map((j) => readJob(j.job, j.attempts));
}

/** Jobs per page of `jobs/list_for_workspaces`: thousands of running syncs cost a handful of calls. */
export const RUNNING_PAGE_SIZE = 500;

/**
 * Every sync job not yet finished in these workspaces (pending, running, or between attempts), in
 * a few paged calls however many connections they span. Jobs that end while the pages are read may
 * shift a later page and be missed: callers treat "not listed" as "look it up", never as an outcome.
 */
export async function listRunningJobs(workspaceIds: string[]): Promise<AirbyteJob[]> {
  const found: AirbyteJob[] = [];
  for (let offset = 0; ; offset += RUNNING_PAGE_SIZE) {
    const body = await post(
      "jobs/list_for_workspaces",
      {
        workspaceIds,
        configTypes: ["sync"],
        statuses: ["pending", "running", "incomplete"],
        orderByField: "createdAt",
        orderByMethod: "ASC",
        pagination: { pageSize: RUNNING_PAGE_SIZE, rowOffset: offset },
      },
      jobReadList,
    );
    found.push(...body.jobs.map((j) => readJob(j.job, j.attempts)));
    if (body.jobs.length < RUNNING_PAGE_SIZE) return found;
  }
}
