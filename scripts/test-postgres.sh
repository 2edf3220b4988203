#!/usr/bin/env bash
# Starts PostgreSQL from the OS packages on 127.0.0.1 for the tests and prints the DSN they read from
# BREAKGLASS_TEST_POSTGRES. Run as root (CI, a disposable machine): it installs the package when missing, starts the
# Debian cluster as the postgres user, and creates a role and a database owned by it. Local test credentials only.
set -euo pipefail

if ! command -v pg_lsclusters > /dev/null; then
  apt-get install -y postgresql > /dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main > /dev/null 2>&1
fi
if ! pg_lsclusters -h | awk '$1=="'"$version"'" && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk '$1=="'"$version"'" && $2=="main" {print $3}')
as_postgres() { su postgres -s /bin/sh -c "$1"; }
for _ in $(seq 1 30); do
  as_postgres "psql -p $port -tAc 'SELECT 1'" > /dev/null 2>&1 && break
  sleep 1
done
if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'breakglass'\"" | grep -q 1; then
  as_postgres "psql -p $port -qc \"CREATE ROLE breakglass LOGIN PASSWORD 'breakglass'\""
fi
if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname = 'breakglass_test'\"" | grep -q 1; then
  as_postgres "createdb -p $port -O breakglass breakglass_test"
fi
# pg_terminate_backend of another session of the same role needs no superuser: the takeover test uses it.
echo "postgres://breakglass:breakglass@127.0.0.1:$port/breakglass_test?sslmode=disable"
