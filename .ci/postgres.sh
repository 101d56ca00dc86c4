#!/usr/bin/env bash
# Install (Debian), start PostgreSQL and create the test role; prints the URL for the tests.
# Needs root. Idempotent: safe to run on a machine where it already ran.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 || true  # already running is fine
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='relance'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE relance LOGIN SUPERUSER PASSWORD 'relance'\"" >&2
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='relance'\"" | grep -q 1 ||
  su postgres -c "createdb -O relance relance" >&2
echo "postgresql+psycopg://relance:relance@127.0.0.1:5432/relance"
