#!/usr/bin/env bash
# Sourced by .ci/run: starts a throwaway PostgreSQL on 127.0.0.1 for the PostgreSQL state-store tests and exports
# FLUJO_TEST_POSTGRES_URL. Installs Debian's postgresql package when it is missing. Fails (non-zero) if it cannot.
# The cluster lives in a temporary directory with trust authentication on loopback only, and is stopped on exit.
set -euo pipefail

pg_port="${FLUJO_TEST_POSTGRES_PORT:-55432}"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "installing PostgreSQL (Debian package postgresql)"
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL is not installed and this user cannot install it" >&2
    return 1 2>/dev/null || exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"

# PostgreSQL refuses to run as root: run it as the postgres user the package created
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_data="$(mktemp -d /tmp/flujo-pg.XXXXXX)"
[ "$(id -u)" -eq 0 ] && chown postgres: "$pg_data"
as_pg "$pg_bin/initdb" -D "$pg_data" -A trust -U postgres >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w \
  -o "-p $pg_port -k $pg_data -c listen_addresses=127.0.0.1" start >/dev/null

stop_postgres() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_data"
}
trap stop_postgres EXIT

as_pg "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -q -c "CREATE DATABASE flujo" >/dev/null
export FLUJO_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$pg_port/flujo?user=postgres"
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') running for the tests on 127.0.0.1:$pg_port"
