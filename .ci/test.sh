#!/usr/bin/env bash
# `npm test`: every test. Starts Postgres/Redis if needed, installs dependencies and Debian's
# chromium if needed, builds the production app, runs the vitest projects (unit, integration,
# contract: see vitest.config.ts) and the browser tests (Playwright in /usr/bin/chromium) against
# it, and prints one closing line "N passed, N failed[, N skipped]" (vitest's JSON report counts
# every project). Exit status is non-zero on any failure.
#   SKIP_BUILD=1 npm test            reuse the existing build
#   npm test -- e2e/api/auth.test.ts  only these vitest files (browser tests are skipped then)
#   npm test -- --project integration only that project
#   npm run test:unit                 the unit project alone, without services or build
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
mkdir -p e2e/artifacts

bash .ci/services.sh || exit 1

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null || exit 1
  else
    echo "Browser tests need Debian's chromium: sudo apt-get install -y chromium" >&2; exit 1
  fi
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 1
fi

if [ -z "${SKIP_BUILD:-}" ]; then
  npm run build >e2e/artifacts/build.log 2>&1 || { cat e2e/artifacts/build.log; echo "0 passed, 1 failed"; exit 1; }
fi

rm -f e2e/artifacts/vitest.json e2e/artifacts/playwright.json
npx vitest run --reporter=default --reporter=json --outputFile.json=e2e/artifacts/vitest.json "$@"
unit_status=$?
browser_status=0
if [ $# -eq 0 ]; then
  npx playwright test
  browser_status=$?
fi

node -e '
  const fs = require("fs");
  const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return null; } };
  let passed = 0, failed = 0, skipped = 0;
  const v = read("e2e/artifacts/vitest.json");
  if (v) { passed += v.numPassedTests; failed += v.numFailedTests; skipped += v.numPendingTests + v.numTodoTests; }
  else failed += 1;
  if (process.argv[1] === "all") {
    const p = read("e2e/artifacts/playwright.json");
    if (p) { passed += p.stats.expected; failed += p.stats.unexpected; skipped += p.stats.skipped; passed += p.stats.flaky; }
    else failed += 1;
  }
  console.log(`${passed} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$([ $# -eq 0 ] && echo all || echo some)"

[ $unit_status -eq 0 ] && [ $browser_status -eq 0 ]
