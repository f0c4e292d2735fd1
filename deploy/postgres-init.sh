#!/bin/sh
# Run once by the postgres image when its data volume is new (docker-compose.yml mounts this
# into /docker-entrypoint-initdb.d/). POSTGRES_USER (haven) owns the database and runs the
# migrations; the web and worker processes connect as haven_app, which owns nothing
# (docs/operations.md "Database roles").
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DB_PASSWORD" <<'SQL'
CREATE ROLE haven_app LOGIN PASSWORD :'app_password';
SQL
