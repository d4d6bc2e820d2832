#!/usr/bin/env bash
# Measures the web pages under load against a real server on loopback: `tessera bench pages`
# sets up one account with SITES activated sites through the public API, signs it in once
# per connection (CONNECTIONS sessions), then loads each page for DURATION and prints its
# latency (p50, p90, p99, max).
#
#   scripts/bench-pages.sh                    # SQLite in a fresh temp data dir
#   BACKEND=postgres scripts/bench-pages.sh   # throwaway PostgreSQL cluster on 127.0.0.1
#
# Environment: BACKEND (sqlite|postgres), SITES (1000), CONNECTIONS (16), DURATION (10s),
# TESSERA_BIN (skip the build), PG_BIN. The server runs with its rate limits off: set-up
# adds a thousand keys from one address.
set -euo pipefail
SITES=${SITES:-1000}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-10s}
# shellcheck source=lib/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
# Rate limits off: a benchmark sends far more from one address than any real client.
SERVER_ENV=("${RATE_LIMITS_OFF[@]}" TESSERA_LOG_FORMAT=text)
bench_start_server

echo "== $(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
TESSERA_ADMIN_PASSWORD=$ADMIN_PW "$BIN" bench pages --url "$URL" --sites "$SITES" \
    --connections "$CONNECTIONS" --duration "$DURATION"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== server RSS: $(ps -o rss= -p "$SERVER_PID" | awk '{printf "%.1f MiB", $1/1024}')" >&2
