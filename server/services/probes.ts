/** Liveness, readiness, version and time-zone probes (public; they expose no tenant data). */
import { sql } from "drizzle-orm";
import packageJson from "../../package.json";
import { database } from "../db/client";
import { env } from "../env";
import { redisReady } from "../infra/redis";
import { withTimeout } from "./deadline";

const CHECK_TIMEOUT_MS = 1500;

async function check(run: () => Promise<unknown>): Promise<"ok" | "error"> {
  try {
    await withTimeout(run(), CHECK_TIMEOUT_MS);
    return "ok";
  } catch {
    return "error";
  }
}

export async function readiness() {
  const [db, cache] = await Promise.all([
    check(async () => (await database()).db.execute(sql`select 1`)),
    check(async () => (await redisReady(CHECK_TIMEOUT_MS)).ping()),
  ]);
  const checks = { database: db, redis: cache };
  return { ok: db === "ok" && cache === "ok", body: { status: db === "ok" && cache === "ok" ? "ok" : "error", checks } };
}

export const version = () => ({ version: env().APP_VERSION ?? packageJson.version });
export const timezone = () => ({ timezone: env().TIME_ZONE });
