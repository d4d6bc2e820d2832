#!/usr/bin/env bash
# Times importing keys sold under an earlier system (docs/key-import.md) end to end, the way an
# operator does it: `tessera keys import FILE` against a real server on loopback, with a CSV of
# COUNT keys in seed 000's spelling (`U107-3D27-309C-F484`), then the same file again (every
# line unchanged, nothing written), then a dry run.
#
#   scripts/bench-key-import.sh                    # SQLite in a fresh temp data dir
#   BACKEND=postgres scripts/bench-key-import.sh   # throwaway PostgreSQL cluster on 127.0.0.1
#
# Environment: COUNT (100000), CUSTOMERS (lines that also name a customer, registering the key
# to it: 0), BACKEND (sqlite|postgres), TESSERA_BIN (skip the build), PG_BIN.
set -euo pipefail

COUNT=${COUNT:-100000}
CUSTOMERS=${CUSTOMERS:-0}
[[ "$COUNT" =~ ^[1-9][0-9]*$ ]] || { echo "COUNT must be a positive integer" >&2; exit 2; }
SERVER_ENV=()
# shellcheck source=lib/bench-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/bench-env.sh"
SERVER_ENV=("${RATE_LIMITS_OFF[@]}")

bench_start_server

bench_operator_login

cat >"$WORK/product.json" <<'JSON'
{"code":"fuelmaster","name":"FuelMaster",
 "editions":[{"code":"standard","name":"Standard"},{"code":"professional","name":"Professional"}],
 "sizes":[{"code":"s5","name":"Small","limits":{"drivers":5}}],
 "modules":[]}
JSON
"$BIN" products create --server "$URL" --file "$WORK/product.json" >/dev/null
"$BIN" products key-format --server "$URL" fuelmaster 'U[0-9A-F]{15}' >/dev/null

if [[ "$CUSTOMERS" -gt 0 ]]; then
    # A customer account to register keys to: registered with a key of Tessera's own.
    "$BIN" keys generate --server "$URL" --product fuelmaster --edition standard --size s5 \
        --count 1 --out "$WORK/own.csv" >/dev/null 2>&1
    OWN_KEY=$(sed -n '2s/,.*//p' "$WORK/own.csv")
    curl -sf -o /dev/null -H 'content-type: application/json' "$URL/api/v1/accounts" -d "{
      \"username\":\"ib50\",\"email\":\"office@ib50.example\",\"email_confirm\":\"office@ib50.example\",
      \"password\":\"correct horse battery staple\",\"password_confirm\":\"correct horse battery staple\",
      \"company\":{\"name\":\"IB50\",\"country\":\"IT\",\"region\":\"Lombardia\",\"city\":\"Milano\",
        \"street\":\"Via Rossini\",\"number\":\"12\",\"postcode\":\"20121\",\"vat_number\":\"IT00743110157\",
        \"sector\":\"transport\",\"tanks\":2,\"drivers\":5,\"vehicles\":5,\"commercial_info\":false},
      \"contact\":{\"first_name\":\"Ada\",\"last_name\":\"Rossi\",\"mobile\":\"0039 348 96666\",\"phone\":\"0039 859 62626\"},
      \"reseller\":{\"company_name\":\"R\",\"country\":\"IT\",\"region\":\"MI\",\"city\":\"Milano\",\"postcode\":\"20121\"},
      \"privacy_accepted\":true,\"newsletter\":false,\"product_key\":\"$OWN_KEY\"}" ||
        { echo "registering the customer failed" >&2; exit 1; }
fi

# U + 15 hexadecimal digits, grouped like the seed's keys; every third one lower case.
CSV="$WORK/legacy-keys.csv"
awk -v n="$COUNT" -v c="$CUSTOMERS" 'BEGIN {
    print "key,product,edition,size,customer,site"
    for (i = 0; i < n; i++) {
        k = sprintf("U%07X%08X", 1073 + int(i / 4294967296), (i * 2654435761) % 4294967296)
        k = substr(k, 1, 4) "-" substr(k, 5, 4) "-" substr(k, 9, 4) "-" substr(k, 13, 4)
        if (i % 3 == 0) k = tolower(k)
        ed = (i % 10 == 0) ? "professional" : "standard"
        if (i < c) printf "%s,fuelmaster,%s,s5,office@ib50.example,Site %d\n", k, ed, i
        else printf "%s,fuelmaster,%s,s5,,\n", k, ed
    }
}' >"$CSV"

echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
run() { # label, extra args... -> prints the tool's JSON report to $WORK/$label.json
    local label=$1; shift
    local t0 t1
    t0=$(now)
    "$BIN" keys import --server "$URL" --json "$CSV" "$@" >"$WORK/$label.json"
    t1=$(now)
    echo "$(elapsed "$t0" "$t1")"
}
IMPORT_S=$(run import)
AGAIN_S=$(run again)
DRY_S=$(run dry --dry-run)
field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/$1.json" "$2"; }
[[ "$(field import new)" == "$COUNT" && "$(field import registered)" == "$CUSTOMERS" ]] ||
    { echo "import: $(head -c 400 "$WORK/import.json")" >&2; exit 1; }
[[ "$(field again new)" == 0 && "$(field again unchanged)" == "$COUNT" ]] ||
    { echo "again: $(head -c 400 "$WORK/again.json")" >&2; exit 1; }
echo "== checks: $COUNT new, then $COUNT unchanged; $CUSTOMERS registered to a customer" >&2
echo "== load average after:  $(cut -d' ' -f1-3 /proc/loadavg)" >&2
printf 'backend=%s count=%s customers=%s import_s=%s again_s=%s dry_run_s=%s csv_bytes=%s\n' \
    "$BACKEND" "$COUNT" "$CUSTOMERS" "$IMPORT_S" "$AGAIN_S" "$DRY_S" "$(stat -c %s "$CSV")"
