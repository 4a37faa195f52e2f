/**
 * Fake Airbyte config API v1 (every call is a JSON POST under `/api/v1/…`): sources
 * list/create/update/discover_schema, connections list/create/update/sync, jobs get/list/
 * list_for_workspaces/cancel.
 *
 * Jobs run in one of two ways:
 * - by polls (default): a job moves one state each time its status is read through `jobs/get` or
 *   `jobs/list_for_workspaces`: pending → running → succeeded (or failed, when
 *   `POST /__fake/job-outcome {connection_id, outcome: "failed", failure_type?, message?, running_polls?}`
 *   says so; `running_polls` keeps it running for that many extra reads);
 * - by the clock: with a duration (`duration_ms` in the job outcome of a connection, or for every
 *   job started from now on with `POST /__fake/settings {job_duration_ms}` / the `jobDurationMs`
 *   option; null turns it off) a job is running from its start until the duration has passed,
 *   however often it is read, then ends with its outcome — as real syncs that run for minutes.
 * `POST /__fake/scheduled-run {connection_id, finished?}` starts a run as Airbyte's scheduler would
 * (409 for a connection with a manual schedule or not active); `POST /__fake/forget-job {id}` makes
 * Airbyte lose a job (404 from then on).
 * Lists answer as Airbyte does: `{jobs: [{job, attempts: [AttemptRead]}], totalJobCount}`
 * (`jobs/get` wraps each attempt as `{attempt, logs}`); `jobs/list_for_workspaces` filters by
 * workspaces, config types and statuses, orders and pages like the real one (page size 200 by
 * default) and, as the real one, reports the page's length as `totalJobCount`.
 * Errors use Airbyte's shape `{"message", "exceptionClassName"}`; a missing/wrong Bearer token is
 * 401. The fake keeps everything in memory; tests read it back through the control endpoints.
 */
import { randomUUID } from "node:crypto";
import { startFake, type Fake, type FakeRequest, type FakeResponse } from "./fake-server";

export interface AirbyteFakeOptions {
  apiToken: string;
  port?: number;
  /** Jobs run this long by the clock (see above) unless their connection's outcome says otherwise. */
  jobDurationMs?: number;
  /** Called in-process when a job is created (benches time "request → job exists in Airbyte"). */
  onJobCreated?: (job: { id: number; connectionId: string; createdAtMs: number }) => void;
}

interface Source {
  sourceId: string;
  workspaceId: string;
  sourceDefinitionId: string;
  name: string;
  connectionConfiguration: Record<string, unknown>;
}

interface Connection {
  connectionId: string;
  name: string;
  sourceId: string;
  destinationId: string;
  workspaceId: string;
  status: "active" | "inactive" | "deprecated";
  scheduleType: "manual" | "basic" | "cron";
  scheduleData?: unknown;
  syncCatalog: unknown;
  /** Where the destination writes: `source` (Airbyte's default), `destination` or `customformat`. */
  namespaceDefinition: "source" | "destination" | "customformat";
  namespaceFormat: string;
  /** Prepended to every stream's table name. */
  prefix: string;
}

interface Job {
  id: number;
  connectionId: string;
  workspaceId: string;
  status: "pending" | "running" | "succeeded" | "failed" | "cancelled";
  createdAt: number;
  updatedAt: number;
  outcome: Outcome;
  polls: number;
  /** Clock-driven jobs: when (epoch ms) the job ends with its outcome. */
  endsAtMs?: number;
}

interface Outcome {
  outcome: "succeeded" | "failed";
  /** Extra polls the job stays `running` for (a slow sync). */
  runningPolls?: number;
  /** Run by the clock for this long instead of by polls. */
  durationMs?: number;
  failureType?: string;
  message?: string;
  records?: number;
}

const ACTIVE = new Set<Job["status"]>(["pending", "running"]);
const CONFIG_TYPES = ["check_connection_source", "check_connection_destination", "discover_schema", "get_spec", "sync", "reset_connection", "refresh", "clear"];
const DEFAULT_PAGE_SIZE = 200;

const notFound = (what: string, id: unknown): FakeResponse => ({
  status: 404,
  body: { id: String(id), message: `Could not find ${what} with id ${String(id)}`, exceptionClassName: "io.airbyte.commons.server.errors.IdNotFoundKnownException" },
});
const invalid = (message: string): FakeResponse => ({
  status: 422,
  body: { message, exceptionClassName: "io.airbyte.commons.server.errors.BadObjectSchemaKnownException" },
});

const now = () => Math.floor(Date.now() / 1000);

/** What discovery returns for every source: one incremental stream with a cursor and key, one full-refresh-only stream. */
function catalog() {
  return {
    streams: [
      {
        stream: {
          name: "campaigns_daily",
          jsonSchema: { type: "object", properties: { id: { type: "string" }, date: { type: "string" }, spend: { type: "number" } } },
          supportedSyncModes: ["full_refresh", "incremental"],
          sourceDefinedCursor: true,
          defaultCursorField: ["date"],
          sourceDefinedPrimaryKey: [["id"], ["date"]],
        },
        config: { syncMode: "full_refresh", cursorField: [], destinationSyncMode: "append", primaryKey: [], aliasName: "campaigns_daily", selected: false },
      },
      {
        stream: {
          name: "accounts",
          jsonSchema: { type: "object", properties: { id: { type: "string" }, name: { type: "string" } } },
          supportedSyncModes: ["full_refresh"],
          sourceDefinedCursor: false,
          defaultCursorField: [],
          sourceDefinedPrimaryKey: [["id"]],
        },
        config: { syncMode: "full_refresh", cursorField: [], destinationSyncMode: "append", primaryKey: [], aliasName: "accounts", selected: false },
      },
    ],
  };
}

export async function startAirbyteFake(options: AirbyteFakeOptions): Promise<Fake> {
  const sources = new Map<string, Source>();
  const connections = new Map<string, Connection>();
  const jobs = new Map<number, Job>();
  const outcomes = new Map<string, Outcome>();
  /** Each connection's jobs, oldest first (lists of one connection stay cheap with thousands of jobs). */
  const jobsOf = new Map<string, Job[]>();
  let jobDurationMs = options.jobDurationMs;
  let nextJobId = 1000;

  function attemptRead(job: Job) {
    return {
      id: 0,
      status: job.status === "running" ? "running" : job.status,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
      ...(job.status === "running" ? {} : { endedAt: job.updatedAt }),
      recordsSynced: job.status === "succeeded" ? (job.outcome.records ?? 1234) : 0,
      bytesSynced: job.status === "succeeded" ? 56789 : 0,
      totalStats: { recordsEmitted: job.status === "succeeded" ? (job.outcome.records ?? 1234) : 0, bytesEmitted: job.status === "succeeded" ? 56789 : 0 },
      ...(job.status === "failed"
        ? {
            failureSummary: {
              failures: [{ failureOrigin: "source", failureType: job.outcome.failureType ?? "system_error", externalMessage: job.outcome.message ?? "Something went wrong in the connector." }],
              partialSuccess: false,
            },
          }
        : {}),
    };
  }
  const jobOf = (job: Job) => ({ id: job.id, configType: "sync", configId: job.connectionId, createdAt: job.createdAt, updatedAt: job.updatedAt, status: job.status });
  /** JobInfoRead (jobs/get, connections/sync, jobs/cancel): attempts wrapped with their logs. */
  const jobRead = (job: Job) => ({
    job: jobOf(job),
    attempts: job.status === "pending" ? [] : [{ attempt: attemptRead(job), logs: { logLines: [] } }],
  });
  /** JobWithAttemptsRead (the lists): bare attempts. */
  const jobListItem = (job: Job) => ({ job: jobOf(job), attempts: job.status === "pending" ? [] : [attemptRead(job)] });

  function startJob(connection: Connection): Job {
    const outcome = outcomes.get(connection.connectionId) ?? { outcome: "succeeded" };
    const durationMs = outcome.durationMs ?? jobDurationMs;
    const createdAtMs = Date.now();
    const job: Job = {
      id: nextJobId++,
      connectionId: connection.connectionId,
      workspaceId: connection.workspaceId,
      status: durationMs === undefined ? "pending" : "running",
      createdAt: Math.floor(createdAtMs / 1000),
      updatedAt: Math.floor(createdAtMs / 1000),
      outcome,
      polls: 0,
      endsAtMs: durationMs === undefined ? undefined : createdAtMs + durationMs,
    };
    jobs.set(job.id, job);
    const list = jobsOf.get(job.connectionId) ?? [];
    list.push(job);
    jobsOf.set(job.connectionId, list);
    options.onJobCreated?.({ id: job.id, connectionId: job.connectionId, createdAtMs });
    return job;
  }

  /** A clock-driven job whose time is up ends with its outcome (whoever looks first). */
  function settle(job: Job): Job {
    if (job.endsAtMs !== undefined && ACTIVE.has(job.status) && Date.now() >= job.endsAtMs) {
      job.status = job.outcome.outcome;
      job.updatedAt = Math.floor(job.endsAtMs / 1000);
    }
    return job;
  }

  /** A poll-driven job moves one step along pending → running → outcome each time its status is read. */
  function advance(job: Job) {
    if (job.endsAtMs !== undefined) return;
    if (job.status === "pending") job.status = "running";
    else if (job.status === "running" && job.polls++ >= (job.outcome.runningPolls ?? 0)) job.status = job.outcome.outcome;
    job.updatedAt = now();
  }

  const badConfigTypes = (types: unknown) =>
    !Array.isArray(types) || types.length === 0 || types.some((t) => !CONFIG_TYPES.includes(String(t)));
  function page(list: Job[], pagination: any): Job[] | FakeResponse {
    const size = pagination?.pageSize ?? DEFAULT_PAGE_SIZE;
    const offset = pagination?.rowOffset ?? 0;
    if (!Number.isInteger(size) || size < 1 || !Number.isInteger(offset) || offset < 0) return invalid("pagination must have a positive pageSize and a non-negative rowOffset");
    return list.slice(offset, offset + size);
  }

  /** jobs/list_for_workspaces: every filter the real endpoint applies to sync jobs. */
  function listForWorkspaces(b: any): FakeResponse {
    if (badConfigTypes(b.configTypes)) return invalid("Must include at least one valid configType.");
    if (!Array.isArray(b.workspaceIds)) return invalid("workspaceIds is required");
    const workspaces = new Set(b.workspaceIds.map(String));
    const statuses = Array.isArray(b.statuses) && b.statuses.length ? new Set(b.statuses.map(String)) : null;
    const when = (name: string) => (b[name] ? Date.parse(b[name]) / 1000 : undefined);
    const [createdFrom, createdTo, updatedFrom, updatedTo] = ["createdAtStart", "createdAtEnd", "updatedAtStart", "updatedAtEnd"].map(when);
    const field = b.orderByField === "updatedAt" ? "updatedAt" : "createdAt";
    const direction = String(b.orderByMethod ?? "DESC").toUpperCase() === "ASC" ? 1 : -1;
    const matching = (b.configTypes.includes("sync") ? [...jobs.values()] : [])
      .map(settle)
      .filter(
        (j) =>
          workspaces.has(j.workspaceId) &&
          (!statuses || statuses.has(j.status)) &&
          (createdFrom === undefined || j.createdAt >= createdFrom) &&
          (createdTo === undefined || j.createdAt <= createdTo) &&
          (updatedFrom === undefined || j.updatedAt >= updatedFrom) &&
          (updatedTo === undefined || j.updatedAt <= updatedTo),
      )
      .sort((x, y) => direction * (x[field] - y[field] || x.id - y.id));
    const selected = page(matching, b.pagination);
    if (!Array.isArray(selected)) return selected;
    const body = { jobs: selected.map(jobListItem), totalJobCount: selected.length };
    for (const job of selected) advance(job);
    return { status: 200, body };
  }

  function connectionFrom(body: any, existing?: Connection): Connection | FakeResponse {
    const scheduleType = body.scheduleType ?? existing?.scheduleType ?? "manual";
    if (!["manual", "basic", "cron"].includes(scheduleType)) return invalid(`Invalid scheduleType ${scheduleType}`);
    const scheduleData = body.scheduleData ?? (body.scheduleType ? undefined : existing?.scheduleData);
    if (scheduleType === "cron") {
      const cron = scheduleData?.cron;
      if (!cron?.cronExpression || !cron?.cronTimeZone) return invalid("cron schedule requires cronExpression and cronTimeZone");
      const fields = String(cron.cronExpression).trim().split(/\s+/);
      if (fields.length < 6 || fields.length > 7) return invalid(`Invalid cron expression: ${cron.cronExpression}`);
    }
    if (scheduleType === "basic") {
      const basic = scheduleData?.basicSchedule;
      if (!basic?.timeUnit || !(basic.units > 0)) return invalid("basic schedule requires timeUnit and units");
    }
    const status = body.status ?? existing?.status ?? "active";
    if (!["active", "inactive", "deprecated"].includes(status)) return invalid(`Invalid status ${status}`);
    const namespaceDefinition = body.namespaceDefinition ?? existing?.namespaceDefinition ?? "source";
    if (!["source", "destination", "customformat"].includes(namespaceDefinition)) return invalid(`Invalid namespaceDefinition ${namespaceDefinition}`);
    return {
      connectionId: existing?.connectionId ?? randomUUID(),
      name: body.name ?? existing?.name ?? "default",
      sourceId: existing?.sourceId ?? body.sourceId,
      destinationId: existing?.destinationId ?? body.destinationId,
      workspaceId: existing?.workspaceId ?? sources.get(body.sourceId)?.workspaceId ?? "",
      status,
      scheduleType,
      scheduleData,
      syncCatalog: body.syncCatalog ?? existing?.syncCatalog ?? catalog(),
      namespaceDefinition,
      // Airbyte's defaults when a field is not sent: the source's namespace, no prefix.
      namespaceFormat: body.namespaceFormat ?? existing?.namespaceFormat ?? "${SOURCE_NAMESPACE}",
      prefix: body.prefix ?? existing?.prefix ?? "",
    };
  }

  function route(req: FakeRequest): FakeResponse {
    const b = req.json ?? {};
    switch (req.path) {
      case "/api/v1/sources/list":
        if (!b.workspaceId) return invalid("workspaceId is required");
        return { status: 200, body: { sources: [...sources.values()].filter((s) => s.workspaceId === b.workspaceId) } };
      case "/api/v1/sources/create": {
        for (const key of ["workspaceId", "sourceDefinitionId", "name", "connectionConfiguration"])
          if (!b[key]) return invalid(`${key} is required`);
        const source: Source = { sourceId: randomUUID(), workspaceId: b.workspaceId, sourceDefinitionId: b.sourceDefinitionId, name: b.name, connectionConfiguration: b.connectionConfiguration };
        sources.set(source.sourceId, source);
        return { status: 200, body: source };
      }
      case "/api/v1/sources/update": {
        const source = sources.get(b.sourceId);
        if (!source) return notFound("source", b.sourceId);
        if (!b.connectionConfiguration || !b.name) return invalid("name and connectionConfiguration are required");
        Object.assign(source, { name: b.name, connectionConfiguration: b.connectionConfiguration });
        return { status: 200, body: source };
      }
      case "/api/v1/sources/discover_schema": {
        if (!sources.has(b.sourceId)) return notFound("source", b.sourceId);
        return { status: 200, body: { catalog: catalog(), catalogId: randomUUID(), jobInfo: { succeeded: true } } };
      }
      case "/api/v1/connections/list":
        if (!b.workspaceId) return invalid("workspaceId is required");
        return { status: 200, body: { connections: [...connections.values()].filter((c) => c.workspaceId === b.workspaceId) } };
      case "/api/v1/connections/create": {
        if (!sources.has(b.sourceId)) return notFound("source", b.sourceId);
        if (!b.destinationId) return invalid("destinationId is required");
        const made = connectionFrom(b);
        if ("status" in made && typeof made.status === "number") return made as FakeResponse;
        connections.set((made as Connection).connectionId, made as Connection);
        return { status: 200, body: made };
      }
      case "/api/v1/connections/update": {
        const existing = connections.get(b.connectionId);
        if (!existing) return notFound("connection", b.connectionId);
        const made = connectionFrom(b, existing);
        if ("status" in made && typeof made.status === "number") return made as FakeResponse;
        connections.set(existing.connectionId, made as Connection);
        return { status: 200, body: made };
      }
      case "/api/v1/connections/get": {
        const existing = connections.get(b.connectionId);
        return existing ? { status: 200, body: existing } : notFound("connection", b.connectionId);
      }
      case "/api/v1/connections/sync": {
        const connection = connections.get(b.connectionId);
        if (!connection) return notFound("connection", b.connectionId);
        return { status: 200, body: jobRead(startJob(connection)) };
      }
      case "/api/v1/jobs/get": {
        const job = jobs.get(Number(b.id));
        if (!job) return notFound("job", b.id);
        const read = jobRead(settle(job));
        advance(job);
        return { status: 200, body: read };
      }
      case "/api/v1/jobs/cancel": {
        const job = jobs.get(Number(b.id));
        if (!job) return notFound("job", b.id);
        if (ACTIVE.has(settle(job).status)) {
          job.status = "cancelled";
          job.updatedAt = now();
        }
        return { status: 200, body: jobRead(job) };
      }
      case "/api/v1/jobs/list": {
        // One connection's jobs, newest first (the real endpoint's default order).
        if (badConfigTypes(b.configTypes)) return invalid("Must include at least one valid configType.");
        if (typeof b.configId !== "string") return invalid("configId is required");
        const list = (jobsOf.get(b.configId) ?? []).map(settle).reverse();
        const selected = page(list, b.pagination);
        if (!Array.isArray(selected)) return selected;
        return { status: 200, body: { jobs: selected.map(jobListItem), totalJobCount: list.length } };
      }
      case "/api/v1/jobs/list_for_workspaces":
        return listForWorkspaces(b);
      default:
        return { status: 404, body: { message: `Unknown endpoint ${req.path}`, exceptionClassName: "javax.ws.rs.NotFoundException" } };
    }
  }

  return startFake(
    "airbyte",
    (req) => {
      if (req.path === "/__fake/job-outcome" && req.method === "POST") {
        outcomes.set(String(req.json.connection_id), {
          outcome: req.json.outcome ?? "succeeded",
          failureType: req.json.failure_type,
          message: req.json.message,
          runningPolls: req.json.running_polls,
          records: req.json.records,
          durationMs: req.json.duration_ms,
        });
        return { status: 200, body: { ok: true } };
      }
      // Airbyte lost a job (its database was reset, the job was purged): it answers 404 from now on.
      if (req.path === "/__fake/forget-job" && req.method === "POST") {
        const job = jobs.get(Number(req.json.id));
        if (!job) return notFound("job", req.json.id);
        jobs.delete(job.id);
        jobsOf.set(job.connectionId, (jobsOf.get(job.connectionId) ?? []).filter((j) => j !== job));
        return { status: 200, body: { ok: true } };
      }
      if (req.path === "/__fake/settings" && req.method === "POST") {
        if ("job_duration_ms" in (req.json ?? {})) jobDurationMs = req.json.job_duration_ms ?? undefined;
        return { status: 200, body: { job_duration_ms: jobDurationMs ?? null } };
      }
      // Airbyte's own scheduler starting a run: only connections that have an Airbyte schedule run.
      if (req.path === "/__fake/scheduled-run" && req.method === "POST") {
        const connection = connections.get(String(req.json.connection_id));
        if (!connection) return notFound("connection", req.json.connection_id);
        if (connection.scheduleType === "manual" || connection.status !== "active")
          return { status: 409, body: { message: `connection ${connection.connectionId} has no active Airbyte schedule` } };
        const job = startJob(connection);
        // finished: the run ended before anyone looked.
        if (req.json.finished) {
          job.status = job.outcome.outcome;
          job.endsAtMs = undefined;
        }
        return { status: 200, body: jobRead(job) };
      }
      if (req.path === "/__fake/state" && req.method === "GET") {
        return { status: 200, body: { sources: [...sources.values()], connections: [...connections.values()], jobs: [...jobs.values()].map(settle) } };
      }
      if (req.headers.authorization !== `Bearer ${options.apiToken}`) return { status: 401, body: { message: "Unauthorized", exceptionClassName: "io.micronaut.security.authentication.AuthorizationException" } };
      if (req.method !== "POST") return { status: 405, body: { message: "Method not allowed" } };
      return route(req);
    },
    options.port,
  );
}

export function airbyteEnv(fake: Fake, options: AirbyteFakeOptions): Record<string, string> {
  return { AIRBYTE_API_URL: `${fake.url}/api`, AIRBYTE_API_TOKEN: options.apiToken };
}
