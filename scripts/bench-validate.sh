#!/usr/bin/env bash
# Measures license validation (POST /api/v1/validations) against a real server on loopback,
# with the `/healthz` route measured in the same run as the baseline of the HTTP stack:
# `tessera bench validate` sets up SITES activated sites through the public API, then drives
# both routes with CONNECTIONS keep-alive connections for DURATION each.
#
#   scripts/bench-validate.sh                    # SQLite in a fresh temp data dir
#   BACKEND=postgres scripts/bench-validate.sh   # throwaway PostgreSQL cluster on 127.0.0.1
#
# Environment: BACKEND (sqlite|postgres), SITES (200), CONNECTIONS (64), DURATION (10s),
# THREADS (client threads; default one per core), RATE (open loop: requests per second in all,
# latency counted from when each request was due; default closed loop, as fast as answered),
# BUSY (processes that each keep a core busy during the run: what other work on the cores
# alone does to the latency; default 0), TESSERA_BIN (skip the build), PG_BIN. The server runs with its rate limits off: a
# benchmark sends far more from one IP than any real site.
set -euo pipefail
SITES=${SITES:-200}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-}
RATE=${RATE:-}
BUSY=${BUSY:-0}
# shellcheck source=lib/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
# Rate limits off: a benchmark sends far more from one address than any real client.
SERVER_ENV=("${RATE_LIMITS_OFF[@]}" TESSERA_LOG_FORMAT=text)
bench_start_server

echo "== $(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [[ "$BUSY" -gt 0 ]]; then
    echo "== $BUSY busy process(es) beside the benchmark" >&2
    bench_busy "$BUSY"
fi
TESSERA_ADMIN_PASSWORD=$ADMIN_PW "$BIN" bench validate --url "$URL" --sites "$SITES" \
    --connections "$CONNECTIONS" --duration "$DURATION" ${THREADS:+--threads "$THREADS"} ${RATE:+--rate "$RATE"}
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== server RSS: $(ps -o rss= -p "$SERVER_PID" | awk '{printf "%.1f MiB", $1/1024}')" >&2
