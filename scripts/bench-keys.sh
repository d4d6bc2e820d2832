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
[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] || { echo "COUNT must be a positive integer" >&2; exit 2; }
SERVER_ENV=()
# shellcheck source=lib/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
FAIL_LOGS+=("$WORK/generate.log")

bench_start_server

bench_operator_login

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
