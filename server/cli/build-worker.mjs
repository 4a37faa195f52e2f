// Bundles the worker, the operator CLIs and the production HTTP server (serve.ts) into dist/ so
// production runs them with plain `node`.
import { build } from "esbuild";

const common = {
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

// The worker and web images install production dependencies, so they stay external; the operator
// CLIs (queues, rotation, dev data, RLS script) ship in the worker image; serve.mjs is the web server.
const withNodeModules = {
  worker: "worker/index.ts",
  serve: "server/cli/serve.ts",
  queues: "server/cli/queues.ts",
  "rotate-deks": "server/cli/rotate-deks.ts",
  "isolate-warehouse": "server/cli/isolate-warehouse.ts",
  "enable-rls": "server/cli/enable-rls.ts",
  "seed-dev-data": "server/cli/seed-dev-data.ts",
  "ingest-sample-metrics": "server/cli/ingest-sample-metrics.ts",
};
// Self-contained, so a release step can run `node dist/migrate.mjs` wherever the file is copied.
// PGlite (wasm) is only for local use, so it stays out.
const selfContained = { migrate: "server/cli/migrate.ts" };

await build({ ...common, entryPoints: withNodeModules, packages: "external" });
await build({ ...common, entryPoints: selfContained, external: ["@electric-sql/pglite"] });
console.log(`built ${Object.keys({ ...withNodeModules, ...selfContained }).map((n) => `dist/${n}.mjs`).join(", ")}`);
