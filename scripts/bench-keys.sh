#!/usr/bin/env bash
# Times issuing a batch of product keys end to end, the way an operator does it:
# `tessera keys generate` against a real server on loopback (batch creation + fill requests
# of 10 000 keys, each one transaction), then the CSV export (`--out`).
#
#   scripts/bench-keys.sh                      # SQLite in a fresh temp data dir
#   BACKEND=postgres scripts/bench-keys.sh     # throwaway PostgreSQL cluster on 127.0.0.1
#   COUNT=20000 scripts/bench-keys.sh          # another batch size (default 100000)
#
# Environment: COUNT, BACKEND (sqlite|postgres), TESSERA_BIN (skip the build and use this
# binary), PG_BIN (PostgreSQL bin dir, default the newest /usr/lib/postgresql/*/bin).
# Everything it starts listens on 127.0.0.1 only and is stopped and removed on exit.
set -euo pipefail

COUNT=${COUNT:-100000}
BACKEND=${BACKEND:-sqlite}
case "$BACKEND" in
    sqlite | postgres) ;;
    *) echo "BACKEND must be sqlite or postgres, not '$BACKEND'" >&2; exit 2 ;;
esac
[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] || { echo "COUNT must be a positive integer" >&2; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

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
PG_DIR=
PG_CTL=

cleanup() {
    local rc=$?
    set +e
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null
    fi
    if [[ -n "$PG_DIR" && -f "$PG_DIR/postmaster.pid" ]]; then
        as_postgres "$PG_CTL" -D "$PG_DIR" -m fast -w stop >/dev/null
    fi
    if [[ $rc -ne 0 ]]; then
        echo "== FAILED (exit $rc); last lines of the logs:" >&2
        tail -n 20 "$WORK/server.log" "$WORK/generate.log" "${PG_DIR:+$PG_DIR/log}" >&2 2>/dev/null
    fi
    [[ -n "$PG_DIR" ]] && rm -rf "$PG_DIR"
    rm -rf "$WORK"
    exit $rc
}
trap cleanup EXIT

# initdb and postgres refuse to run as root.
as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

now() { date +%s.%N; }
# elapsed START END -> seconds with two decimals
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

DB_ARGS=()
if [[ "$BACKEND" == postgres ]]; then
    PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
    [[ -x "$PG_BIN/initdb" ]] || { echo "no initdb in '$PG_BIN' (set PG_BIN)" >&2; exit 1; }
    PG_CTL="$PG_BIN/pg_ctl"
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/tessera-bench-pg.XXXXXX")
    [[ $(id -u) -eq 0 ]] && chown postgres: "$PG_DIR"
    # A port nobody answers on.
    for _ in $(seq 50); do
        PG_PORT=$((20000 + RANDOM % 30000))
        (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT") 2>/dev/null || break
    done
    echo "== PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2
    as_postgres "$PG_BIN/initdb" -D "$PG_DIR" --auth=trust -U postgres >/dev/null
    as_postgres "$PG_CTL" -D "$PG_DIR" \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" -l "$PG_DIR/log" -w start >/dev/null
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
        -c "CREATE DATABASE tessera_bench"
    DB_ARGS=(--database-url "postgres://postgres@127.0.0.1:$PG_PORT/tessera_bench")
fi

# The server: fresh data dir, an empty config file (so no ./tessera.toml is read), a port
# chosen by the kernel and read back from its "listening" line.
ADMIN_PW="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
: >"$WORK/empty.toml"
TESSERA_ADMIN_PASSWORD=$ADMIN_PW "$BIN" serve --config "$WORK/empty.toml" \
    --listen 127.0.0.1:0 --data-dir "$WORK/data" "${DB_ARGS[@]}" \
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

TESSERA_TOKEN=$(TESSERA_PASSWORD=$ADMIN_PW "$BIN" login --server "$URL" --username admin 2>/dev/null |
    sed -n 's/^export TESSERA_TOKEN=//p')
[[ -n "$TESSERA_TOKEN" ]] || { echo "login failed" >&2; exit 1; }
export TESSERA_TOKEN

cat >"$WORK/product.json" <<'EOF'
{"code":"fuelmaster","name":"FuelMaster",
 "editions":[{"code":"standard","name":"Standard"}],
 "sizes":[{"code":"s5","name":"Small","limits":{"drivers":5}}],
 "modules":[]}
EOF
"$BIN" products create --server "$URL" --file "$WORK/product.json" >/dev/null

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== tessera keys generate --count $COUNT --out keys.csv" >&2
# Each stderr line of the tool is stamped with the wall clock when it appears:
# "Batch N: ... in X.XX s" ends the generation, "Wrote ..." ends the CSV export.
CSV="$WORK/keys.csv"
T0=$(now)
"$BIN" keys generate --server "$URL" --product fuelmaster --edition standard --size s5 \
    --count "$COUNT" --out "$CSV" 2>&1 >"$WORK/batch-id" |
    while IFS= read -r line; do printf '%s %s\n' "$(now)" "$line"; done >"$WORK/generate.log"
T_END=$(now)

BATCH_LINE=$(grep -m1 ' Batch [0-9]*: ' "$WORK/generate.log")
WROTE_LINE=$(grep -m1 ' Wrote ' "$WORK/generate.log")
T_BATCH=${BATCH_LINE%% *}
T_WROTE=${WROTE_LINE%% *}
TOOL_S=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' <<<"$BATCH_LINE")
BATCH_ID=$(tr -d '[:space:]' <"$WORK/batch-id")
echo "  ${BATCH_LINE#* }" >&2

# Checks: header + COUNT rows, and the server's own count for the batch.
LINES=$(wc -l <"$CSV")
[[ "$LINES" -eq $((COUNT + 1)) ]] ||
    { echo "CSV has $LINES lines, expected $((COUNT + 1))" >&2; exit 1; }
"$BIN" keys batches --server "$URL" >"$WORK/batches.txt"
KEYS_COL=$(awk -v id="$BATCH_ID" '{ gsub(/[|│]/, " "); if ($1 == id) { print $5; exit } }' \
    "$WORK/batches.txt")
[[ "$KEYS_COL" == "$COUNT/$COUNT" ]] ||
    { echo "batch $BATCH_ID shows '$KEYS_COL' keys, expected $COUNT/$COUNT" >&2; cat "$WORK/batches.txt" >&2; exit 1; }
echo "== checks: keys.csv has $LINES lines; batch $BATCH_ID shows $KEYS_COL generated/requested" >&2

GEN_WALL=$(elapsed "$T0" "$T_BATCH")
CSV_S=$(elapsed "$T_BATCH" "$T_WROTE")
TOTAL=$(elapsed "$T0" "$T_END")
echo "== load average after:  $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf 'backend=%s count=%s generate_s=%s generate_wall_s=%s csv_s=%s total_wall_s=%s csv_bytes=%s\n' \
    "$BACKEND" "$COUNT" "$TOOL_S" "$GEN_WALL" "$CSV_S" "$TOTAL" "$(stat -c %s "$CSV")"
