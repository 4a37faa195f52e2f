#!/usr/bin/env bash
# Makes sure the local Postgres and Redis the tests use are installed and answering.
# Both come from Debian's packages; on a fresh machine this installs and starts them.
set -euo pipefail

pg_ok() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; }
redis_ok() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "need root to install $*: run 'sudo apt-get install -y $*'" >&2; exit 1; fi
  [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! pg_ok; then
  command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql postgresql-client
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  # Tests connect as postgres over 127.0.0.1 without a password (a throwaway CI/dev cluster).
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba" 2>/dev/null; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  for _ in $(seq 1 50); do pg_ok && break; sleep 0.2; done
  pg_ok || { echo "Postgres did not come up on 127.0.0.1:5432" >&2; exit 1; }
fi

if ! redis_ok; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 50); do redis_ok && break; sleep 0.2; done
  redis_ok || { echo "Redis did not come up on 127.0.0.1:6379" >&2; exit 1; }
fi
