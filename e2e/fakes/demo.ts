/**
 * `npm run demo`: the app and worker in development (`npm run dev`: PGlite unless DATABASE_URL
 * is set, the default tenant and admin seeded) wired to the Google, Meta and Airbyte fakes, so
 * every connector can be clicked through with no real accounts. Ports: FAKE_PORT_BASE (4100) + 1..3.
 */
import { spawn } from "node:child_process";
import { startFakes } from "./index";

const base = Number(process.env.FAKE_PORT_BASE ?? 4100);
const fakes = await startFakes({ google: base + 1, meta: base + 2, airbyte: base + 3 });
const port = process.env.PORT ?? "3000";

const env = {
  ...process.env,
  ...fakes.env,
  // The fakes stand in for every integration; a Facebook Pages source definition has no default.
  AIRBYTE_SOURCE_DEFINITION_FACEBOOK_PAGES: process.env.AIRBYTE_SOURCE_DEFINITION_FACEBOOK_PAGES ?? "778daa7c-feaf-4db6-96f3-70fd645acc77",
  QUEUE_PREFIX: process.env.QUEUE_PREFIX ?? "adinsights-demo",
  AIRBYTE_POLL_INTERVAL_MS: process.env.AIRBYTE_POLL_INTERVAL_MS ?? "1000",
  SYNC_TRACKER_INTERVAL_MS: process.env.SYNC_TRACKER_INTERVAL_MS ?? "1000",
  SYNC_CHECK_MAX_INTERVAL_MS: process.env.SYNC_CHECK_MAX_INTERVAL_MS ?? "3000",
  ALLOW_DEFAULT_ADMIN: "true",
  PORT: port,
};

console.log(`Demo fakes: Google ${fakes.google.url}  Meta ${fakes.meta.url}  Airbyte ${fakes.airbyte.url}
App: http://localhost:${port}  (sign in as admin@example.com / admin1; see README "Demo mode")`);

const dev = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "server/cli/dev.ts"], { env, stdio: "inherit" });
const stop = () => dev.kill("SIGTERM");
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
dev.on("exit", async (code) => {
  await fakes.close();
  process.exit(code ?? 0);
});
