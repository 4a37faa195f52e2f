#!/usr/bin/env bash
# The production server beside the Django original (../shared/bench/run_matrix.sh), as ratios from
# one run: builds (SKIP_BUILD=1 to reuse the build), then bench/compare-django.ts prepares the
# database and bench login and runs the matrix. Set-up of the Django side (Debian packages):
#   apt-get install -y wrk python3-django python3-djangorestframework python3-djangorestframework-simplejwt python3-psycopg2 gunicorn
# Variables of the harness pass through (ROUNDS, BENCH_DURATION, BENCH_CONNECTIONS, CONFIGS…).
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/services.sh
[ -n "${SKIP_BUILD:-}" ] || npm run build >/dev/null
exec node node_modules/tsx/dist/cli.mjs --conditions=react-server bench/compare-django.ts
