#!/usr/bin/env bash
# Measures cloud data sync (docs/sync.md) against a real server on loopback with `tessera
# bench sync`: ROUNDS first syncs of RECORDS records (~RECORD_BYTES bytes each) by the client
# library, each followed by a restore (pull from cursor 0), with the server's resident memory
# after each; then SITES sites pushing and pulling at once, with validations alone, sync alone
# and both at once measured in turn.
#
#   scripts/bench-sync.sh                    # SQLite in a fresh temp data dir
#   BACKEND=postgres scripts/bench-sync.sh   # throwaway PostgreSQL cluster on 127.0.0.1
#
# Environment: BACKEND (sqlite|postgres), RECORDS (100000), RECORD_BYTES (300), ROUNDS (3),
# SITES (500; 0 skips the load phases), SITES_PER_ACCOUNT (5), PUSHES (pushes a second per
# site, 1), CHANGES (changes per push, 10), PULLS (pulls a second per site, 1),
# SYNC_CONNECTIONS (100 for the pushes, as many for the pulls), RATE (validations a second,
# 2000), CONNECTIONS (for the validations, 64), DURATION (10s per load phase), REPEAT (the
# load phases this many times over, then the median of each p99; 1), TESSERA_BIN
# (skip the build), PG_BIN, DB_CONNECTIONS (the server's `database_connections`, 16). The
# server runs with its rate limits off and no cap on the connections of one client: the
# benchmark's sites all come from 127.0.0.1.
set -euo pipefail
RECORDS=${RECORDS:-100000}
RECORD_BYTES=${RECORD_BYTES:-300}
ROUNDS=${ROUNDS:-3}
SITES=${SITES:-500}
SITES_PER_ACCOUNT=${SITES_PER_ACCOUNT:-5}
PUSHES=${PUSHES:-1}
CHANGES=${CHANGES:-10}
PULLS=${PULLS:-1}
SYNC_CONNECTIONS=${SYNC_CONNECTIONS:-100}
RATE=${RATE:-2000}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10s}
REPEAT=${REPEAT:-1}
# shellcheck source=lib/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
SERVER_ENV=("${RATE_LIMITS_OFF[@]}" TESSERA_CONNECTIONS__MAX_CONNECTIONS_PER_CLIENT=0
    TESSERA_LOG_FORMAT=text)
if [[ -n "${DB_CONNECTIONS:-}" ]]; then SERVER_ENV+=(TESSERA_DATABASE_CONNECTIONS="$DB_CONNECTIONS"); fi
bench_start_server
if [[ "$BACKEND" == postgres ]]; then DATABASE=${DB_ARGS[1]}; else DATABASE="$WORK/data/tessera.db"; fi

echo "== $(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
TESSERA_ADMIN_PASSWORD=$ADMIN_PW "$BIN" bench sync --url "$URL" --database "$DATABASE" \
    --server-pid "$SERVER_PID" --records "$RECORDS" --record-bytes "$RECORD_BYTES" \
    --rounds "$ROUNDS" --sites "$SITES" --sites-per-account "$SITES_PER_ACCOUNT" \
    --pushes-per-second "$PUSHES" --changes-per-push "$CHANGES" --pulls-per-second "$PULLS" \
    --sync-connections "$SYNC_CONNECTIONS" --rate "$RATE" --connections "$CONNECTIONS" \
    --duration "$DURATION" --repeat "$REPEAT"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== server RSS: $(ps -o rss= -p "$SERVER_PID" | awk '{printf "%.1f MiB", $1/1024}')" >&2
