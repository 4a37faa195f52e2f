/**
 * Fake Airbyte config API v1 (every call is a JSON POST under `/api/v1/…`): sources
 * list/create/update/discover_schema, connections list/create/update/sync, jobs get/list/cancel.
 *
 * Jobs move one state per `jobs/get` poll: pending → running → succeeded (or failed, when
 * `POST /__fake/job-outcome {connection_id, outcome: "failed", failure_type?, message?, running_polls?}`
 * says so; `running_polls` keeps it running for that many extra polls; `records` sets the records a
 * succeeded job reports, default 1234).
 * `POST /__fake/scheduled-run {connection_id, finished?}` starts a run as Airbyte's scheduler would
 * (409 for a connection with a manual schedule or not active).
 * Errors use Airbyte's shape `{"message", "exceptionClassName"}`; a missing/wrong Bearer token is
 * 401. The fake keeps everything in memory; tests read it back through the control endpoints.
 */
import { randomUUID } from "node:crypto";
import { startFake, type Fake, type FakeRequest, type FakeResponse } from "./fake-server";

export interface AirbyteFakeOptions {
  apiToken: string;
  port?: number;
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
  status: "pending" | "running" | "succeeded" | "failed" | "cancelled";
  createdAt: number;
  updatedAt: number;
  outcome: Outcome;
  polls: number;
}

interface Outcome {
  outcome: "succeeded" | "failed";
  /** Extra polls the job stays `running` for (a slow sync). */
  runningPolls?: number;
  failureType?: string;
  message?: string;
  records?: number;
}

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
  let nextJobId = 1000;

  const jobRead = (job: Job) => ({
    job: { id: job.id, configType: "sync", configId: job.connectionId, createdAt: job.createdAt, updatedAt: job.updatedAt, status: job.status },
    attempts:
      job.status === "pending"
        ? []
        : [
            {
              attempt: {
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
              },
            },
          ],
  });

  /** One poll moves a job one step along pending → running → outcome. */
  function startJob(connection: Connection): Job {
    const job: Job = { id: nextJobId++, connectionId: connection.connectionId, status: "pending", createdAt: now(), updatedAt: now(), outcome: outcomes.get(connection.connectionId) ?? { outcome: "succeeded" }, polls: 0 };
    jobs.set(job.id, job);
    return job;
  }

  function advance(job: Job) {
    if (job.status === "pending") job.status = "running";
    else if (job.status === "running" && job.polls++ >= (job.outcome.runningPolls ?? 0)) job.status = job.outcome.outcome;
    job.updatedAt = now();
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
        const read = jobRead(job);
        advance(job);
        return { status: 200, body: read };
      }
      case "/api/v1/jobs/cancel": {
        const job = jobs.get(Number(b.id));
        if (!job) return notFound("job", b.id);
        if (job.status === "pending" || job.status === "running") job.status = "cancelled";
        return { status: 200, body: jobRead(job) };
      }
      case "/api/v1/jobs/list": {
        const ids = new Set<string>([b.configId ?? []].flat());
        const list = [...jobs.values()].filter((j) => ids.size === 0 || ids.has(j.connectionId)).sort((x, y) => y.id - x.id);
        return { status: 200, body: { jobs: list.map(jobRead), totalJobCount: list.length } };
      }
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
        });
        return { status: 200, body: { ok: true } };
      }
      // Airbyte's own scheduler starting a run: only connections that have an Airbyte schedule run.
      if (req.path === "/__fake/scheduled-run" && req.method === "POST") {
        const connection = connections.get(String(req.json.connection_id));
        if (!connection) return notFound("connection", req.json.connection_id);
        if (connection.scheduleType === "manual" || connection.status !== "active")
          return { status: 409, body: { message: `connection ${connection.connectionId} has no active Airbyte schedule` } };
        const job = startJob(connection);
        // finished: the run ended before anyone looked.
        if (req.json.finished) job.status = job.outcome.outcome;
        return { status: 200, body: jobRead(job) };
      }
      if (req.path === "/__fake/state" && req.method === "GET") {
        return { status: 200, body: { sources: [...sources.values()], connections: [...connections.values()], jobs: [...jobs.values()] } };
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
