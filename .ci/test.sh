#!/usr/bin/env bash
# `npm test`: every test. Starts Postgres/Redis if needed, installs dependencies if needed,
# builds the production app, runs unit + integration tests (vitest) against it, and prints
# one closing line "N passed, N failed[, N skipped]". Exit status is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

bash .ci/services.sh || exit 1

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 1
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  npm run build >e2e/artifacts-build.log 2>&1 || { cat e2e/artifacts-build.log; echo "0 passed, 1 failed"; exit 1; }
  rm -f e2e/artifacts-build.log
fi

mkdir -p e2e/artifacts
npx vitest run --reporter=default --reporter=json --outputFile.json=e2e/artifacts/vitest.json "$@"
status=$?

node -e '
  const fs = require("fs");
  let r = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0 };
  try { r = JSON.parse(fs.readFileSync("e2e/artifacts/vitest.json", "utf8")); } catch { r.numFailedTests = 1; }
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
'
exit $status
