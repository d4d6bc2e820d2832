# Shared by the benchmark scripts: builds (or takes) the tessera binary, optionally starts a
# throwaway PostgreSQL cluster, starts a tessera server on 127.0.0.1 with a fresh data dir,
# and removes everything on exit. Source it after setting BACKEND (sqlite|postgres); extra
# environment for the server goes in SERVER_ENV (an array of NAME=value).
#
# PG_OPTS adds options to the PostgreSQL server's command line (e.g. `-c
# session_preload_libraries=auto_explain -c auto_explain.log_min_duration=20ms` to find a
# slow query; the cluster's log is printed when the script fails, and kept in $PG_DIR/log).
# PG_STATEMENTS=N loads pg_stat_statements and prints, before the cluster is removed, the N
# statements that took the database's time, with their calls and mean times, the tables
# read whole most often, and each automatic vacuum and analyze with when it ended (to set
# against the times of the benchmark's phases).
#
# After `bench_start_server`: $BIN, $URL, $ADMIN_PW, $WORK (scratch dir, removed on exit).
set -euo pipefail

case "${BACKEND:-sqlite}" in
    sqlite | postgres) BACKEND=${BACKEND:-sqlite} ;;
    *) echo "BACKEND must be sqlite or postgres, not '$BACKEND'" >&2; exit 2 ;;
esac

# Every rate limit of the server off, for SERVER_ENV.
RATE_LIMITS_OFF=(
    TESSERA_RATE_LIMITS__VALIDATIONS_PER_IP=0 TESSERA_RATE_LIMITS__VALIDATIONS_PER_SITE=0
    TESSERA_RATE_LIMITS__ACTIVATIONS_PER_IP=0 TESSERA_RATE_LIMITS__ACTIVATIONS_PER_KEY=0
    TESSERA_RATE_LIMITS__KEY_LOOKUPS_PER_IP=0 TESSERA_RATE_LIMITS__KEY_LOOKUPS_PER_KEY=0
    TESSERA_RATE_LIMITS__CLOUD_CODES_PER_IP=0 TESSERA_RATE_LIMITS__CLOUD_CODES_PER_SITE_CODE=0
)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# Settings of the caller's environment must not leak into the benchmark.
for var in $(compgen -e | grep '^TESSERA_' || true); do
    [[ "$var" == TESSERA_BIN ]] || unset "$var"
done

if [[ -n "${TESSERA_BIN:-}" ]]; then
    BIN=$TESSERA_BIN
else
    echo "== cargo build --release -p tessera" >&2
    (cd "$ROOT" && cargo build --release -p tessera --quiet)
    BIN="$ROOT/target/release/tessera"
fi
[[ -x "$BIN" ]] || { echo "no tessera binary at $BIN" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench.XXXXXX")
SERVER_PID=
# Other processes the benchmark started (bench_busy), stopped on exit.
BUSY_PIDS=()
PG_DIR=
PG_CTL=
# Logs shown when the script fails.
FAIL_LOGS=("$WORK/server.log")

bench_cleanup() {
    local rc=$?
    set +e
    [[ ${#BUSY_PIDS[@]} -gt 0 ]] && kill "${BUSY_PIDS[@]}" 2>/dev/null
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null
    fi
    if [[ -n "$PG_DIR" && -f "$PG_DIR/postmaster.pid" ]]; then
        [[ -n "${PG_STATEMENTS:-}" ]] && pg_statements "$PG_STATEMENTS"
        as_postgres "$PG_CTL" -D "$PG_DIR" -m fast -w stop >/dev/null
    fi
    if [[ $rc -ne 0 ]]; then
        echo "== FAILED (exit $rc); last lines of the logs:" >&2
        tail -n 20 "${FAIL_LOGS[@]}" "${PG_DIR:+$PG_DIR/log}" >&2 2>/dev/null
    fi
    [[ -n "$PG_DIR" ]] && rm -rf "$PG_DIR"
    rm -rf "$WORK"
    exit $rc
}
trap bench_cleanup EXIT

# N processes that keep a core busy each (pure CPU, no I/O) until the script ends: to see
# what other work on the machine's cores alone does to a latency.
bench_busy() {
    for _ in $(seq "$1"); do
        bash -c 'while :; do :; done' &
        BUSY_PIDS+=($!)
    done
}

# initdb and postgres refuse to run as root.
as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The N statements that took the database's time (PG_STATEMENTS).
pg_statements() {
    echo "== pg_stat_statements: the $1 statements with the most time" >&2
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d tessera_bench -P pager=off -c \
        "SELECT calls, round(total_exec_time::numeric, 0) AS total_ms,
                round(mean_exec_time::numeric, 3) AS mean_ms,
                round(total_plan_time::numeric, 0) AS plan_ms, rows,
                left(regexp_replace(query, '\s+', ' ', 'g'), 100) AS query
         FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT $1" >&2
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d tessera_bench -P pager=off -c \
        "SELECT sum(calls) AS calls, round(sum(total_exec_time)::numeric, 0) AS exec_ms,
                round(sum(total_plan_time)::numeric, 0) AS plan_ms
         FROM pg_stat_statements" >&2
    echo "== the tables read whole most often" >&2
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d tessera_bench -P pager=off -c \
        "SELECT relname, seq_scan, seq_tup_read, idx_scan, n_live_tup FROM pg_stat_user_tables
         ORDER BY seq_tup_read DESC LIMIT 10" >&2
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d tessera_bench -P pager=off -c \
        "SELECT relname, autovacuum_count, autoanalyze_count, analyze_count,
                to_char(last_autovacuum, 'HH24:MI:SS') AS last_autovacuum,
                to_char(last_autoanalyze, 'HH24:MI:SS') AS last_autoanalyze
         FROM pg_stat_user_tables WHERE autovacuum_count + autoanalyze_count + analyze_count > 0
         ORDER BY relname" >&2
    echo "== automatic vacuums and analyzes (ended at, UTC)" >&2
    grep -E 'automatic (aggressive )?(vacuum|analyze) of table' "$PG_DIR/log" |
        sed -E 's/^([0-9-]+ [0-9:.]+) UTC .*automatic (.*) of table "[^.]+\.[^.]+\.([^"]+)".*/  \1  \2 \3/' >&2 ||
        echo "  none" >&2
}

DB_ARGS=()
bench_start_postgres() {
    PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
    [[ -x "$PG_BIN/initdb" ]] || { echo "no initdb in '$PG_BIN' (set PG_BIN)" >&2; exit 1; }
    PG_CTL="$PG_BIN/pg_ctl"
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench-pg.XXXXXX")
    [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_DIR"
    as_postgres "$PG_BIN/initdb" -D "$PG_DIR" --auth=trust -U postgres >/dev/null
    local opts=${PG_OPTS:-}
    if [[ -n "${PG_STATEMENTS:-}" ]]; then
        opts+=" -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
        opts+=" -c pg_stat_statements.track_planning=on -c log_autovacuum_min_duration=0"
    fi
    # A port nobody answers on, below the kernel's range for outgoing connections (one of
    # those may hold a port without answering on it); another if the start loses it anyway.
    local started=
    for _ in $(seq 5); do
        for _ in $(seq 50); do
            PG_PORT=$((20000 + RANDOM % 12000))
            (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null || break
        done
        if as_postgres "$PG_CTL" -D "$PG_DIR" \
            -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 $opts" -l "$PG_DIR/log" \
            -w start >/dev/null; then
            started=1
            break
        fi
    done
    [[ -n "$started" ]] || { echo "PostgreSQL did not start (see $PG_DIR/log)" >&2; exit 1; }
    echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
        -c "CREATE DATABASE tessera_bench"
    if [[ -n "${PG_STATEMENTS:-}" ]]; then
        "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d tessera_bench \
            -c "CREATE EXTENSION pg_stat_statements"
    fi
    DB_ARGS=(--database-url "postgres://postgres@127.0.0.1:$PG_PORT/tessera_bench")
}

# The server: fresh data dir, an empty config file (so no ./tessera.toml is read), a port
# chosen by the kernel and read back from its "listening" line.
bench_start_server() {
    [[ "$BACKEND" == postgres ]] && bench_start_postgres
    ADMIN_PW="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
    : >"$WORK/empty.toml"
    # Made before the server starts: its redirection happens in the background job, which
    # the loop below may overtake.
    : >"$WORK/server.out"
    env TESSERA_ADMIN_PASSWORD="$ADMIN_PW" "${SERVER_ENV[@]}" "$BIN" serve \
        --config "$WORK/empty.toml" --listen 127.0.0.1:0 --data-dir "$WORK/data" "${DB_ARGS[@]}" \
        >"$WORK/server.out" 2>"$WORK/server.log" &
    SERVER_PID=$!
    URL=
    for _ in $(seq 600); do
        URL=$(sed -n 's/^Tessera listening on //p' "$WORK/server.out")
        [[ -n "$URL" ]] && break
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server exited" >&2; exit 1; }
        sleep 0.1
    done
    [[ -n "$URL" ]] || { echo "the server did not start within 60 s" >&2; exit 1; }
    echo "== tessera server ($BACKEND) at $URL" >&2
}

# Signs in as the operator: TESSERA_TOKEN exported for the commands that follow.
bench_operator_login() {
    TESSERA_TOKEN=$(TESSERA_PASSWORD=$ADMIN_PW "$BIN" login --server "$URL" --username admin 2>/dev/null |
        sed -n 's/^export TESSERA_TOKEN=//p')
    [[ -n "$TESSERA_TOKEN" ]] || { echo "login failed" >&2; exit 1; }
    export TESSERA_TOKEN
}

now() { date +%s.%N; }
# elapsed START END -> seconds with two decimals
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
