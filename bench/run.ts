/**
 * `npm run bench [-- name ... [--option value ...]]`: runs the benchmarks in bench/ one after
 * another (each prints its own tables); options after the names go to each of them
 * (`npm run bench -- http --seconds 10`). Needs a production build (`npm run build`) and the
 * local Postgres/Redis. Benches run with the `react-server` condition, like every server entry
 * that is not bundled (server-only modules refuse to load without it).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const ALL = ["http", "ratelimit", "vault", "ingest", "sync-sweep", "webhooks", "sync-scale"];
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith("-"));
const chosen = firstOption === -1 ? args : args.slice(0, firstOption);
const options = firstOption === -1 ? [] : args.slice(firstOption);
const names = (chosen.length ? chosen : ALL).filter((n) => existsSync(`bench/${n}.ts`));
let failed = 0;
for (const name of names) {
  console.log(`\n=== bench/${name}.ts ===`);
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", `bench/${name}.ts`, ...options], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
