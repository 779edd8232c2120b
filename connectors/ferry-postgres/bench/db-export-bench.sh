#!/usr/bin/env bash
# Benchmark: ferry db export of a 1M-row table (~100 MB of CSV) against the baseline
# psql \copy | gzip -6 and | zstd -1, at equal compression levels, measured in the same run.
# Needs PostgreSQL on 127.0.0.1:5432 (trust auth), psql, gzip, zstd, and a built ferry (./ferry --help builds it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
DB=ferry_bench_$$
WORK=$(mktemp -d)
PSQL=(psql -q -X -h 127.0.0.1 -U postgres)
trap '"${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres; rm -rf "$WORK"' EXIT
"${PSQL[@]}" -c "CREATE DATABASE $DB" postgres
"${PSQL[@]}" "$DB" -c "CREATE TABLE bench (id bigserial PRIMARY KEY, base_id int, updated_at timestamptz, amount numeric(12,2), payload text)" \
  -c "INSERT INTO bench (base_id, updated_at, amount, payload) SELECT g % 50000, timestamptz '2024-01-01' + g * interval '1 second', (g % 100000) / 100.0, md5(g::text) || ' ' || md5((g * 7)::text) FROM generate_series(1, 1000000) g" \
  -c "VACUUM ANALYZE bench"
QUERY="SELECT * FROM bench"
mkdir -p "$WORK/tasks/bench"
echo "COPY ($QUERY) TO STDOUT WITH CSV HEADER" > "$WORK/tasks/bench/select.sql"
CSV_BYTES=$("${PSQL[@]}" "$DB" -c "\\copy ($QUERY) to stdout csv header" | wc -c)
ROWS=1000000
ROUNDS=${ROUNDS:-3}
"${PSQL[@]}" "$DB" -c "CREATE TABLE empty_bench (LIKE bench)"
mkdir -p "$WORK/tasks/empty"
echo "COPY (SELECT * FROM empty_bench) TO STDOUT WITH CSV HEADER" > "$WORK/tasks/empty/select.sql"
RESULTS="$WORK/results.tsv"
# Runs a command, records wall and CPU (user + system, children included) seconds and the output size.
measure() { # name output-file command...
  local name=$1 output=$2; shift 2
  rm -rf "$WORK/out" "$WORK"/base.*
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err.log" || { cat "$WORK/err.log" >&2; exit 1; }
  read -r wall user sys < "$WORK/time"
  local bytes; bytes=$(stat -c %s $output 2>/dev/null | head -1 || echo 0)
  printf '%s\t%s\t%s\t%s\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "${bytes:-0}" >> "$RESULTS"
  awk -v n="$name" -v s="$wall" -v cpu="$(echo "$user + $sys" | bc)" -v o="${bytes:-0}" -v c="$CSV_BYTES" -v r="$ROWS" \
    'BEGIN { printf "| %-44s | %6.2f s | %6.2f s | %9.0f rows/s | %6.1f MB/s | %6.1f MB |\n", n, s, cpu, r / s, c / s / 1e6, o / 1e6 }'
}
# ferry runs through its launcher, as users run it: the first run (the warm-up below) makes the
# launcher's class-data-sharing archive for `ferry db`, which every measured run then uses.
FERRY=("$ROOT/ferry" db export --keep --tasks "$WORK/tasks" --to "$WORK/out"
       --database "postgresql://postgres@127.0.0.1:5432/$DB")
"${FERRY[@]}" empty --compression zstd --compression-level 1 >/dev/null 2>&1
echo "CSV: $CSV_BYTES bytes, $ROWS rows, $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| run | wall | CPU | rows/s | CSV MB/s | output |"
echo "|---|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do
  measure "psql | gzip -6" "$WORK/base.csv.gz" \
    bash -c "${PSQL[*]} $DB -c '\\copy ($QUERY) to stdout csv header' | gzip -6 > $WORK/base.csv.gz"
  measure "ferry gzip -6" "$WORK/out/*.csv.gz" "${FERRY[@]}" bench --compression gzip --compression-level 6
  measure "ferry gzip -6, --compression-threads 0" "$WORK/out/*.csv.gz" \
    "${FERRY[@]}" bench --compression gzip --compression-level 6 --compression-threads 0
  measure "psql | zstd -1" "$WORK/base.csv.zst" \
    bash -c "${PSQL[*]} $DB -c '\\copy ($QUERY) to stdout csv header' | zstd -q -1 > $WORK/base.csv.zst"
  measure "ferry zstd -1" "$WORK/out/*.csv.zst" "${FERRY[@]}" bench --compression zstd --compression-level 1
  measure "ferry zstd -1, empty table (fixed cost)" "$WORK/out/*.csv.zst" \
    "${FERRY[@]}" empty --compression zstd --compression-level 1
done
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS" <<'PY'
import statistics, sys
from collections import defaultdict
runs = defaultdict(list)
for line in open(sys.argv[1]):
    name, wall, cpu, _ = line.rstrip("\n").split("\t")
    runs[name].append((float(wall), float(cpu)))
med = {n: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for n, v in runs.items()}
print("\nMedians (wall, CPU):")
for n, (w, c) in med.items():
    print(f"  {n:44s} {w:6.2f} s  {c:6.2f} s")
for base, mine in [("psql | gzip -6", "ferry gzip -6"), ("psql | gzip -6", "ferry gzip -6, --compression-threads 0"),
                   ("psql | zstd -1", "ferry zstd -1")]:
    print(f"Throughput ratio {mine} / {base}: {med[base][0] / med[mine][0]:.2f} (baseline time / ferry time)")
PY
