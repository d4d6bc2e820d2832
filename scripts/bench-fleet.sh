#!/usr/bin/env bash
# Measures the operators' fleet dashboard against a real server on loopback: `tessera bench
# fleet` creates SITES keys and a plan through the API, writes ACCOUNTS accounts with a site
# per key, their subscriptions, invoices and DAYS days of daily figures straight into the
# server's database, signs in as an operator once per connection (CONNECTIONS sessions), then
# loads the dashboard and its charts' JSON for DURATION each and prints their latency.
#
#   scripts/bench-fleet.sh                    # SQLite in a fresh temp data dir
#   BACKEND=postgres scripts/bench-fleet.sh   # throwaway PostgreSQL cluster on 127.0.0.1
#
# Environment: BACKEND (sqlite|postgres), SITES (100000), ACCOUNTS (1000), DAYS (365),
# CONNECTIONS (4), DURATION (10s), TESSERA_BIN (skip the build), PG_BIN.
set -euo pipefail
SITES=${SITES:-100000}
ACCOUNTS=${ACCOUNTS:-1000}
DAYS=${DAYS:-365}
CONNECTIONS=${CONNECTIONS:-4}
DURATION=${DURATION:-10s}
# shellcheck source=lib/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
SERVER_ENV=("${RATE_LIMITS_OFF[@]}" TESSERA_LOG_FORMAT=text)
bench_start_server
if [[ "$BACKEND" == postgres ]]; then DATABASE=${DB_ARGS[1]}; else DATABASE="$WORK/data/tessera.db"; fi

echo "== $(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
TESSERA_ADMIN_PASSWORD=$ADMIN_PW "$BIN" bench fleet --url "$URL" --database "$DATABASE" \
    --sites "$SITES" --accounts "$ACCOUNTS" --days "$DAYS" \
    --connections "$CONNECTIONS" --duration "$DURATION"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== server RSS: $(ps -o rss= -p "$SERVER_PID" | awk '{printf "%.1f MiB", $1/1024}')" >&2
