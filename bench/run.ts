/**
 * `npm run bench [-- name ...]`: runs the benchmarks in bench/ one after another (each prints
 * its own tables). Needs a production build (`npm run build`) and the local Postgres/Redis.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const ALL = ["http", "ratelimit", "vault", "ingest", "sync-sweep", "sync-scale"];
const chosen = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = (chosen.length ? chosen : ALL).filter((n) => existsSync(`bench/${n}.ts`));
let failed = 0;
for (const name of names) {
  console.log(`\n=== bench/${name}.ts ===`);
  const r = spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", `bench/${name}.ts`], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
